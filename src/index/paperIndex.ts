import MiniSearch, { type Query, type SearchResult } from 'minisearch';
import type { Paper } from '../model/paper.js';
import type { MarkedText } from '../model/reply.js';
import { titleId } from '../parser/ids.js';
import { titleKey } from '../parser/text.js';
import { editDistance } from '../text/editDistance.js';
import { learnAcronyms, tableFromJSON, tableToJSON, type AcronymTable } from './acronyms.js';
import { makeSnippet } from './snippet.js';
import { toTerm, toTerms, tokenize } from './terms.js';
import { rankTrending, type TrendingPeriod, type TrendingResult } from './trending.js';

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

/** Bumped whenever the index layout or term processing changes: older snapshots are rebuilt. */
export const INDEX_FORMAT = 2;

/**
 * A term in more than this share of papers ("model", "language") is common: it barely
 * separates papers, yet scoring it walks most of the index. Queries that also have rarer words
 * search those, and common words only count through titles when re-ranking.
 */
const COMMON_SHARE = 0.2;
const MIN_COMMON_PAPERS = 1000;

interface IndexedDoc {
  id: string;
  title: string;
  abstract: string;
  people: string;
}

const FIELDS = ['title', 'abstract', 'people'] as const;
const BOOST = { title: 3, abstract: 1, people: 1.5 };
/** Longest acronym expansion looked up in a query, in terms ("retrieval augmented generation" is 3). */
const MAX_PHRASE_TERMS = 6;

/** How many of MiniSearch's best hits are re-scored; the rest keep its order (they are past page 20). */
const RERANK_DEPTH = 200;

/** MiniSearch options; terms seen while indexing are collected into `vocabulary`. */
function minisearchOptions(vocabulary: Set<string>) {
  return {
    fields: [...FIELDS],
    storeFields: [],
    tokenize,
    // MiniSearch passes the field name only while indexing, never for a query.
    processTerm: (term: string, field?: string) => {
      const processed = toTerm(term);
      if (processed && field !== undefined) vocabulary.add(processed);
      return processed;
    },
  };
}

export interface PaperIndexJSON {
  format: number;
  papers: Paper[];
  digestDates: string[];
  acronyms: Record<string, string[]>;
  /** Common terms with the number of papers that have them. */
  commonTerms: [string, number][];
  minisearch: unknown;
}

/**
 * The one search index over every parsed paper, shared by all adapters. Immutable once built:
 * a reload builds a new one and swaps it in (see PaperLibrary).
 */
export class PaperIndex {
  private readonly byId = new Map<string, Paper>();
  private readonly byTitle = new Map<string, Paper>();

  private constructor(
    private readonly search_: MiniSearch<IndexedDoc>,
    private readonly all: Paper[],
    private readonly dates: string[],
    private readonly acronymTable: AcronymTable,
    /** Every indexed term: only words outside it get typo and prefix matching. */
    private readonly vocabulary: ReadonlySet<string>,
    /** Common terms → how many papers have them. */
    private readonly commonTerms: ReadonlyMap<string, number>,
  ) {
    for (const p of all) {
      this.byId.set(p.id.toLowerCase(), p);
      this.byId.set(titleId(p.title), p);
      this.byTitle.set(titleKey(p.title), p);
    }
  }

  static build(papers: readonly Paper[], digestDates?: readonly string[]): PaperIndex {
    const vocabulary = new Set<string>();
    const ms = new MiniSearch<IndexedDoc>(minisearchOptions(vocabulary));
    ms.addAll(papers.map(toDoc));
    return PaperIndex.assemble(ms, papers, vocabulary, digestDates);
  }

  /**
   * The same index as `build`, made in chunks that yield to the event loop between them, so a
   * reload of a large corpus never stalls the answers the bot gives from the current index.
   */
  static async buildAsync(papers: readonly Paper[], digestDates?: readonly string[], chunkSize = 500): Promise<PaperIndex> {
    const vocabulary = new Set<string>();
    const ms = new MiniSearch<IndexedDoc>(minisearchOptions(vocabulary));
    await ms.addAllAsync(papers.map(toDoc), { chunkSize });
    return PaperIndex.assemble(ms, papers, vocabulary, digestDates);
  }

  private static assemble(ms: MiniSearch<IndexedDoc>, papers: readonly Paper[], vocabulary: Set<string>, digestDates?: readonly string[]): PaperIndex {
    const acronyms = learnAcronyms(papers.flatMap((p) => [p.title, p.abstract]));
    const dates = digestDates ? [...new Set(digestDates)] : [...new Set(papers.flatMap((p) => p.digests.map((d) => d.date)))];
    return new PaperIndex(ms, [...papers], dates.sort(), acronyms, vocabulary, findCommonTerms(papers));
  }

  static fromJSON(json: PaperIndexJSON): PaperIndex {
    if (json.format !== INDEX_FORMAT) throw new Error(`index snapshot format ${json.format}, expected ${INDEX_FORMAT}`);
    const plain = json.minisearch as Parameters<typeof MiniSearch.loadJS>[0];
    // The snapshot's index already lists every term: no need to re-tokenise anything.
    const vocabulary = new Set(plain.index.map(([term]) => term));
    const ms = MiniSearch.loadJS<IndexedDoc>(plain, minisearchOptions(vocabulary));
    return new PaperIndex(ms, json.papers, json.digestDates, tableFromJSON(json.acronyms), vocabulary, new Map(json.commonTerms));
  }

  toJSON(): PaperIndexJSON {
    return { format: INDEX_FORMAT, papers: this.all, digestDates: this.dates, acronyms: tableToJSON(this.acronymTable), commonTerms: [...this.commonTerms], minisearch: this.search_.toJSON() };
  }

  get size(): number {
    return this.all.length;
  }

  papers(): readonly Paper[] {
    return this.all;
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
    const key = idOrTitle.trim();
    return this.byId.get(key.toLowerCase()) ?? this.byId.get(key.replace(/^arxiv:/i, '').replace(/v\d+$/, '').toLowerCase()) ?? this.byTitle.get(titleKey(key));
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
    // Typo and prefix matching only for words the index does not know: expanding a known word
    // ("generation" → every "gener*") costs time and pulls in papers about something else.
    const unknown = (term: string) => !this.vocabulary.has(term);
    const results = this.search_.search(this.expand(this.withoutCommonWords(query, terms), query, terms), {
      boost: BOOST,
      prefix: (term: string) => term.length >= 4 && unknown(term),
      fuzzy: (term: string) => (term.length >= 5 && unknown(term) ? 0.2 : false),
      maxFuzzy: 2,
      weights: { fuzzy: 0.3, prefix: 0.4 },
      combineWith: 'OR',
      filter: options.exclude ? (r: SearchResult) => !options.exclude!.has(String(r.id)) : undefined,
    });
    const queryKey = terms.join(' ');
    const distinct = new Set(terms);
    const ranked = results
      .slice(0, RERANK_DEPTH)
      .map((r) => ({ r, paper: this.byId.get(String(r.id).toLowerCase())!, score: this.rerank(r, distinct, queryKey) }))
      .sort((a, b) => b.score - a.score);
    if (offset + limit > RERANK_DEPTH) {
      for (const r of results.slice(RERANK_DEPTH)) ranked.push({ r, paper: this.byId.get(String(r.id).toLowerCase())!, score: r.score });
    }
    const hits = ranked.slice(offset, offset + limit).map(({ r, paper, score }) => {
      const matched = new Set(r.terms);
      return { paper, score, matched, snippet: makeSnippet(paper.abstract, matched) };
    });
    return { hits, total: results.length };
  }

  /** The query with each unknown word replaced by the closest indexed word ("did you mean"). */
  didYouMean(query: string): string | undefined {
    const words = tokenize(query).map((w) => w.toLowerCase());
    const fixed = words.map((word) => {
      if (toTerm(word) === null || this.search_.search(word, { fuzzy: false, prefix: false }).length > 0) return word;
      const closest = this.search_
        .autoSuggest(word, { fuzzy: 0.4, maxFuzzy: 3 })
        .filter((s) => s.terms.length === 1)
        .map((s) => ({ term: s.suggestion, distance: editDistance(word, s.suggestion), score: s.score }))
        .sort((a, b) => a.distance - b.distance || b.score - a.score)[0];
      return closest?.term ?? word;
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
    if (!trimmed) return this.all.slice(-limit).reverse();
    const exact = this.get(trimmed);
    const hits = this.search(trimmed, { limit }).map((h) => h.paper);
    return exact ? [exact, ...hits.filter((p) => p !== exact)].slice(0, limit) : hits;
  }

  trending(period: TrendingPeriod, asOf: string, limit = 10): TrendingResult {
    return rankTrending(this.all, this.dates, period, asOf, limit);
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
    const byPhrase = this.acronymsByPhrase();
    for (let start = 0; start < terms.length; start++) {
      for (let end = start + 2; end <= Math.min(terms.length, start + MAX_PHRASE_TERMS); end++) {
        const acronyms = byPhrase.get(terms.slice(start, end).join(' '));
        if (acronyms) alternatives.push(...acronyms);
      }
    }
    if (alternatives.length === 0) return base;
    // An expansion must match as a whole: OR-ing its words would add every paper saying "learning".
    const whole = [...new Set(alternatives)].map((alt): Query => ({ combineWith: 'AND', queries: [alt] }));
    return { combineWith: 'OR', queries: [base, ...whole] };
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

  private phraseIndex: Map<string, string[]> | undefined;

  /** Expansion phrase (as index terms) → acronyms, built on first use. */
  private acronymsByPhrase(): Map<string, string[]> {
    if (this.phraseIndex) return this.phraseIndex;
    const index = new Map<string, string[]>();
    for (const [acronym, phrases] of this.acronymTable.expansions) {
      for (const phrase of phrases) {
        const key = toTerms(phrase).join(' ');
        const list = index.get(key);
        if (!list) index.set(key, [acronym]);
        else if (!list.includes(acronym)) list.push(acronym);
      }
    }
    return (this.phraseIndex = index);
  }

  /**
   * BM25 rewards one frequent term; readers expect papers matching more of the query first,
   * and a title that contains the whole query above all.
   */
  private rerank(r: SearchResult, distinct: ReadonlySet<string>, queryKey: string): number {
    const title = this.titleTerms(String(r.id));
    const matched = new Set(r.queryTerms.map((t) => toTerm(t) ?? t));
    // Common words left out of the search still count when the title has them.
    let covered = 0;
    for (const t of distinct) if (matched.has(t) || (this.commonTerms.has(t) && ` ${title} `.includes(` ${t} `))) covered++;
    const coverage = covered / distinct.size;
    const phraseBonus = distinct.size > 1 && title.includes(queryKey) ? 1.5 : 1;
    return r.score * (0.5 + coverage) * phraseBonus;
  }

  private readonly titleTermCache = new Map<string, string>();

  /** A paper's title as index terms joined by spaces, cached: reranking asks for it per hit. */
  private titleTerms(id: string): string {
    let key = this.titleTermCache.get(id);
    if (key === undefined) {
      const paper = this.byId.get(id.toLowerCase());
      key = paper ? toTerms(paper.title).join(' ') : '';
      this.titleTermCache.set(id, key);
    }
    return key;
  }
}

function toDoc(p: Paper): IndexedDoc {
  const people = [p.organization?.name, p.organization?.handle, ...p.authors].filter(Boolean).join(' ');
  return { id: p.id, title: p.title, abstract: p.abstract, people };
}

function findCommonTerms(papers: readonly Paper[]): Map<string, number> {
  const docFreq = new Map<string, number>();
  for (const p of papers) for (const t of new Set(toTerms(`${p.title} ${p.abstract}`))) docFreq.set(t, (docFreq.get(t) ?? 0) + 1);
  // A small index is fast anyway: leaving words out would cost ranking there and save nothing.
  const threshold = Math.max(COMMON_SHARE * papers.length, MIN_COMMON_PAPERS);
  return new Map([...docFreq].filter(([, n]) => n > threshold));
}
