import type { Paper } from '../model/paper.js';
import { titleKey } from './text.js';

/**
 * Folds appearances of the same paper (same arXiv id, or same normalised title) into one paper.
 * Later digests win for upvotes; richer fields (author names, arXiv id, explicit years) are kept
 * from whichever source has them.
 */
export function mergePapers(papers: Iterable<Paper>): Paper[] {
  const byKey = new Map<string, Paper>();
  const out: Paper[] = [];
  for (const incoming of papers) {
    const existing = (incoming.arxivId && byKey.get(`a:${incoming.arxivId}`)) || byKey.get(`t:${titleKey(incoming.title)}`);
    if (!existing) {
      const copy: Paper = { ...incoming, digests: [...incoming.digests] };
      out.push(copy);
      index(byKey, copy);
      continue;
    }
    mergeInto(existing, incoming);
    index(byKey, existing);
  }
  for (const p of out) p.digests.sort((a, b) => a.date.localeCompare(b.date) || a.file.localeCompare(b.file));
  return out;
}

function index(byKey: Map<string, Paper>, paper: Paper): void {
  byKey.set(`t:${titleKey(paper.title)}`, paper);
  if (paper.arxivId) byKey.set(`a:${paper.arxivId}`, paper);
}

/** ISO dates sort as strings; a paper lists a handful of digests at most. */
const latestDigestDate = (paper: Paper): string =>
  paper.digests
    .map((d) => d.date)
    .sort()
    .at(-1) ?? '';

function mergeInto(target: Paper, other: Paper): void {
  if (latestDigestDate(other) >= latestDigestDate(target)) target.upvotes = other.upvotes;
  for (const d of other.digests) {
    if (!target.digests.some((t) => t.date === d.date && t.file === d.file)) target.digests.push(d);
  }
  if (other.arxivId && !target.arxivId) {
    target.arxivId = other.arxivId;
    target.id = other.arxivId;
  }
  if (other.abstract.length > target.abstract.length) target.abstract = other.abstract;
  if (other.authors.length > target.authors.length) target.authors = other.authors;
  target.authorCount ??= other.authorCount;
  target.organization ??= other.organization;
  if (other.published && (!target.published || (target.publishedYearInferred && !other.publishedYearInferred))) {
    target.published = other.published;
    if (other.publishedYearInferred) target.publishedYearInferred = true;
    else delete target.publishedYearInferred;
  }
  target.numComments ??= other.numComments;
  target.aiSummary ??= other.aiSummary;
  target.keywords ??= other.keywords;
  // Stars belong to their repository: taken with it, or from the same repository seen again.
  if (!target.githubRepo && other.githubRepo) {
    target.githubRepo = other.githubRepo;
    if (other.githubStars !== undefined) target.githubStars = other.githubStars;
  } else if (target.githubRepo === other.githubRepo) target.githubStars ??= other.githubStars;
  target.projectPage ??= other.projectPage;
}
