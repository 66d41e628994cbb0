import { editDistance } from '../text/editDistance.js';

/**
 * What a query asks for, need by need, and how well a paper meets it. A need is one word of the
 * query, or a run of words an acronym stands for; it is met when any of its alternatives is
 * ("moe" or "mixture of experts"), each alternative being text whose words must all match.
 */
export interface Need {
  /** The alternatives as text, the typed (or corrected) one first. */
  alternatives: string[];
  /** Index terms of each alternative. */
  terms: string[][];
  /** How much meeting it says: the rarer its words in the library, the more. */
  weight: number;
  /** Its words are in so many papers that the search leaves them out (see PaperIndex.withoutCommonWords). */
  common: boolean;
}

/** Alternatives spelled out for "every need met" queries, at most: a query with many acronyms stays a few queries. */
const MAX_ALL_WORDS_QUERIES = 16;

/** Each way of meeting every need, as the text of one query whose words must all match. */
export function allWordsQueries(needs: readonly Need[]): string[] {
  let queries = [''];
  for (const need of needs) {
    const next: string[] = [];
    for (const q of queries) for (const alt of need.alternatives) if (next.length < MAX_ALL_WORDS_QUERIES) next.push(q ? `${q} ${alt}` : alt);
    queries = next;
  }
  return queries.filter((q) => q.length > 0);
}

/** Whether any alternative of the need has all its terms among `matched`. */
export function meets(need: Need, matched: (term: string) => boolean): boolean {
  return need.terms.some((alt) => alt.length > 0 && alt.every(matched));
}

/**
 * A paper that meets only some needs still answers the query in good part when it meets at
 * least two, and either they weigh more than the ones it misses ("weed detection" for "weed
 * detection in agriculture", not "recipe" for "banana bread recipe") or, in a query of four
 * needs or more (a description rather than a name), they are half of them.
 */
export function answersPartly(needs: readonly Need[], met: readonly boolean[]): boolean {
  let count = 0;
  let weight = 0;
  let total = 0;
  needs.forEach((need, i) => {
    total += need.weight;
    if (met[i]) {
      count++;
      weight += need.weight;
    }
  });
  return count >= 2 && (weight > total / 2 || (needs.length >= DESCRIPTION_NEEDS && count * 2 >= needs.length));
}

const DESCRIPTION_NEEDS = 4;

/**
 * Whether the title carries two or more needs that follow each other in the query, as a phrase
 * ("Soccer Video Understanding" for "football video understanding"): the paper is about that
 * part of the query, not merely using its words.
 */
export function titleHasNeedRun(needs: readonly Need[], title: readonly string[]): boolean {
  for (let i = 0; i + 1 < needs.length; i++) {
    for (const a of needs[i]!.terms) for (const b of needs[i + 1]!.terms) if (a.length > 0 && b.length > 0 && hasRun(title, [...a, ...b])) return true;
  }
  return false;
}

/** Inverse document frequency of a word in `papers` papers of `docCount`: a word no paper has weighs most. */
export function rarity(papers: number, docCount: number): number {
  return Math.log(1 + (docCount - papers + 0.5) / (papers + 0.5));
}

/** One slip of the keys: a letter added, dropped, changed, or two neighbours swapped. */
export function oneSlipApart(a: string, b: string): boolean {
  if (editDistance(a, b) <= 1) return true;
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((ch, i) => (ch !== b[i] ? [i] : []));
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
}

/** Edits between two words, a swap of two neighbours counting as one. */
export function slipDistance(a: string, b: string): number {
  return a === b ? 0 : oneSlipApart(a, b) ? 1 : editDistance(a, b);
}

/** Whether `inner` occurs in `outer` as a run of whole terms. */
export function hasRun(outer: readonly string[], inner: readonly string[]): boolean {
  if (inner.length === 0 || inner.length > outer.length) return false;
  for (let i = 0; i + inner.length <= outer.length; i++) if (inner.every((t, j) => outer[i + j] === t)) return true;
  return false;
}
