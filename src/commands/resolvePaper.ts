import type { PaperIndex } from '../index/paperIndex.js';
import { NotFoundError, UsageError } from '../model/errors.js';
import type { Paper } from '../model/paper.js';

/** How far ahead the best title match must be to be taken without asking. */
const CLEAR_WIN = 1.5;

/**
 * An id, an exact title, or title words that clearly point to one paper. Anything vaguer is a
 * NotFoundError naming the nearest titles, so the user can pick instead of guessing.
 */
export function resolvePaper(index: PaperIndex, text: string, usage: string): Paper {
  const wanted = text.trim();
  if (!wanted) throw new UsageError(`Which paper? Usage: \`${usage}\` with an id from a search result.`);
  const exact = index.get(wanted);
  if (exact) return exact;
  const hits = index.search(wanted, { limit: 3 });
  const [first, second] = hits;
  const looksLikeId = /^(\d{4}\.\d{4,5}|t-[0-9a-f]{6,})$/i.test(wanted);
  if (first && !looksLikeId && (!second || first.score >= CLEAR_WIN * second.score)) return first.paper;
  const nearest = hits.map((h) => `• ${h.paper.title} (${h.paper.id})`).join('\n');
  throw new NotFoundError(
    `No paper with id or title “${wanted}”.` + (nearest ? ` Did you mean:\n${nearest}` : ' Try `find <words>` to search.'),
  );
}
