import { setImmediate as pause } from 'node:timers/promises';
import MiniSearch, { type AsPlainObject, type Options, type Query, type SearchOptions } from 'minisearch';
import type SearchableMap from 'minisearch/SearchableMap';
import { PaperbotError } from '../model/errors.js';
import type { EngineDocument, EngineKind, EngineMatch, EngineQuery, EngineSearchOptions, Field, SearchEngine, TermQuery } from './engine.js';
import { FIELDS } from './engine.js';
import { jsonLines, toJsonLines } from './jsonLines.js';
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
    const candidates = query.any.length === 0 ? this.allWordsCandidates(groups) : undefined;
    if (candidates?.size === 0) return { total: 0, matches: [] };
    const results = this.ms.search(tree, {
      boost: { ...options.boost },
      weights: options.weights,
      filter: filter ? (r) => filter(r.id as number) : undefined,
      // MiniSearch skips a document boosted 0 before scoring it; the others keep their scores (× 1).
      boostDocument: candidates ? (id) => (candidates.has(id as number) ? 1 : 0) : undefined,
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

  /**
   * MiniSearch's own toJSON without its index, then the index a block of terms per line, each
   * term as [term, [fieldId, doc, frequency, doc, frequency, ...], ...]: the numbers parse as
   * plain arrays and go straight into MiniSearch's maps on load, where its object-per-field form
   * would be parsed, then copied into maps and dropped.
   */
  save(): Uint8Array {
    // MiniSearch's toJSON for all but the index: it is given none, where its object form of the whole would be garbage here.
    const head: Partial<AsPlainObject> = this.ms.toJSON.call(Object.assign(Object.create(this.ms) as MiniSearch<Doc>, { _index: [] }));
    delete head.index;
    const lines: unknown[] = [{ ...head, terms: this.vocabulary.size }];
    let block: SavedTerm[] = [];
    let postings = 0;
    for (const [term, data] of this.vocabulary) {
      const fields: SavedField[] = [];
      for (const [fieldId, freqs] of data) {
        const field: SavedField = [fieldId];
        for (const [doc, freq] of freqs) field.push(doc, freq);
        fields.push(field);
        postings += freqs.size;
      }
      block.push([term, ...fields]);
      if (block.length === TERMS_PER_LINE || postings >= POSTINGS_PER_LINE) {
        lines.push(block);
        block = [];
        postings = 0;
      }
    }
    if (block.length > 0) lines.push(block);
    return toJsonLines(lines);
  }

  /**
   * The documents that can meet an all-words query: those having every term of some group,
   * found from the rarest term's postings. Known before scoring when every term is exact, so
   * papers that merely share a common word ("model") are never scored; undefined otherwise.
   */
  private allWordsCandidates(groups: readonly (readonly TermQuery[])[]): Set<number> | undefined {
    if (groups.some((group) => group.some((t) => t.prefix === true || (t.fuzzy ?? 0) > 0))) return undefined;
    const candidates = new Set<number>();
    const postings = (term: string) => [...(this.vocabulary.get(term)?.values() ?? [])];
    const size = (fields: Map<number, number>[]) => fields.reduce((n, docs) => n + docs.size, 0);
    for (const group of groups) {
      const [rarest, ...others] = group.map((t) => postings(t.term)).sort((a, b) => size(a) - size(b));
      if (!rarest || rarest.length === 0) continue;
      for (const docs of rarest) for (const doc of docs.keys()) if (others.every((fields) => fields.some((d) => d.has(doc)))) candidates.add(doc);
    }
    return candidates;
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

/** A saved index term: the term, then per field its id and (document, frequency) pairs. */
type SavedField = number[];
type SavedTerm = [string, ...SavedField[]];
/** At most this many index terms, or about this many (document, frequency) pairs, per saved line: the work between two pauses of a pausing load, a few milliseconds. */
const TERMS_PER_LINE = 1000;
const POSTINGS_PER_LINE = 10_000;

function damaged(why: string): PaperbotError {
  return new PaperbotError('damaged_data', `not a saved MiniSearch index: ${why}`);
}

export const miniSearchEngine: EngineKind = {
  name: 'minisearch',
  build(documents) {
    const ms = new MiniSearch<Doc>(OPTIONS);
    ms.addAll(documents.map((d, id) => ({ id, ...d })));
    return new MiniSearchEngine(ms);
  },
  async load(saved, options = {}) {
    const lines = jsonLines(saved);
    const head = lines.next().value as (Omit<AsPlainObject, 'index'> & { terms?: unknown }) | undefined;
    if (typeof head !== 'object' || head === null || typeof head.terms !== 'number') throw damaged('no header');
    const ms = MiniSearch.loadJS<Doc>({ ...head, index: [] }, OPTIONS);
    // Filled as loadJS fills it (term → field id → document → frequency), from the compact lines.
    const index = (ms as unknown as { _index: SearchableMap<TermData> })._index;
    let terms = 0;
    for (const block of lines) {
      if (options.pausing) await pause();
      if (!Array.isArray(block)) throw damaged('a line is not a block of terms');
      for (const [term, ...fields] of block as SavedTerm[]) {
        const data: TermData = new Map();
        for (const field of fields) {
          const freqs = new Map<number, number>();
          for (let i = 1; i < field.length; i += 2) freqs.set(field[i]!, field[i + 1]!);
          data.set(field[0]!, freqs);
        }
        index.set(term, data);
      }
      terms += block.length;
    }
    if (terms !== head.terms) throw damaged(`${terms} terms, its header says ${head.terms}`);
    return new MiniSearchEngine(ms);
  },
};
