/**
 * The seam between the relevance layer (PaperIndex: stemming, acronyms, common words, typo and
 * prefix policy, re-rank) and the full-text engine under it. Terms come in already processed
 * (see terms.ts): an engine only stores and scores them. Documents are numbered 0..n-1 in the
 * order they were given, the catalog's order.
 */

/** The indexed fields of a paper, in this order (see documentOf). */
export const FIELDS = ['title', 'abstract', 'people'] as const;
export type Field = (typeof FIELDS)[number];

export type EngineDocument = Record<Field, string>;

/** One query term and how loosely it may match. */
export interface TermQuery {
  term: string;
  /** Also match longer index terms starting with it. */
  prefix?: boolean;
  /** Also match index terms this many edits away (0 or absent: none). */
  fuzzy?: number;
  /** Score multiplier for this term (1 when absent). */
  boost?: number;
}

/** Documents matching any of `any`; and, for each group of `allOf`, documents matching every term of it. */
export interface EngineQuery {
  any: readonly TermQuery[];
  allOf?: readonly (readonly TermQuery[])[];
}

/**
 * Whether two queries match and score alike: a term of `any` is the same search as a group of
 * that one term (a one-word query's any-words and all-words sides).
 */
export function sameSearch(a: EngineQuery, b: EngineQuery): boolean {
  const term = (t: TermQuery) => [t.term, t.prefix ?? false, t.fuzzy ?? 0, t.boost ?? 1];
  const key = (q: EngineQuery) => JSON.stringify([...q.any.map(term), ...(q.allOf ?? []).filter((g) => g.length > 0).map((g) => (g.length === 1 ? term(g[0]!) : g.map(term)))]);
  return key(a) === key(b);
}

export interface EngineSearchOptions {
  /** Multiplier per field. */
  boost: Readonly<Record<Field, number>>;
  /** Weights of prefix and typo matches against an exact match (1). */
  weights: { prefix: number; fuzzy: number };
  /** Only documents this accepts count, in the total too. */
  filter?: (doc: number) => boolean;
  /** How many of the best matches to return. */
  limit: number;
}

export interface EngineMatch {
  doc: number;
  score: number;
  /** Query terms the document matched. */
  queryTerms: readonly string[];
  /** Index terms the document matched (differ from the query terms for prefix and typo matches). */
  terms: ReadonlySet<string>;
}

export interface SearchEngine {
  /** What `paperbot stats` calls it. */
  readonly name: string;
  readonly documentCount: number;
  /** Best first (equal scores in the order documents were first matched), and how many matched in all. */
  search(query: EngineQuery, options: EngineSearchOptions): { total: number; matches: EngineMatch[] };
  /** Whether any document has this index term. */
  has(term: string): boolean;
  /** How many documents have the term in any of these fields (all fields when absent). */
  documentFrequency(term: string, fields?: readonly Field[]): number;
  /** Index terms starting with `prefix` (itself included when it is one). */
  termsWithPrefix(prefix: string): string[];
  /** Index terms at most `maxEdits` edits from `term`, with their distance. */
  termsNear(term: string, maxEdits: number): Map<string, number>;
  /** Up to `limit` documents with the term in this field. */
  documentsWith(term: string, field: Field, limit: number): number[];
  /** Index terms in more than `minDocs` documents over these fields, with their document counts. */
  frequentTerms(minDocs: number, fields: readonly Field[]): Map<string, number>;
  /** The engine's saved state, for `EngineKind.load`. */
  save(): Uint8Array;
}

export interface LoadOptions {
  /** Pause for the event loop now and then while loading: the bot answers meanwhile (a reload), at the cost of a slower load. */
  pausing?: boolean;
}

/** One kind of engine: how to build one and how to load a saved one (which rejects when it is unusable). */
export interface EngineKind {
  readonly name: string;
  build(documents: readonly EngineDocument[]): SearchEngine;
  load(saved: Uint8Array, options?: LoadOptions): Promise<SearchEngine>;
}
