import { humanDate, paperCard } from '../commands/cards.js';
import type { PaperIndex } from '../index/paperIndex.js';
import type { Paper } from '../model/paper.js';
import { plain, type Block, type Reply } from '../model/reply.js';
import { tldr } from '../summary/tldr.js';
import { formatLocal } from './schedule.js';

export interface DailyPost {
  /** The digest the post shows: the latest one on or before the day. */
  digestDate: string;
  reply: Reply;
  threadTitle: string;
  /** One reply per paper with its full TL;DR, posted under the main post. */
  thread: Reply[];
}

export interface DailyPostOptions {
  /** The channel's local day the post is for. */
  day: string;
  topN: number;
  timezone: string;
  /** Set when the post goes out after its time (downtime, retries): when it was due. */
  lateSince?: Date;
}

/**
 * The daily post: a header with the digest date, the top papers of that digest with a one-line
 * TL;DR and link each, and the longer summaries kept for a thread. Undefined when there is no
 * digest up to the day.
 */
export function buildDailyPost(index: PaperIndex, options: DailyPostOptions): DailyPost | undefined {
  const result = index.trending('day', options.day, options.topN);
  if (!result.anchor || result.hits.length === 0) return undefined;
  const digest = humanDate(result.anchor);
  const blocks: Block[] = [{ kind: 'heading', text: `Trending papers of ${digest}` }];
  const context = [`Top ${result.hits.length} of the ${digest} digest by upvotes and rank. Summaries in the thread.`];
  if (options.lateSince) context.push(`Late: this post was due ${formatLocal(options.lateSince, options.timezone)}.`);
  blocks.push({ kind: 'context', text: context.join(' ') });
  for (const hit of result.hits) blocks.push({ kind: 'paper', card: paperCard(hit.paper) });
  return {
    digestDate: result.anchor,
    reply: { visibility: 'channel', blocks },
    threadTitle: `Summaries: ${digest}`,
    thread: result.hits.map((hit) => summaryReply(hit.paper)),
  };
}

/** The full TL;DR of one paper, as the `summary` command shows it. */
export function summaryReply(paper: Paper): Reply {
  const sentences = tldr(paper);
  const card = paperCard(paper, []);
  return {
    visibility: 'channel',
    blocks: [
      { kind: 'heading', text: `TL;DR: ${paper.title}` },
      { kind: 'text', text: plain(sentences.length > 0 ? sentences.map((s) => `• ${s.text}`).join('\n') : 'The digest has no abstract for this paper.') },
      { kind: 'context', text: `Sentences quoted from the abstract. Read it: ${card.links.primary}` },
    ],
  };
}
