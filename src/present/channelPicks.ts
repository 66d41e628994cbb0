import type { PickReason, TastePick } from '../index/tastePicks.js';
import type { Block } from '../model/reply.js';
import { paperButtons, paperCard } from './cards.js';
import type { DailyPost } from './dailyPost.js';

/** Picks the daily post's "For this channel" section shows. */
export const DAILY_PICKS = 3;

/** A reason names the liked paper in a line: long titles are cut at a word. */
const REASON_TITLE = 80;

function shortTitle(title: string): string {
  if (title.length <= REASON_TITLE) return title;
  const cut = title.slice(0, REASON_TITLE);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), REASON_TITLE / 2)).replace(/[\s:,;–-]+$/, '')}…`;
}

function people(n: number): string {
  return `${n} ${n === 1 ? 'person' : 'people'}`;
}

/** “Like “X”, saved by 3 people” / “Like “X”, 👍 from 2 people”: why the channel gets this pick. */
export function pickReason(because: PickReason): string {
  const counts: string[] = [];
  if (because.likes > 0) counts.push(`👍 from ${people(because.likes)}`);
  if (because.saves > 0) counts.push(`saved by ${people(because.saves)}`);
  return `Like “${shortTitle(because.title)}”${counts.length > 0 ? `, ${counts.join(', ')}` : ''}`;
}

/** Each pick as a card, its reason under it, and its buttons. */
export function pickBlocks(picks: readonly TastePick[]): Block[] {
  return picks.flatMap((pick): Block[] => [
    { kind: 'paper', card: paperCard(pick.paper) },
    { kind: 'context', text: pickReason(pick.because) },
    { kind: 'actions', buttons: paperButtons(pick.paper) },
  ]);
}

/** Cards one message shows at most (Discord: 10 embeds), so the section never pushes papers out of the post. */
const MAX_CARDS = 10;

/**
 * The daily post with a "For this channel" section after its trending papers: each pick's card
 * says so, with its reason, on every platform (Discord shows headings above all cards, so the
 * label goes with each card). At most DAILY_PICKS, none already in the post; unchanged without picks.
 */
export function withChannelPicks(post: DailyPost, picks: readonly TastePick[]): DailyPost {
  const inPost = new Set(post.reply.blocks.flatMap((b) => (b.kind === 'paper' ? [b.card.id] : [])));
  // A trending paper the channel would like is already in the post: the section adds others.
  const shown = picks.filter((p) => !inPost.has(p.paper.id)).slice(0, Math.max(0, Math.min(DAILY_PICKS, MAX_CARDS - inPost.size)));
  if (shown.length === 0) return post;
  const section = shown.flatMap((pick): Block[] => [
    { kind: 'paper', card: paperCard(pick.paper) },
    { kind: 'context', text: `For this channel: ${lowerFirst(pickReason(pick.because))}` },
  ]);
  return { ...post, reply: { ...post.reply, blocks: [...post.reply.blocks, ...section] } };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
