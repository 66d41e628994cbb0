import type { Postings } from './postings.js';
import { tokenize, toTerm } from './terms.js';

/**
 * Query evaluation over Postings with the scoring the ranking was tuned on (MiniSearch 7's):
 * BM25+ per field with field boosts, prefix and typo matches weighted down by how far they
 * are from the query word, OR/AND combination, and a final multiplier for how many distinct
 * query words a paper matched.
 */

/** A query string, or sub-queries combined with OR or AND. */
export type Query = string | { combineWith: 'AND' | 'OR'; queries: Query[] };

export interface QueryOptions {
  /** Boost per field, in field order. */
  boosts: readonly number[];
  /** Whether a query term also matches longer index terms starting with it. */
  prefix: (term: string) => boolean;
  /** Edit distance allowed for a query term: a share of its length (< 1), or a count, or false. */
  fuzzy: (term: string) => number | false;
  maxFuzzy: number;
  weights: { fuzzy: number; prefix: number };
  combineWith: 'AND' | 'OR';
}

export interface Match {
  doc: number;
  score: number;
  /** Query terms the document matched. */
  queryTerms: string[];
  /** Index terms the document matched (differs from the query terms for prefix and typo matches). */
  terms: Set<string>;
}

const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

type Results = Map<number, Match>;

/** Matches best first; equal scores keep the order the postings gave them. */
export function runQuery(postings: Postings, query: Query, options: QueryOptions, keep?: (doc: number) => boolean): Match[] {
  const out: Match[] = [];
  for (const match of evaluate(postings, query, options).values()) {
    match.score *= match.queryTerms.length || 1;
    if (!keep || keep(match.doc)) out.push(match);
  }
  return out.sort((a, b) => b.score - a.score);
}

function evaluate(postings: Postings, query: Query, options: QueryOptions): Results {
  if (typeof query !== 'string') {
    const inner = { ...options, combineWith: query.combineWith };
    return combine(
      query.queries.map((q) => evaluate(postings, q, inner)),
      query.combineWith,
    );
  }
  const terms = tokenize(query).flatMap((word) => toTerm(word) ?? []);
  return combine(
    terms.map((term) => termMatches(postings, term, options)),
    options.combineWith,
  );
}

function termMatches(postings: Postings, term: string, options: QueryOptions): Results {
  const results: Results = new Map();
  const exact = postings.lookup(term);
  if (exact >= 0) addTerm(postings, term, exact, 1, options.boosts, results);
  const prefixed = new Set<number>();
  if (options.prefix(term)) {
    const [from, to] = postings.prefixRange(term);
    for (let id = from; id < to; id++) {
      if (id === exact) continue;
      prefixed.add(id);
      const length = postings.term(id).length;
      const weight = (options.weights.prefix * length) / (length + 0.3 * (length - term.length));
      addTerm(postings, term, id, weight, options.boosts, results);
    }
  }
  const fuzzy = options.fuzzy(term);
  if (fuzzy !== false) {
    const maxDistance = fuzzy < 1 ? Math.min(options.maxFuzzy, Math.round(term.length * fuzzy)) : fuzzy;
    if (maxDistance > 0) {
      for (const [id, distance] of postings.fuzzy(term, maxDistance)) {
        if (distance === 0 || prefixed.has(id)) continue;
        const length = postings.term(id).length;
        addTerm(postings, term, id, (options.weights.fuzzy * length) / (length + distance), options.boosts, results);
      }
    }
  }
  return results;
}

function addTerm(postings: Postings, queryTerm: string, termId: number, weight: number, boosts: readonly number[], results: Results): void {
  const { fieldLengths, fieldCount, docCount, avgFieldLengths } = postings.data;
  const indexTerm = postings.term(termId);
  for (let f = 0; f < fieldCount; f++) {
    const { docs, freqs } = postings.run(termId, f);
    const docFreq = docs.length;
    if (docFreq === 0) continue;
    const idf = Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));
    const avg = avgFieldLengths[f]!;
    const scale = weight * boosts[f]!;
    for (let j = 0; j < docFreq; j++) {
      const doc = docs[j]!;
      // Postings still in the file are checked only once loaded whole: never trust a number past the end.
      if (doc >= docCount) continue;
      const tf = freqs[j]!;
      const norm = BM25.k * (1 - BM25.b + (BM25.b * fieldLengths[doc * fieldCount + f]!) / avg);
      const score = scale * idf * (BM25.d + (tf * (BM25.k + 1)) / (tf + norm));
      const match = results.get(doc);
      if (match) {
        match.score += score;
        if (!match.queryTerms.includes(queryTerm)) match.queryTerms.push(queryTerm);
        match.terms.add(indexTerm);
      } else {
        results.set(doc, { doc, score, queryTerms: [queryTerm], terms: new Set([indexTerm]) });
      }
    }
  }
}

function combine(results: Results[], how: 'AND' | 'OR'): Results {
  if (results.length === 0) return new Map();
  return results.reduce(how === 'AND' ? and : or);
}

function or(a: Results, b: Results): Results {
  for (const [doc, match] of b) {
    const existing = a.get(doc);
    if (!existing) a.set(doc, match);
    else merge(existing, match);
  }
  return a;
}

function and(a: Results, b: Results): Results {
  const both: Results = new Map();
  for (const [doc, match] of b) {
    const existing = a.get(doc);
    if (!existing) continue;
    merge(existing, match);
    both.set(doc, existing);
  }
  return both;
}

function merge(into: Match, other: Match): void {
  into.score += other.score;
  for (const t of other.queryTerms) if (!into.queryTerms.includes(t)) into.queryTerms.push(t);
  for (const t of other.terms) into.terms.add(t);
}
