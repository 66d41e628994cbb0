import type { Postings } from './postings.js';
import { tokenize, toTerm } from './terms.js';

/**
 * Query evaluation over Postings with the scoring the ranking was tuned on (MiniSearch 7's):
 * BM25+ per field with field boosts, prefix and typo matches weighted down by how far they
 * are from the query word, OR of the words, phrases whose words must all match, and a final
 * multiplier for how many distinct query words a paper matched. Scores add up in flat arrays
 * (one slot per paper, reused between queries): a matching paper costs a few array entries,
 * not an object, and only the best `top` become Match objects.
 */

/** Any of `words`; and, for each phrase, papers having every one of its words. */
export interface Query {
  words: string;
  phrases?: readonly string[];
}

export interface QueryOptions {
  /** Boost per field, in field order. */
  boosts: readonly number[];
  /** Whether a query term also matches longer index terms starting with it. */
  prefix: (term: string) => boolean;
  /** Edit distance allowed for a query term: a share of its length (< 1), or a count, or false. */
  fuzzy: (term: string) => number | false;
  maxFuzzy: number;
  weights: { fuzzy: number; prefix: number };
}

export interface Match {
  doc: number;
  score: number;
  /** Query terms the document matched. */
  queryTerms: string[];
  /** Index terms the document matched (differs from the query terms for prefix and typo matches). */
  terms: Set<string>;
}

export interface RunOptions {
  /** Only documents this accepts count. */
  keep?: (doc: number) => boolean;
  /** How many of the best matches to return, in order. */
  top: number;
}

const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

/**
 * The best `top` matches, best first (equal scores keep the order papers were first matched
 * in), and how many documents matched in all.
 */
export function runQuery(postings: Postings, query: Query, options: QueryOptions, run: RunOptions): { total: number; top: Match[] } {
  const pool = poolOf(postings);
  const queryTerms: string[] = [];
  const bitOf = (term: string) => {
    let bit = queryTerms.indexOf(term);
    if (bit < 0) bit = queryTerms.push(term) - 1;
    return bit;
  };
  const words = terms(query.words);
  const phrases = (query.phrases ?? []).map(terms).filter((p) => p.length > 0);
  for (const t of [...words, ...phrases.flat()]) bitOf(t);
  const result = pool.take(queryTerms.length);
  try {
    for (const term of words) addQueryTerm(postings, term, bitOf(term), options, result);
    for (const phrase of phrases) addPhrase(postings, phrase, bitOf, options, pool, result);
    return result.best(run, queryTerms, (id) => postings.term(id));
  } finally {
    pool.give(result);
  }
}

function terms(text: string): string[] {
  return tokenize(text).flatMap((word) => toTerm(word) ?? []);
}

/** Every word of the phrase must match; the papers that have them all get all their scores. */
function addPhrase(postings: Postings, phrase: string[], bitOf: (t: string) => number, options: QueryOptions, pool: Pool, into: Accumulator): void {
  const parts = phrase.map((term) => {
    const part = pool.take(into.maskWords * 32);
    addQueryTerm(postings, term, bitOf(term), options, part);
    return part;
  });
  try {
    // In the order of the last word's matches, as MiniSearch's AND gave them.
    const last = parts[parts.length - 1]!;
    for (const doc of last.order) if (parts.every((p) => p.has(doc))) for (const p of parts) into.mergeDoc(p, doc);
  } finally {
    for (const p of parts) pool.give(p);
  }
}

function addQueryTerm(postings: Postings, term: string, bit: number, options: QueryOptions, into: Accumulator): void {
  const exact = postings.lookup(term);
  if (exact >= 0) addTerm(postings, exact, 1, bit, options.boosts, into);
  const prefixed = new Set<number>();
  if (options.prefix(term)) {
    const [from, to] = postings.prefixRange(term);
    for (let id = from; id < to; id++) {
      if (id === exact) continue;
      prefixed.add(id);
      const length = postings.term(id).length;
      addTerm(postings, id, (options.weights.prefix * length) / (length + 0.3 * (length - term.length)), bit, options.boosts, into);
    }
  }
  const fuzzy = options.fuzzy(term);
  if (fuzzy !== false) {
    const maxDistance = fuzzy < 1 ? Math.min(options.maxFuzzy, Math.round(term.length * fuzzy)) : fuzzy;
    if (maxDistance > 0) {
      for (const [id, distance] of postings.fuzzy(term, maxDistance)) {
        if (distance === 0 || prefixed.has(id)) continue;
        const length = postings.term(id).length;
        addTerm(postings, id, (options.weights.fuzzy * length) / (length + distance), bit, options.boosts, into);
      }
    }
  }
}

function addTerm(postings: Postings, termId: number, weight: number, bit: number, boosts: readonly number[], into: Accumulator): void {
  const { fieldLengths, fieldCount, docCount, avgFieldLengths } = postings.data;
  for (let f = 0; f < fieldCount; f++) {
    const { docs, freqs } = postings.run(termId, f);
    const docFreq = docs.length;
    if (docFreq === 0) continue;
    const idf = Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));
    const avg = avgFieldLengths[f]!;
    const scale = weight * boosts[f]! * idf;
    for (let j = 0; j < docFreq; j++) {
      const doc = docs[j]!;
      // Postings still in the file are checked only once loaded whole: never trust a number past the end.
      if (doc >= docCount) continue;
      const tf = freqs[j]!;
      const norm = BM25.k * (1 - BM25.b + (BM25.b * fieldLengths[doc * fieldCount + f]!) / avg);
      into.add(doc, scale * (BM25.d + (tf * (BM25.k + 1)) / (tf + norm)), bit, termId);
    }
  }
}

/**
 * Scores, matched query terms (bit masks) and matched index terms (a linked list in flat
 * arrays) per document, with the documents in the order they were first matched. Reset by
 * visiting only the documents it touched.
 */
class Accumulator {
  readonly score: Float64Array;
  private readonly mask: Uint32Array;
  /** First entry of the document's index-term list, or -1 when it has not been matched. */
  private readonly head: Int32Array;
  private termIds: number[] = [];
  private nextEntry: number[] = [];
  readonly order: number[] = [];

  constructor(
    docCount: number,
    readonly maskWords: number,
  ) {
    this.score = new Float64Array(docCount);
    this.mask = new Uint32Array(docCount * maskWords);
    this.head = new Int32Array(docCount).fill(-1);
  }

  has(doc: number): boolean {
    return this.head[doc] !== -1;
  }

  add(doc: number, score: number, bit: number, termId: number): void {
    const head = this.head[doc]!;
    if (head === -1) this.order.push(doc);
    this.score[doc]! += score;
    this.mask[doc * this.maskWords + (bit >>> 5)]! |= 1 << (bit & 31);
    // Fields of one term arrive one after the other: skip the repeat.
    if (head === -1 || this.termIds[head] !== termId) {
      this.head[doc] = this.termIds.length;
      this.nextEntry.push(head);
      this.termIds.push(termId);
    }
  }

  /** Adds everything `other` has for the document. */
  mergeDoc(other: Accumulator, doc: number): void {
    const head = this.head[doc]!;
    if (head === -1) this.order.push(doc);
    this.score[doc]! += other.score[doc]!;
    for (let w = 0; w < this.maskWords; w++) this.mask[doc * this.maskWords + w]! |= other.mask[doc * other.maskWords + w]!;
    let chain = this.head[doc]!;
    for (let e = other.head[doc]!; e !== -1; e = other.nextEntry[e]!) {
      this.nextEntry.push(chain);
      chain = this.termIds.push(other.termIds[e]!) - 1;
    }
    this.head[doc] = chain;
  }

  best(run: RunOptions, queryTerms: readonly string[], termName: (id: number) => string): { total: number; top: Match[] } {
    // Final score: times the number of distinct query terms matched.
    let total = 0;
    const kept: number[] = [];
    for (const doc of this.order) {
      if (run.keep && !run.keep(doc)) continue;
      let quality = 0;
      for (let w = 0; w < this.maskWords; w++) quality += popcount(this.mask[doc * this.maskWords + w]!);
      this.score[doc]! *= quality || 1;
      kept.push(doc);
      total++;
    }
    const top = topByScore(kept, this.score, run.top).map((doc) => {
      const matchedQuery: string[] = [];
      queryTerms.forEach((t, bit) => {
        if (this.mask[doc * this.maskWords + (bit >>> 5)]! & (1 << (bit & 31))) matchedQuery.push(t);
      });
      const matchedTerms = new Set<string>();
      for (let e = this.head[doc]!; e !== -1; e = this.nextEntry[e]!) matchedTerms.add(termName(this.termIds[e]!));
      return { doc, score: this.score[doc]!, queryTerms: matchedQuery, terms: matchedTerms };
    });
    return { total, top };
  }

  reset(): void {
    for (const doc of this.order) {
      this.score[doc] = 0;
      this.head[doc] = -1;
      if (this.maskWords === 1) this.mask[doc] = 0;
      else this.mask.fill(0, doc * this.maskWords, (doc + 1) * this.maskWords);
    }
    this.order.length = 0;
    this.termIds = [];
    this.nextEntry = [];
  }
}

/** The `k` best documents by score, best first; ties keep their order in `docs`. */
function topByScore(docs: readonly number[], score: Float64Array, k: number): number[] {
  // Positions in `docs`; a min-heap of the best k seen so far, whose root is the one to beat.
  const worse = (a: number, b: number) => score[docs[a]!]! < score[docs[b]!]! || (score[docs[a]!] === score[docs[b]!] && a > b);
  const heap: number[] = [];
  for (let i = 0; i < docs.length; i++) {
    if (heap.length < k) {
      heap.push(i);
      for (let c = heap.length - 1; c > 0; ) {
        const p = (c - 1) >> 1;
        if (!worse(heap[c]!, heap[p]!)) break;
        [heap[c], heap[p]] = [heap[p]!, heap[c]!];
        c = p;
      }
    } else if (worse(heap[0]!, i)) {
      heap[0] = i;
      for (let p = 0; ; ) {
        const l = 2 * p + 1;
        const r = l + 1;
        let m = p;
        if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
        if (m === p) break;
        [heap[m], heap[p]] = [heap[p]!, heap[m]!];
        p = m;
      }
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0)).map((i) => docs[i]!);
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}

/** Accumulators for one index, reused query after query (a search is synchronous). */
class Pool {
  private readonly free: Accumulator[] = [];

  constructor(private readonly docCount: number) {}

  take(queryTerms: number): Accumulator {
    const words = Math.max(1, Math.ceil(queryTerms / 32));
    const i = this.free.findIndex((a) => a.maskWords === words);
    return i >= 0 ? this.free.splice(i, 1)[0]! : new Accumulator(this.docCount, words);
  }

  give(acc: Accumulator): void {
    acc.reset();
    if (this.free.length < 8) this.free.push(acc);
  }
}

const pools = new WeakMap<Postings, Pool>();

function poolOf(postings: Postings): Pool {
  let pool = pools.get(postings);
  if (!pool) pools.set(postings, (pool = new Pool(postings.docCount)));
  return pool;
}
