import type { PaperLibrary } from '../index/library.js';
import type { Paper } from '../model/paper.js';

/** One autocomplete choice: what the user sees, and what is filled in when picked. */
export interface Suggestion {
  name: string;
  value: string;
}

export interface SuggestOptions {
  limit?: number;
  /** Platforms cap choice names (Discord: 100); the title is shortened so the id stays visible. */
  maxNameLength?: number;
}

/** How many search results are looked through for titles that continue what was typed. */
const POOL = 200;
/** A query completion runs to the end of the word being typed and at most this many words more. */
const WORDS_AFTER = 2;

/**
 * Autocomplete as the user types. For a paper (`id`) the choices are papers, those whose title
 * contains the typed phrase first (the last word may be half typed); the value is the id. For a
 * `query` they are queries: the typed phrase completed the way titles continue it, a few words
 * long, never a whole title. An index that is still loading suggests nothing rather than failing
 * the keystroke.
 */
export function suggestPapers(library: PaperLibrary, typed: string, field: 'id' | 'query', options: SuggestOptions = {}): Suggestion[] {
  if (!library.ready) return [];
  const limit = options.limit ?? 25;
  const max = options.maxNameLength ?? Infinity;
  const papers = candidates(library, typed);
  if (field === 'query') return queryCompletions(typed, papers, limit, max);
  return papers.slice(0, limit).map((paper) => {
    const suffix = ` · ${paper.id}`;
    return { name: shorten(paper.title, max - suffix.length) + suffix, value: paper.id };
  });
}

/** Papers for what was typed: exact id, then titles continuing the phrase, then the search's order. */
function candidates(library: PaperLibrary, typed: string): Paper[] {
  const index = library.current();
  const text = typed.trim();
  if (!text) return index.suggest('', POOL);
  const halfTyped = !/\s$/.test(typed);
  const words = text.split(/\s+/);
  const complete = halfTyped ? words.slice(0, -1).join(' ') : text;
  const seen = new Set<Paper>();
  const pool: Paper[] = [];
  const add = (papers: readonly Paper[]) => {
    for (const p of papers) {
      if (seen.has(p)) continue;
      seen.add(p);
      pool.push(p);
    }
  };
  const exact = index.get(text);
  if (exact) add([exact]);
  add(index.search(text, { limit: POOL }).map((h) => h.paper));
  // The half word alone may mean nothing to the search ("compr"); the words before it still do.
  if (complete && complete !== text) add(index.search(complete, { limit: POOL }).map((h) => h.paper));
  const phrase = phraseMatcher(text, halfTyped);
  const continuing = pool.filter((p) => p !== exact && phrase.test(p.title));
  return [...(exact ? [exact] : []), ...continuing, ...pool.filter((p) => p !== exact && !phrase.test(p.title))];
}

/** Matches the typed words in order at word starts; a half-typed last word matches as a prefix. */
function phraseMatcher(text: string, halfTyped: boolean): RegExp {
  const words = text.toLowerCase().split(/\s+/).map(escapeRegExp);
  return new RegExp(`(?:^|[^\\p{L}\\p{N}])${words.join('[^\\p{L}\\p{N}]+')}${halfTyped ? '' : '(?![\\p{L}\\p{N}])'}`, 'iu');
}

function queryCompletions(typed: string, papers: readonly Paper[], limit: number, max: number): Suggestion[] {
  const text = typed.trim().replace(/\s+/g, ' ');
  if (!text) return [];
  const halfTyped = !/\s$/.test(typed);
  const words = text.toLowerCase().split(' ').map(escapeRegExp);
  const continuation = new RegExp(`(?:^|[^\\p{L}\\p{N}])(${words.join('[^\\p{L}\\p{N}]+')}${halfTyped ? '[\\p{L}\\p{N}-]*' : ''}(?:[ :,-]+[\\p{L}\\p{N}-]+){0,${WORDS_AFTER}})`, 'iu');
  const counts = new Map<string, number>();
  for (const paper of papers) {
    const m = continuation.exec(paper.title);
    if (!m) continue;
    const query = m[1]!.toLowerCase().replace(/[:,]+/g, ' ').replace(/\s+/g, ' ').trim().replace(TRAILING_LINK_WORDS, '');
    // The completed word alone, and the phrase a few words on: both are queries people type.
    const shortest = query.split(' ').slice(0, words.length).join(' ').replace(TRAILING_LINK_WORDS, '');
    for (const q of new Set([shortest, query])) counts.set(q, (counts.get(q) ?? 0) + 1);
  }
  if (counts.size === 0 && halfTyped) completeLastWord(text, papers, counts);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length).map(([q]) => q);
  const choices = ranked.length > 0 ? ranked : [text];
  return choices.slice(0, limit).map((q) => ({ name: shorten(q, max), value: q }));
}

/** No title continues the whole phrase ("moe rout"): the half word is completed from the titles found. */
function completeLastWord(text: string, papers: readonly Paper[], counts: Map<string, number>): void {
  const words = text.toLowerCase().split(' ');
  const partial = words.pop()!;
  const starts = new RegExp(`(?:^|[^\\p{L}\\p{N}])(${escapeRegExp(partial)}[\\p{L}\\p{N}-]*)`, 'giu');
  for (const paper of papers) {
    for (const m of new Set([...paper.title.matchAll(starts)].map((x) => x[1]!.toLowerCase()))) {
      const q = [...words, m].join(' ');
      counts.set(q, (counts.get(q) ?? 0) + 1);
    }
  }
}

/** A completion that stops on "for" or "of" reads as unfinished: those words are dropped from its end. */
const TRAILING_LINK_WORDS = /(?:\s+(?:a|an|the|and|or|for|of|in|on|to|with|via|by|from|at|as|is|are))+$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}
