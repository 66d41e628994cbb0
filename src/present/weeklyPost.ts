import type { Paper } from '../model/paper.js';
import { plain, type Block, type Reply } from '../model/reply.js';
import { humanDate } from '../time/days.js';
import { formatLocal } from '../time/schedule.js';
import { paperCard } from './cards.js';
import { paperLinks } from './links.js';

/** A paper whose upvotes grew after its own day. */
export interface LateBloomer {
  paper: Paper;
  /** The paper's first digest day. */
  ownDay: string;
  /** Upvotes on its own day, or at the first observation after it, and the day of that observation. */
  before: number;
  beforeDay: string;
  latest: number;
}

export interface WeeklyPost {
  /** The ISO week the post is for, e.g. 2026-W49. */
  week: string;
  /** The first and last digest days of the window. */
  from: string;
  until: string;
  reply: Reply;
}

/** The weekly digest: the window's best papers by upvotes, then the late bloomers, each with its growth. */
export function buildWeeklyPost(week: string, window: { from: string; until: string; digests: number }, best: readonly Paper[], bloomers: readonly LateBloomer[]): WeeklyPost {
  const span = window.from === window.until ? humanDate(window.until) : `${humanDate(window.from)} – ${humanDate(window.until)}`;
  const blocks: Block[] = [
    { kind: 'heading', text: `Best papers of the week: ${span}` },
    { kind: 'context', text: `Top ${best.length} by upvotes among the papers of the last ${window.digests} digest${window.digests === 1 ? '' : 's'}.` },
  ];
  for (const paper of best) blocks.push({ kind: 'paper', card: paperCard(paper) });
  blocks.push({ kind: 'heading', text: 'Late bloomers' });
  if (bloomers.length === 0) {
    blocks.push({ kind: 'context', text: 'No paper of the last weeks gained upvotes after its own day yet.' });
  } else {
    blocks.push({ kind: 'context', text: 'Papers whose upvotes grew most after their own day.' });
    const lines = bloomers.map((b) => `• ${b.paper.title}: +${b.latest - b.before} upvotes since ${humanDate(b.beforeDay)} (${b.before} → ${b.latest}) ${paperLinks(b.paper).primary}`);
    blocks.push({ kind: 'text', text: plain(lines.join('\n')) });
  }
  return { week, from: window.from, until: window.until, reply: { visibility: 'channel', blocks } };
}

/** The same post, saying when it was due because it goes out late (after downtime, say). */
export function weeklyMarkedLate(post: WeeklyPost, dueAt: Date, timezone: string): WeeklyPost {
  const [heading, ...rest] = post.reply.blocks;
  const note: Block = { kind: 'context', text: `Late: this weekly digest was due ${formatLocal(dueAt, timezone)}.` };
  return { ...post, reply: { ...post.reply, blocks: [heading!, note, ...rest] } };
}
