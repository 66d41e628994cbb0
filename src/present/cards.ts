import type { SearchHit } from '../index/paperIndex.js';
import type { Paper } from '../model/paper.js';
import { plain, type Block, type Button, type MarkedText, type PaperCard } from '../model/reply.js';
import { firstSentence } from '../summary/tldr.js';
import { plural } from '../text/plural.js';
import { paperLinks } from './links.js';

/** Keywords a card shows: enough to tell what the paper is about at a glance. */
const CARD_KEYWORDS = 5;

/** "NVIDIA", "A. Author, B. Author, C. Author et al.", or "5 authors". */
export function byline(paper: Paper): string | undefined {
  if (paper.organization) return paper.organization.name;
  if (paper.authors.length > 0) {
    const shown = paper.authors.slice(0, 3).join(', ');
    return paper.authors.length > 3 ? `${shown} et al.` : shown;
  }
  if (paper.authorCount !== undefined) return plural(paper.authorCount, 'author');
  return undefined;
}

/** One item of a card's facts line; each renderer styles the kinds its own way (Slack sets the id as code). */
export interface CardFact {
  kind: 'id' | 'published' | 'upvotes' | 'byline';
  text: string;
}

/** What stands between two facts on the line. */
export const FACT_SEPARATOR = ' · ';

/** The line under a card's title: id · date · ▲ upvotes · byline, leaving out what the digest does not say. */
export function cardFacts(card: PaperCard): CardFact[] {
  const facts: CardFact[] = [{ kind: 'id', text: card.id }];
  if (card.published) facts.push({ kind: 'published', text: card.published });
  facts.push({ kind: 'upvotes', text: `▲ ${card.upvotes}` });
  if (card.byline) facts.push({ kind: 'byline', text: card.byline });
  return facts;
}

export function paperCard(paper: Paper, snippet?: MarkedText, score?: number): PaperCard {
  const card: PaperCard = {
    id: paper.id,
    title: paper.title,
    links: paperLinks(paper),
    upvotes: paper.upvotes,
    snippet: snippet ?? plain(firstSentence(paper)),
  };
  if (paper.published) card.published = paper.published;
  const by = byline(paper);
  if (by) card.byline = by;
  if (score !== undefined) card.score = score;
  if (paper.aiSummary && snippet) card.aiSummary = paper.aiSummary;
  if (paper.githubRepo) card.code = paper.githubStars === undefined ? { repo: paper.githubRepo } : { repo: paper.githubRepo, stars: paper.githubStars };
  if (paper.projectPage) card.projectPage = paper.projectPage;
  if (paper.keywords?.length) card.keywords = paper.keywords.slice(0, CARD_KEYWORDS);
  return card;
}

/** A paper's buttons; `summary: false` where its summary is already shown (a daily post's thread). */
export function paperButtons(paper: Paper, { summary = true } = {}): Button[] {
  return [
    ...(summary ? [{ label: 'Summary', command: `summary ${paper.id}`, style: 'primary' } as const] : []),
    { label: 'More like this', command: `like ${paper.id}` },
    { label: 'Save', command: `save ${paper.id}` },
  ];
}

/** A card followed by its buttons: what every list of papers is made of. */
export function cardBlocks(hit: Pick<SearchHit, 'paper'> & Partial<Pick<SearchHit, 'snippet' | 'score'>>, options: { nearMiss?: boolean } = {}): Block[] {
  const card = paperCard(hit.paper, hit.snippet, hit.score);
  return [options.nearMiss ? { kind: 'paper', card, nearMiss: true } : { kind: 'paper', card }, { kind: 'actions', buttons: paperButtons(hit.paper) }];
}
