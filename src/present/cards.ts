import type { SearchHit } from '../index/paperIndex.js';
import type { Paper } from '../model/paper.js';
import { plain, type Block, type Button, type MarkedText, type PaperCard } from '../model/reply.js';
import { firstSentence } from '../summary/tldr.js';
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
  if (paper.authorCount !== undefined) return `${paper.authorCount} author${paper.authorCount === 1 ? '' : 's'}`;
  return undefined;
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

export function paperButtons(paper: Paper): Button[] {
  return [
    { label: 'Summary', command: `summary ${paper.id}`, style: 'primary' },
    { label: 'More like this', command: `like ${paper.id}` },
    { label: 'Save', command: `save ${paper.id}` },
  ];
}

/** A card followed by its buttons: what every list of papers is made of. */
export function cardBlocks(hit: Pick<SearchHit, 'paper'> & Partial<Pick<SearchHit, 'snippet' | 'score'>>): Block[] {
  return [
    { kind: 'paper', card: paperCard(hit.paper, hit.snippet, hit.score) },
    { kind: 'actions', buttons: paperButtons(hit.paper) },
  ];
}
