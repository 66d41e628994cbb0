import { stemmer } from 'stemmer';
import { americanSpelling } from './spelling.js';

/**
 * How text becomes index terms, shared by indexing, querying, snippets and acronym matching
 * so that all four agree on what "the same word" is.
 */

// Function words that carry no topic; "model" and "learning" stay: in papers they still rank.
const STOP_WORDS = new Set(
  (
    'a an and are as at be but by can do does for from had has have how i if in into is it its ' +
    'of on or our that the their then there these they this those to was we were what when where ' +
    'which while who whom why will with within without you your paper papers about any show find ' +
    'me us via'
  ).split(' '),
);

/** Splits on anything that is not a letter or digit (hyphens too: "Mixture-of-Experts"). */
export const TOKEN_SPLIT = /[^\p{L}\p{N}]+/u;

export function tokenize(text: string): string[] {
  return text.split(TOKEN_SPLIT).filter((t) => t.length > 0);
}

/** Lower-cased, stop words dropped, in American spelling, English-stemmed; null for a word that is not a term. */
export function toTerm(word: string): string | null {
  const lower = word.toLowerCase();
  if (lower.length === 0 || STOP_WORDS.has(lower)) return null;
  // Stemming numbers or short acronyms only loses information ("gpt4", "vit").
  if (lower.length <= 3 || /\d/.test(lower)) return lower;
  let stem = STEMS.get(lower);
  if (stem === undefined) {
    stem = stemmer(americanSpelling(lower));
    // A corpus has far fewer distinct words than tokens; bound the cache all the same.
    if (STEMS.size >= MAX_CACHED_STEMS) STEMS.clear();
    STEMS.set(lower, stem);
  }
  return stem;
}

const STEMS = new Map<string, string>();
const MAX_CACHED_STEMS = 500_000;

export function toTerms(text: string): string[] {
  const out: string[] = [];
  for (const word of tokenize(text)) {
    const term = toTerm(word);
    if (term) out.push(term);
  }
  return out;
}
