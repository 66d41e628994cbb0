import type { PaperIndex } from '../index/paperIndex.js';
import { toTerms } from '../index/terms.js';
import { NotFoundError, UsageError } from '../model/errors.js';
import type { Paper } from '../model/paper.js';
import { arxivIdOf, looksLikeId } from '../parser/ids.js';
import { editDistanceAtMost } from '../text/editDistance.js';

/** How far ahead the best title match must be to be taken without asking. */
const CLEAR_WIN = 1.5;
/** Suggestions listed with a not-found answer. */
const SUGGESTIONS = 3;
/** Title hits looked at for title words. */
const TITLE_DEPTH = 10;

/**
 * The paper named by an id (arXiv with or without version, or its arxiv.org / huggingface.co
 * URL; title-derived), an exact title, or title words all found in one title that clearly
 * leads the others. Anything else is a NotFoundError saying the id is unknown, with the
 * closest ids and, for title words, the closest titles: never another paper.
 */
export function resolvePaper(index: PaperIndex, text: string, usage: string): Paper {
  const wanted = text.trim();
  if (!wanted) throw new UsageError(`Which paper? Usage: \`${usage}\` with an id from a search result.`);
  const exact = index.get(wanted);
  if (exact) return exact;
  if (looksLikeId(wanted)) throw unknownId(index, wanted);
  const hits = index.search(wanted, { limit: TITLE_DEPTH });
  const terms = new Set(toTerms(wanted));
  const inTitle = hits.filter((h) => terms.size > 0 && [...terms].every((t) => toTerms(h.paper.title).includes(t)));
  const [first, second] = inTitle;
  if (first && (!second || first.score >= CLEAR_WIN * second.score)) return first.paper;
  if (inTitle.length > 1) {
    throw new NotFoundError(`Several titles have the words “${wanted}”. Which one?\n${list(inTitle.slice(0, SUGGESTIONS).map((h) => h.paper))}`);
  }
  // One word that no title has is more likely a mistyped id than title words.
  if (!/\s/.test(wanted)) throw unknownId(index, wanted);
  // Closest titles: those sharing most of the words, never ones that share none.
  const shared = (p: Paper) => toTerms(p.title).filter((t) => terms.has(t)).length;
  const nearest = hits
    .map((h) => ({ paper: h.paper, shared: shared(h.paper) }))
    .filter((h) => h.shared > 0)
    .sort((a, b) => b.shared - a.shared)
    .slice(0, SUGGESTIONS)
    .map((h) => h.paper);
  throw new NotFoundError(
    `No paper with id or title “${wanted}”.` + (nearest.length > 0 ? ` Closest titles:\n${list(nearest)}` : ` No title has these words; \`find ${wanted}\` searches the abstracts too.`),
  );
}

/** What an id-shaped query names: a paper, or an arXiv paper the digests do not have (and the closest ids). */
export type Reference = { kind: 'paper'; paper: Paper } | { kind: 'unknown'; message: string };

/**
 * For commands that otherwise search (`find 2511.05271v2`): the paper that text shaped like an
 * id names (an id, an arXiv id with or without version, an arxiv.org or huggingface.co/papers
 * URL), 'unknown' for an arXiv id or URL of a paper not in the digests (rather than a search
 * for its digits), undefined for anything else.
 */
export function paperByReference(index: PaperIndex, text: string): Reference | undefined {
  const wanted = text.trim();
  if (!looksLikeId(wanted)) return undefined;
  const paper = index.get(wanted);
  if (paper) return { kind: 'paper', paper };
  return arxivIdOf(wanted) !== undefined ? { kind: 'unknown', message: unknownId(index, wanted).userMessage } : undefined;
}

function unknownId(index: PaperIndex, wanted: string): NotFoundError {
  const arxivId = arxivIdOf(wanted);
  const close = closestIds(index, arxivId ?? wanted);
  const papers = close.flatMap((id) => index.get(id) ?? []);
  const hint = arxivId !== undefined ? ` arXiv ${arxivId} is not in the digests.` : ' Paper ids look like 2511.05271 (arXiv) or t-4d36e57de3; `find <words>` searches titles and abstracts.';
  return new NotFoundError(`No paper with id or title “${wanted}”.` + (papers.length > 0 ? ` Closest ids:\n${list(papers)}` : hint));
}

/** Ids one or two slips away (a letter missing, extra, changed or swapped), or that start with the text; closest first. */
function closestIds(index: PaperIndex, typed: string): string[] {
  const key = typed.toLowerCase();
  const allowed = key.length >= 8 ? 2 : 1;
  const scored: { id: string; distance: number }[] = [];
  for (const id of index.idKeys()) {
    if (key.length >= 4 && id.startsWith(key)) {
      scored.push({ id, distance: id.length === key.length + 1 ? 1 : allowed });
      continue;
    }
    const distance = editDistanceAtMost(key, id, allowed);
    if (distance !== undefined) scored.push({ id, distance });
  }
  return scored
    .sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : 1))
    .slice(0, SUGGESTIONS)
    .map((s) => s.id);
}

function list(papers: readonly Paper[]): string {
  return papers.map((p) => `• ${p.id}: ${p.title}`).join('\n');
}
