import MiniSearch, { type AsPlainObject, type Options, type Query, type SearchOptions } from 'minisearch';
import type SearchableMap from 'minisearch/SearchableMap';
import { PaperbotError } from '../model/errors.js';
import type { EngineDocument, EngineKind, EngineMatch, EngineQuery, EngineSearchOptions, Field, SearchEngine, TermQuery } from './engine.js';
import { FIELDS } from './engine.js';
import { parseJsonLines, toJsonLines } from './jsonLines.js';
import { tokenize, toTerm } from './terms.js';

/** A document as MiniSearch takes it: its number as the id. */
type Doc = EngineDocument & { id: number };

/** What MiniSearch keeps per index term: field id → document id → term frequency. */
type TermData = Map<number, Map<number, number>>;

/** Documents are tokenized and stemmed as queries are (terms.ts); query terms come processed. */
const OPTIONS: Options<Doc> = {
  fields: [...FIELDS],
  tokenize,
  processTerm: (word) => toTerm(word) ?? false,
  searchOptions: { tokenize: (text) => text.split(' '), processTerm: (term) => term },
};

/**
 * The default engine: MiniSearch 7 in memory, its BM25+ scoring and query tree as they are.
 * The vocabulary questions go to its radix tree (SearchableMap: atPrefix, fuzzyGet), which
 * MiniSearch keeps as `_index`; there is no public accessor for it.
 */
export class MiniSearchEngine implements SearchEngine {
  readonly name = 'minisearch';
  private readonly vocabulary: SearchableMap<TermData>;
  private readonly fieldIds: Record<Field, number>;

  constructor(private readonly ms: MiniSearch<Doc>) {
    const inside = ms as unknown as { _index: SearchableMap<TermData>; _fieldIds: Record<Field, number> };
    this.vocabulary = inside._index;
    this.fieldIds = inside._fieldIds;
  }

  get documentCount(): number {
    return this.ms.documentCount;
  }

  search(query: EngineQuery, options: EngineSearchOptions): { total: number; matches: EngineMatch[] } {
    const groups = (query.allOf ?? []).filter((g) => g.length > 0);
    if (query.any.length === 0 && groups.length === 0) return { total: 0, matches: [] };
    const tree: Query = {
      combineWith: 'OR',
      queries: [{ combineWith: 'OR', queries: query.any.map(node) }, ...groups.map((group): Query => ({ combineWith: 'AND', queries: group.map(node) }))],
    };
    const { filter } = options;
    const results = this.ms.search(tree, {
      boost: { ...options.boost },
      weights: options.weights,
      filter: filter ? (r) => filter(r.id as number) : undefined,
    });
    const matches = results.slice(0, options.limit).map((r) => ({ doc: r.id as number, score: r.score, queryTerms: r.queryTerms, terms: new Set(r.terms) }));
    return { total: results.length, matches };
  }

  has(term: string): boolean {
    return this.vocabulary.has(term);
  }

  documentFrequency(term: string, fields: readonly Field[] = FIELDS): number {
    const data = this.vocabulary.get(term);
    return data ? this.docsIn(data, fields) : 0;
  }

  termsWithPrefix(prefix: string): string[] {
    return [...this.vocabulary.atPrefix(prefix).keys()];
  }

  termsNear(term: string, maxEdits: number): Map<string, number> {
    const near = new Map<string, number>();
    for (const [found, [, distance]] of this.vocabulary.fuzzyGet(term, maxEdits)) near.set(found, distance);
    return near;
  }

  documentsWith(term: string, field: Field, limit: number): number[] {
    const docs = this.vocabulary.get(term)?.get(this.fieldIds[field]);
    return docs ? [...docs.keys()].slice(0, limit) : [];
  }

  frequentTerms(minDocs: number, fields: readonly Field[]): Map<string, number> {
    const frequent = new Map<string, number>();
    for (const [term, data] of this.vocabulary) {
      // The sum of the fields' counts bounds the count of documents: most terms stop here.
      let upper = 0;
      for (const f of fields) upper += data.get(this.fieldIds[f])?.size ?? 0;
      if (upper <= minDocs) continue;
      const docs = this.docsIn(data, fields);
      if (docs > minDocs) frequent.set(term, docs);
    }
    return frequent;
  }

  /** MiniSearch's own toJSON, as JSON Lines: its header (the index left out), then one line per index term. */
  save(): Uint8Array {
    const { index, ...head } = this.ms.toJSON();
    return toJsonLines([head, ...index]);
  }

  private docsIn(data: TermData, fields: readonly Field[]): number {
    const maps = fields.flatMap((f) => data.get(this.fieldIds[f]) ?? []);
    if (maps.length === 1) return maps[0]!.size;
    const docs = new Set<number>();
    for (const m of maps) for (const doc of m.keys()) docs.add(doc);
    return docs.size;
  }
}

/** One term as a query node carrying its own prefix, typo and boost settings. */
function node(t: TermQuery): Query {
  const options: SearchOptions = { prefix: t.prefix === true, fuzzy: t.fuzzy ? t.fuzzy : false };
  if (t.boost !== undefined) options.boostTerm = () => t.boost!;
  return { ...options, queries: [t.term] };
}

/** Index terms parsed between two pauses of a pausing load. */
const TERMS_PER_PAUSE = 2000;

export const miniSearchEngine: EngineKind = {
  name: 'minisearch',
  build(documents) {
    const ms = new MiniSearch<Doc>(OPTIONS);
    ms.addAll(documents.map((d, id) => ({ id, ...d })));
    return new MiniSearchEngine(ms);
  },
  async load(saved, options = {}) {
    const [head, ...index] = await parseJsonLines(saved, options.pausing ? TERMS_PER_PAUSE : undefined);
    if (typeof head !== 'object' || head === null) throw new PaperbotError('damaged_data', 'not a saved MiniSearch index');
    const js = { ...head, index } as AsPlainObject;
    return new MiniSearchEngine(options.pausing ? await MiniSearch.loadJSAsync<Doc>(js, OPTIONS) : MiniSearch.loadJS<Doc>(js, OPTIONS));
  },
};
