import type { Paper } from '../model/paper.js';
import type { MarkedText } from '../model/reply.js';
import { learnAcronyms, tableFromJSON, tableToJSON, type AcronymTable } from './acronyms.js';
import { Catalog, keysOf, type PaperKeys } from './catalog.js';
import { closestWord } from './didYouMean.js';
import type { EngineDocument, EngineKind, EngineMatch, EngineQuery, Field, LoadOptions, SearchEngine, TermQuery } from './engine.js';
import { parseJsonLines, toJsonLines } from './jsonLines.js';
import { miniSearchEngine } from './miniSearchEngine.js';
import { makeSnippet } from './snippet.js';
import { toTerm, toTerms, tokenize } from './terms.js';
import { TrendingTable, type TrendingPeriod, type TrendingResult } from './trending.js';

export interface SearchHit {
  paper: Paper;
  score: number;
  /** Index terms that matched, for marking words in titles and snippets. */
  matched: ReadonlySet<string>;
  snippet: MarkedText;
}

export interface SearchOptions {
  limit?: number;
  offset?: number;
  /** Drop these paper ids (e.g. the paper itself in "more like this"). */
  exclude?: ReadonlySet<string>;
}

/** Bumped whenever the saved index or term processing changes: older saved indexes are rebuilt. */
export const INDEX_FORMAT = 6;

/**
 * A term in more than this share of papers ("model", "language") is common: it barely
 * separates papers, yet scoring it walks most of the index. Queries that also have rarer words
 * search those, and common words only count through titles when re-ranking.
 */
const COMMON_SHARE = 0.2;
const MIN_COMMON_PAPERS = 1000;

/** Field boosts: a word in the title says most about a paper. */
export const BOOSTS: Readonly<Record<Field, number>> = { title: 3, abstract: 1, people: 1.5 };
/** Weights of a prefix or typo match against an exact one. */
const MATCH_WEIGHTS = { fuzzy: 0.3, prefix: 0.4 };
/** Longest acronym expansion looked up in a query, in terms ("retrieval augmented generation" is 3). */
const MAX_PHRASE_TERMS = 6;

/** How many of the best BM25 hits are re-scored; the rest keep their order (they are past page 20). */
const RERANK_DEPTH = 200;

/** Any of `words`; and, for each phrase, papers having every one of its words. */
interface Query {
  words: string;
  phrases: readonly string[];
}

/** An index as saved: the catalog and the engine's own saved state, with what they hold. */
export interface SavedIndex {
  engineName: string;
  papers: number;
  /** JSON Lines: a CatalogHeader, then per paper [paper, keysOf(paper)]. */
  catalog: Uint8Array;
  engine: Uint8Array;
}

/** The first line of a saved catalog: what was learned from the papers, so a load does not work it out again. */
interface CatalogHeader {
  digestDates: string[];
  acronyms: Record<string, string[]>;
  byPhrase: [string, string[]][];
  commonTerms: [string, number][];
}

/** Catalog lines parsed between two pauses of a pausing load. */
const PAPERS_PER_PAUSE = 500;

/**
 * The one search index over every parsed paper, shared by all adapters: the catalog of papers,
 * the search engine over them, the acronyms learned from them and the trending table, with the
 * relevance layer on top. Immutable once built: a reload builds a new one and swaps it in whole
 * (see PaperLibrary).
 */
export class PaperIndex {
  /** Expansion phrase (as index terms) → acronyms: a query's word runs are looked up here. */
  private readonly byPhrase: ReadonlyMap<string, string[]>;
  /** Common terms → how many papers have them. */
  private readonly commonTerms: ReadonlyMap<string, number>;
  private readonly trendingTable: TrendingTable;

  private constructor(
    private readonly catalog: Catalog,
    private readonly engine: SearchEngine,
    private readonly dates: readonly string[],
    private readonly acronymTable: AcronymTable,
    learned: { byPhrase: ReadonlyMap<string, string[]>; commonTerms: ReadonlyMap<string, number> },
  ) {
    if (engine.documentCount !== catalog.size) throw new Error(`the search engine holds ${engine.documentCount} papers, the catalog ${catalog.size}`);
    this.byPhrase = learned.byPhrase;
    this.commonTerms = learned.commonTerms;
    this.trendingTable = TrendingTable.of(catalog.papers);
  }

  static build(papers: readonly Paper[], digestDates?: readonly string[], kind: EngineKind = miniSearchEngine): PaperIndex {
    const dates = digestDates ? [...new Set(digestDates)] : [...new Set(papers.flatMap((p) => p.digests.map((d) => d.date)))];
    const acronyms = learnAcronyms(papers.flatMap((p) => [p.title, p.abstract]));
    const engine = kind.build(papers.map(documentOf));
    return new PaperIndex(new Catalog(papers), engine, dates.sort(), acronyms, { byPhrase: phraseIndex(acronyms), commonTerms: commonTerms(engine) });
  }

  /** An index saved by `save`; rejects when it is not usable. */
  static async load(saved: Pick<SavedIndex, 'catalog' | 'engine'>, options: LoadOptions = {}, kind: EngineKind = miniSearchEngine): Promise<PaperIndex> {
    const [header, ...lines] = (await parseJsonLines(saved.catalog, options.pausing ? PAPERS_PER_PAUSE : undefined)) as [CatalogHeader, ...[Paper, PaperKeys][]];
    if (!header || !Array.isArray(header.digestDates) || !Array.isArray(header.byPhrase) || !Array.isArray(header.commonTerms) || !lines.every(Array.isArray)) throw new Error('the saved catalog is not one');
    const catalog = new Catalog(
      lines.map(([paper]) => paper),
      lines.map(([, keys]) => keys),
    );
    const learned = { byPhrase: new Map(header.byPhrase), commonTerms: new Map(header.commonTerms) };
    return new PaperIndex(catalog, await kind.load(saved.engine, options), header.digestDates, tableFromJSON(header.acronyms), learned);
  }

  save(): SavedIndex {
    const header: CatalogHeader = { digestDates: [...this.dates], acronyms: tableToJSON(this.acronymTable), byPhrase: [...this.byPhrase], commonTerms: [...this.commonTerms] };
    const catalog = toJsonLines([header, ...this.catalog.papers.map((p) => [p, keysOf(p)])]);
    return { engineName: this.engine.name, papers: this.size, catalog, engine: this.engine.save() };
  }

  /** Which engine serves the searches. */
  get engineName(): string {
    return this.engine.name;
  }

  get size(): number {
    return this.catalog.size;
  }

  /** Every paper. */
  papers(): readonly Paper[] {
    return this.catalog.papers;
  }

  /** Digest days, oldest first. */
  digestDates(): readonly string[] {
    return this.dates;
  }

  acronyms(): ReadonlyMap<string, string[]> {
    return this.acronymTable.expansions;
  }

  /** By id (arXiv or title-derived, any case), or by exact title. */
  get(idOrTitle: string): Paper | undefined {
    return this.catalog.find(idOrTitle);
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    return this.searchPage(query, options).hits;
  }

  /** One page of hits and how many there are in all (for "page 1 of 3"). */
  searchPage(query: string, options: SearchOptions = {}): { hits: SearchHit[]; total: number } {
    const limit = options.limit ?? 10;
    const offset = options.offset ?? 0;
    const terms = toTerms(query);
    if (terms.length === 0) return { hits: [], total: 0 };
    const exclude = options.exclude;
    const depth = Math.max(RERANK_DEPTH, offset + limit);
    const { total, matches: top } = this.engine.search(this.engineQuery(this.expand(this.withoutCommonWords(query, terms), query, terms)), {
      boost: BOOSTS,
      weights: MATCH_WEIGHTS,
      filter: exclude && exclude.size > 0 ? (doc) => !exclude.has(this.catalog.paper(doc).id) : undefined,
      limit: depth,
    });
    const queryKey = terms.join(' ');
    const distinct = new Set(terms);
    // Only the best hits are re-scored; deeper ones keep their BM25 order (they are past page 20).
    const ranked = top
      .slice(0, RERANK_DEPTH)
      .map((m) => ({ m, score: this.rerank(m, distinct, queryKey) }))
      .sort((a, b) => b.score - a.score);
    for (const m of top.slice(RERANK_DEPTH)) ranked.push({ m, score: m.score });
    const hits = ranked.slice(offset, offset + limit).map(({ m, score }) => {
      const paper = this.catalog.paper(m.doc);
      return { paper, score, matched: m.terms, snippet: makeSnippet(paper.abstract, m.terms) };
    });
    return { hits, total };
  }

  /** The query with each unknown word replaced by the closest word the papers use ("did you mean"). */
  didYouMean(query: string): string | undefined {
    const words = tokenize(query).map((w) => w.toLowerCase());
    const textOf = (doc: number, field: Field) => documentOf(this.catalog.paper(doc))[field];
    const fixed = words.map((word) => {
      const term = toTerm(word);
      if (term === null || this.engine.has(term)) return word;
      return closestWord(this.engine, word, term, textOf) ?? word;
    });
    const suggestion = fixed.join(' ');
    return suggestion !== words.join(' ') ? suggestion : undefined;
  }

  /** Papers whose text is closest to this one's: its title and key abstract terms as a query. */
  moreLike(paper: Paper, limit = 5): SearchHit[] {
    const query = `${paper.title} ${paper.keywords?.join(' ') ?? ''} ${paper.abstract.split(/(?<=\.)\s/).slice(0, 2).join(' ')}`;
    return this.search(query, { limit, exclude: new Set([paper.id]) });
  }

  /** Titles starting with, or containing, what the user has typed so far (autocomplete). */
  suggest(prefix: string, limit = 25): Paper[] {
    const trimmed = prefix.trim();
    if (!trimmed) {
      const newest: Paper[] = [];
      for (let i = this.catalog.size - 1; i >= 0 && newest.length < limit; i--) newest.push(this.catalog.paper(i));
      return newest;
    }
    const exact = this.get(trimmed);
    const hits = this.search(trimmed, { limit }).map((h) => h.paper);
    return exact ? [exact, ...hits.filter((p) => p !== exact)].slice(0, limit) : hits;
  }

  trending(period: TrendingPeriod, asOf: string, limit = 10): TrendingResult {
    return this.trendingTable.rank(this.dates, period, asOf, limit, (i) => this.catalog.paper(i), (i) => this.catalog.paper(i).title);
  }

  /**
   * The query as engine terms. Typo and prefix matching only for words the index does not know:
   * expanding a known word ("generation" → every "gener*") costs time and pulls in papers about
   * something else.
   */
  private engineQuery(q: Query): EngineQuery {
    const termQuery = (term: string): TermQuery => {
      const unknown = !this.engine.has(term);
      return { term, prefix: term.length >= 4 && unknown, fuzzy: term.length >= 5 && unknown ? Math.min(2, Math.round(term.length * 0.2)) : 0 };
    };
    return { any: toTerms(q.words).map(termQuery), allOf: q.phrases.map((phrase) => toTerms(phrase).map(termQuery)) };
  }

  /**
   * The query plus its acronym alternatives: `moe` also searches "mixture of experts",
   * and "mixture of experts" also searches `moe`. Looks up the query's word runs in a
   * phrase → acronyms map, so the cost does not grow with the number of acronyms known.
   */
  private expand(base: string, query: string, terms: readonly string[]): Query {
    const alternatives: string[] = [];
    for (const w of tokenize(query)) {
      const phrases = this.acronymTable.expansions.get(w.toLowerCase());
      if (phrases) alternatives.push(...phrases);
    }
    for (let start = 0; start < terms.length; start++) {
      for (let end = start + 2; end <= Math.min(terms.length, start + MAX_PHRASE_TERMS); end++) {
        const acronyms = this.byPhrase.get(terms.slice(start, end).join(' '));
        if (acronyms) alternatives.push(...acronyms);
      }
    }
    // An expansion must match as a whole: OR-ing its words would add every paper saying "learning".
    return { words: base, phrases: [...new Set(alternatives)] };
  }

  /**
   * The words worth searching: the query minus its common words, or, when every word is
   * common, the rarest of them. Re-ranking still rewards titles with the words left out.
   */
  private withoutCommonWords(query: string, terms: readonly string[]): string {
    if (!terms.some((t) => this.commonTerms.has(t))) return query;
    const rarest = [...terms].sort((a, b) => (this.commonTerms.get(a) ?? 0) - (this.commonTerms.get(b) ?? 0))[0]!;
    const keep = (term: string) => !this.commonTerms.has(term) || (terms.every((t) => this.commonTerms.has(t)) && term === rarest);
    return tokenize(query)
      .filter((word) => {
        const term = toTerm(word);
        return term !== null && keep(term);
      })
      .join(' ');
  }

  /**
   * BM25 rewards one frequent term; readers expect papers matching more of the query first,
   * and a title that contains the whole query above all.
   */
  private rerank(m: EngineMatch, distinct: ReadonlySet<string>, queryKey: string): number {
    const title = this.titleTerms(m.doc);
    // Common words left out of the search still count when the title has them.
    let covered = 0;
    for (const t of distinct) if (m.queryTerms.includes(t) || (this.commonTerms.has(t) && ` ${title} `.includes(` ${t} `))) covered++;
    const coverage = covered / distinct.size;
    const phraseBonus = distinct.size > 1 && title.includes(queryKey) ? 1.5 : 1;
    return m.score * (0.5 + coverage) * phraseBonus;
  }

  private readonly titleTermCache = new Map<number, string>();

  /** A paper's title as index terms joined by spaces, cached: reranking asks for it per hit. */
  private titleTerms(doc: number): string {
    let key = this.titleTermCache.get(doc);
    if (key === undefined) {
      key = toTerms(this.catalog.paper(doc).title).join(' ');
      this.titleTermCache.set(doc, key);
    }
    return key;
  }
}

/** Expansion phrase (as index terms) → acronyms, so finding a query's acronyms does not grow with the table. */
function phraseIndex(table: AcronymTable): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const [acronym, phrases] of table.expansions) {
    for (const phrase of phrases) {
      const key = toTerms(phrase).join(' ');
      const list = index.get(key);
      if (!list) index.set(key, [acronym]);
      else if (!list.includes(acronym)) list.push(acronym);
    }
  }
  return index;
}

/** A paper's text in each indexed field. */
export function documentOf(p: Paper): EngineDocument {
  const people = [p.organization?.name, p.organization?.handle, ...p.authors].filter(Boolean).join(' ');
  return { title: p.title, abstract: p.abstract, people };
}

/** Terms in more than COMMON_SHARE of the papers' titles and abstracts, with their paper counts. */
function commonTerms(engine: SearchEngine): Map<string, number> {
  // A small index is fast anyway: leaving words out would cost ranking there and save nothing.
  return engine.frequentTerms(Math.max(COMMON_SHARE * engine.documentCount, MIN_COMMON_PAPERS), ['title', 'abstract']);
}
