import { byline } from '../present/cards.js';
import type { Paper } from '../model/paper.js';
import type { AnswerLine } from './answer.js';
import { humanDate } from '../time/days.js';
import { plural } from '../text/plural.js';

export const MAX_LISTED = 8;

/** A paper as one line of facts read from the digest: title, id, who, when, upvotes. */
export function paperFactLine(paper: Paper, n: number, show: { upvotes?: boolean; by?: boolean; published?: boolean } = {}): AnswerLine {
  const facts: string[] = [paper.id];
  const by = byline(paper);
  if (show.by !== false && by) facts.push(by);
  if (show.published && paper.published) facts.push(`published ${humanDate(paper.published)}`);
  if (show.upvotes) facts.push(`▲ ${paper.upvotes}`);
  return { text: `${paper.title} (${facts.join(' · ')})`, cites: [n] };
}

/** "and 12 more" under a cut list, so a count is never hidden. */
export function moreLine(total: number, shown: number, hint: string): AnswerLine[] {
  return total > shown ? [{ text: `…and ${plural(total - shown, 'more paper')}. ${hint}`, cites: [] }] : [];
}
