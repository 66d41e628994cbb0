import type { PaperIndex } from '../index/paperIndex.js';
import type { PaperCard, Reply } from '../model/reply.js';

/** One paper of a list as `--json` prints it, the same shape for find, trending and like. */
export interface PaperJson {
  id: string;
  title: string;
  /** The search or trending score (3 decimals); null for a paper named by its id. */
  score: number | null;
  published: string | null;
  upvotes: number;
  link: string;
}

/** The papers a reply lists as results; papers offered because none matched are not results. */
export function papersJson(reply: Reply): PaperJson[] {
  return reply.blocks.flatMap((b) => (b.kind === 'paper' && !b.nearMiss ? [cardJson(b.card)] : []));
}

/** `show --json`: the full record of the paper the reply shows, with its link. */
export function paperRecordJson(reply: Reply, index: PaperIndex): unknown {
  const card = reply.blocks.find((b) => b.kind === 'paper')?.card;
  const paper = card && index.get(card.id);
  return paper ? { ...paper, link: card.links.primary } : null;
}

function cardJson(card: PaperCard): PaperJson {
  return { id: card.id, title: card.title, score: card.score === undefined ? null : round(card.score), published: card.published ?? null, upvotes: card.upvotes, link: card.links.primary };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
