import type { PaperIndex } from '../index/paperIndex.js';
import type { Paper } from '../model/paper.js';
import type { Block, Reply } from '../model/reply.js';
import { formatLocal } from '../time/schedule.js';
import { paperButtons, paperCard } from './cards.js';
import { tldrBlocks } from './tldrBlocks.js';
import { humanDate } from '../time/days.js';

export interface DailyPost {
  /** The digest the post shows: the latest one on or before the day. */
  digestDate: string;
  reply: Reply;
  threadTitle: string;
  /** One reply per paper with its full TL;DR, posted under the main post. */
  thread: Reply[];
}

/**
 * The daily post for a channel-local day: a header with the digest date, the top papers of the
 * latest digest up to that day with a one-line TL;DR and link each, and the longer summaries
 * kept for a thread. Undefined when there is no digest up to the day.
 */
export function buildDailyPost(index: PaperIndex, day: string, topN: number): DailyPost | undefined {
  const result = index.trending('day', day, topN);
  if (!result.anchor || result.hits.length === 0) return undefined;
  const digest = humanDate(result.anchor);
  const blocks: Block[] = [
    { kind: 'heading', text: `Trending papers of ${digest}` },
    { kind: 'context', text: `Top ${result.hits.length} of the ${digest} digest by upvotes and rank. Summaries in the thread.` },
  ];
  for (const hit of result.hits) blocks.push({ kind: 'paper', card: paperCard(hit.paper) });
  return {
    digestDate: result.anchor,
    reply: { visibility: 'channel', blocks },
    threadTitle: `Summaries: ${digest}`,
    thread: result.hits.map((hit) => summaryReply(hit.paper)),
  };
}

/** The same post, saying when it was due (shown in the channel's zone) because it goes out late. */
export function markedLate(post: DailyPost, dueAt: Date, timezone: string): DailyPost {
  const [heading, ...rest] = post.reply.blocks;
  const note: Block = { kind: 'context', text: `Late: this post was due ${formatLocal(dueAt, timezone)}.` };
  return { ...post, reply: { ...post.reply, blocks: [heading!, note, ...rest] } };
}

/** The full TL;DR of one paper, as the `summary` command shows it. */
export function summaryReply(paper: Paper): Reply {
  // The post's cards carry no buttons (a post holds up to ten papers); each paper's summary carries its Save.
  const blocks: Block[] = [...tldrBlocks(paper, `TL;DR: ${paper.title}`), { kind: 'actions', buttons: paperButtons(paper, { summary: false }) }];
  return { visibility: 'channel', blocks, about: [{ id: paper.id, title: paper.title }] };
}
