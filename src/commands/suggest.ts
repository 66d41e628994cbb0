import type { PaperLibrary } from '../index/library.js';

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

/**
 * Autocomplete for a paper option as the user types: titles matching the prefix. For an `id`
 * option the value is the paper id; for a `query` option it is the title words themselves.
 * An index that is still loading suggests nothing rather than failing the keystroke.
 */
export function suggestPapers(library: PaperLibrary, prefix: string, field: 'id' | 'query', options: SuggestOptions = {}): Suggestion[] {
  if (!library.ready) return [];
  const max = options.maxNameLength ?? Infinity;
  return library
    .current()
    .suggest(prefix, options.limit ?? 25)
    .map((paper) => {
      if (field === 'query') return { name: shorten(paper.title, max), value: paper.title };
      const suffix = ` · ${paper.id}`;
      return { name: shorten(paper.title, max - suffix.length) + suffix, value: paper.id };
    });
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}
