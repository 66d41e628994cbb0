import { setImmediate as pause } from 'node:timers/promises';
import { PaperbotError } from '../model/errors.js';
import type { Paper } from '../model/paper.js';
import type { MarkedText } from '../model/reply.js';
import { learnAcronyms, tableFromJSON, tableToJSON, type AcronymTable } from './acronyms.js';
import { type AppearingPaper, type Catalog, keysOf, MemoryCatalog, type PaperIdKey, type PaperKeys, type WatchMatches } from './catalog.js';
import { closestWord } from './didYouMean.js';
import { type DigestLookups, peopleText } from './digestLookups.js';
import {
  type EngineDocument,
  type EngineKind,
  type EngineMatch,
  type EngineQuery,
  type EngineSearchOptions,
  type Field,
  type LoadOptions,
  type SearchEngine,
  sameSearch,
  type TermQuery,
} from './engine.js';
import { isEnglishWord } from './englishWords.js';
import { parseJsonLines, toJsonLines } from './jsonLines.js';
import { miniSearchEngine } from './miniSearchEngine.js';
import { namesPerson } from './nameMatch.js';
import { allWordsQueries, answersPartly, hasRun, meets, oneSlipApart, rarity, slipDistance, titleHasNeedRun, type Need } from './queryNeeds.js';
import { makeSnippet } from './snippet.js';
import { toTerm, toTerms, tokenize } from './terms.js';
import type { TrendingPeriod, TrendingResult } from './trending.js';

export interface SearchHit {
  paper: Paper;
  score: number;
  /** Index terms that matched, for marking words in titles and snippets. */
  matched: ReadonlySet<string>;
  snippet: MarkedText;
  /** Whether the paper has every word of the query (or its acronym expansion, or its corrected spelling). */
  allWords: boolean;
}

export interface SearchOptions {
  limit?: number;
  offset?: number;
  /** Drop these paper ids (e.g. the paper itself in "more like this"). */
  exclude?: ReadonlySet<string>;
  /** Only papers the digests name a code repository for. */
  withCode?: boolean;
  /** List papers having some of the query's words even when none answers it well ("more like this", whose query is a whole abstract). */
  weak?: boolean;
}

/** A word of the query no paper uses, read as the word papers use one slip of the keys away. */
export interface Correction {
  from: string;
  to: string;
}

export interface SearchPage {
  /** The page asked for, of the papers that answer the query. */
  hits: SearchHit[];
  /** How many papers answer it (all pages). */
  total: number;
  /** Papers having every word of the query (or its acronym expansion, or its corrected spelling). */
  allWords: number;
  /** Papers having only some of the words. */
  someWords: number;
  /** When no paper answers the query: the few best papers having some of its words. */
  partial: SearchHit[];
  corrections: Correction[];
  /** Query words (lower case) no paper uses. */
  unknownWords: string[];
}

/** Bumped whenever the saved index or term processing changes: older saved indexes are rebuilt. */
export const INDEX_FORMAT = 10;

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

/** How many of the best BM25 hits are re-scored and listed; deeper ones are past page 20. */
const RERANK_DEPTH = 200;
/** Words of a paper searched for papers like it. */
const LIKE_TERMS = 15;
/** Partial matches offered when no paper answers a query. */
const MAX_PARTIAL = 3;
/** Longest query read as a person's or organisation's name. */
const MAX_NAME_WORDS = 4;
/** Needs from which a query is a description (see answersPartly). */
const DESCRIPTION_NEEDS = 4;
/** Shortest part of a word read as two ("fine" + "tuning"). */
const MIN_COMPOUND_PART = 4;
/** Papers using a word, at most, for it to be read as a slip of a word used far more... */
const MAX_SLIP_PAPERS = 3;
/** ...at least this many times as often. */
const SLIP_MAJORITY = 20;
/** Words whose correction is remembered, at most. */
const MAX_CACHED_SLIPS = 10_000;
/** Shortest word corrected: shorter ones are a slip away from too many words. */
const MIN_CORRECTED_LENGTH = 5;

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
export interface CatalogHeader {
  digestDates: string[];
  acronyms: Record<string, string[]>;
  byPhrase: [string, string[]][];
  commonTerms: [string, number][];
}

/** Catalog lines parsed between two pauses of a pausing load. */
const PAPERS_PER_PAUSE = 200;

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

  private constructor(
    private readonly catalog: Catalog,
    private readonly engine: SearchEngine,
    private readonly dates: readonly string[],
    private readonly acronymTable: AcronymTable,
    learned: { byPhrase: ReadonlyMap<string, string[]>; commonTerms: ReadonlyMap<string, number> },
  ) {
    if (engine.documentCount !== catalog.size) throw new PaperbotError('damaged_data', `the search engine holds ${engine.documentCount} papers, the catalog ${catalog.size}`);
    this.byPhrase = learned.byPhrase;
    this.commonTerms = learned.commonTerms;
  }

  static build(papers: readonly Paper[], digestDates?: readonly string[], kind: EngineKind = miniSearchEngine): PaperIndex {
    const engine = kind.build(papers.map(documentOf));
    return PaperIndex.of(new MemoryCatalog(papers), engine, learnedFrom(papers, engine, digestDates));
  }

  /** An index over a catalog and an engine of the same papers, with what was learned from them (see learnedFrom). */
  static of(catalog: Catalog, engine: SearchEngine, header: CatalogHeader): PaperIndex {
    const learned = { byPhrase: new Map(header.byPhrase), commonTerms: new Map(header.commonTerms) };
    return new PaperIndex(catalog, engine, header.digestDates, tableFromJSON(header.acronyms), learned);
  }

  /** An index saved by `save`; rejects when it is not usable. */
  static async load(saved: Pick<SavedIndex, 'catalog' | 'engine'>, options: LoadOptions = {}, kind: EngineKind = miniSearchEngine): Promise<PaperIndex> {
    const [header, ...lines] = (await parseJsonLines(saved.catalog, options.pausing ? PAPERS_PER_PAUSE : undefined)) as [CatalogHeader, ...[Paper, PaperKeys][]];
    if (!header || !Array.isArray(header.digestDates) || !Array.isArray(header.byPhrase) || !Array.isArray(header.commonTerms) || !lines.every(Array.isArray))
      throw new PaperbotError('damaged_data', 'the saved catalog is not one');
    const catalog = new MemoryCatalog(
      lines.map(([paper]) => paper),
      lines.map(([, keys]) => keys),
    );
    const learned = { byPhrase: new Map(header.byPhrase), commonTerms: new Map(header.commonTerms) };
    // Each step a task of its own in a pausing load: together they would hold answers up.
    if (options.pausing) await pause();
    const engine = await kind.load(saved.engine, options);
    if (options.pausing) await pause();
    return new PaperIndex(catalog, engine, header.digestDates, tableFromJSON(header.acronyms), learned);
  }

  save(): SavedIndex {
    const header: CatalogHeader = { digestDates: [...this.dates], acronyms: tableToJSON(this.acronymTable), byPhrase: [...this.byPhrase], commonTerms: [...this.commonTerms] };
    const catalog = toJsonLines([header, ...this.catalog.all().map((p) => [p, keysOf(p)])]);
    return { engineName: this.engine.name, papers: this.size, catalog, engine: this.engine.save() };
  }

  /** Which engine serves the searches. */
  get engineName(): string {
    return this.engine.name;
  }

  get size(): number {
    return this.catalog.size;
  }

  /** Every paper (the SQLite engine's are read as asked for: a walk over all of them is slow in a large library). */
  papers(): readonly Paper[] {
    return this.catalog.all();
  }

  /** Lets go of the files the index reads (SQLite); only once no answer uses it. */
  close(): void {
    this.catalog.close();
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

  /** Papers first published from `from` to `to` (ISO dates, both included), in paper order: an index lookup, not a walk over every paper. */
  publishedBetween(from: string, to: string): Paper[] {
    return this.catalog.publishedBetween(from, to);
  }

  /** Every paper's id lower-cased, in no set order, read as walked. */
  idKeys(): Iterable<string> {
    return this.catalog.idKeys();
  }

  // The scheduler's questions: narrow, so a large library is not walked for them (see Catalog).
  /** Papers appearing in a digest from `from` to `to` (ISO dates, both included), in paper order, each with its best rank there. */
  appearingBetween(from: string, to: string): AppearingPaper[] {
    return this.catalog.appearingBetween(from, to);
  }

  /** Papers whose first digest day is from `from` to `to` (ISO dates, both included), in paper order. */
  firstAppearingBetween(from: string, to: string): Paper[] {
    return this.catalog.firstAppearingBetween(from, to);
  }

  /** Papers `from` to `to` - 1 (in paper order) by their id and title key only. */
  identityKeys(from: number, to: number): PaperIdKey[] {
    return this.catalog.identityKeys(from, to);
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    return this.searchPage(query, options).hits;
  }

  /**
   * One page of the papers that answer the query: those meeting all its words (an acronym's
   * expansion or a corrected slip counts for its word) first, papers naming the people asked
   * for or carrying the query as a phrase in their title ahead of them; then papers meeting
   * most of the words. The counts say how many papers have every word and how many only some.
   */
  searchPage(query: string, options: SearchOptions = {}): SearchPage {
    const limit = options.limit ?? 10;
    const offset = options.offset ?? 0;
    const { text, corrections } = this.corrected(query);
    const terms = toTerms(text);
    const nothing: SearchPage = { hits: [], total: 0, allWords: 0, someWords: 0, partial: [], corrections, unknownWords: [] };
    if (terms.length === 0) return nothing;
    // Typo and prefix matching only for words the index does not know: expanding a known word
    // ("generation" → every "gener*") costs time and pulls in papers about something else. Nor
    // for dictionary words: a library without "bread" has no papers about it, only about "broad".
    const strict = new Set(
      tokenize(text)
        .filter((w) => isEnglishWord(w.toLowerCase()))
        .flatMap((w) => toTerm(w) ?? []),
    );
    const unknown = (term: string) => !this.engine.has(term);
    const loose = (term: string) => unknown(term) && !strict.has(term);
    // By paper number: the filter is asked of every matching paper, and reading each one would cost a row read in a large library.
    const excluded = new Set([...(options.exclude ?? [])].flatMap((id) => this.catalog.numberOf(id) ?? []));
    const withCode = options.withCode === true;
    const searchOptions: EngineSearchOptions = {
      boost: BOOSTS,
      weights: MATCH_WEIGHTS,
      filter: excluded.size > 0 || withCode ? (doc) => !excluded.has(doc) && (!withCode || this.catalog.hasCode(doc)) : undefined,
      limit: Math.max(RERANK_DEPTH, offset + limit),
    };
    const needs = this.needsOf(text, terms);
    const expanded = this.expand(this.withoutCommonWords(text, terms), text, terms);
    // Every paper meeting all needs is among these: a word's other spellings are searched too ("fine tuning" for "finetuning").
    const phrases = [...new Set([...(expanded.phrases ?? []), ...needs.flatMap((n) => n.alternatives.slice(1).filter((a) => a.includes(' ')))])];
    const anyQuery = this.engineQuery({ words: expanded.words, phrases }, loose);
    const any = this.engine.search(anyQuery, searchOptions);
    const ways = allWordsQueries(needs);
    const allQuery = this.engineQuery({ words: '', phrases: ways }, loose);
    // A one-word query's all-words side is the same search as its any-words side: asked once.
    const all = sameSearch(anyQuery, allQuery) ? any : this.engine.search(allQuery, searchOptions);
    const unknownWords = [
      ...new Set(
        tokenize(text)
          .filter((w) => {
            const t = toTerm(w);
            return t !== null && unknown(t);
          })
          .map((w) => w.toLowerCase()),
      ),
    ];
    if (any.total === 0) return { ...nothing, unknownWords };

    const queryKey = terms.join(' ');
    const wayTerms = ways.map((w) => toTerms(w));
    const complete = new Set(all.matches.map((m) => m.doc));
    const byName = needs.length <= MAX_NAME_WORDS;
    // Papers naming the people asked for, or with the query as a phrase in the title, lead.
    const first = all.matches.map((m) => {
      const title = this.titleTerms(m.doc).split(' ');
      const lead = (byName && namesPerson(this.catalog.paper(m.doc), text)) || (terms.length > 1 && wayTerms.some((w) => hasRun(title, w)));
      // Next, titles having every word, in any order.
      const titled = !lead && wayTerms.some((w) => w.every((t) => title.includes(t)));
      return { m, lead, titled, score: this.rerank(m, 1, queryKey) };
    });
    const rest = any.matches
      .filter((m) => !complete.has(m.doc))
      .map((m) => {
        const title = ` ${this.titleTerms(m.doc)} `;
        // Common words left out of the search still count when the title has them.
        const met = needs.map((need) => meets(need, (t) => m.queryTerms.includes(t) || (need.common && title.includes(` ${t} `))));
        const share = met.filter(Boolean).length / needs.length;
        const titled = titleHasNeedRun(needs, title.trim().split(' '));
        return { m, good: answersPartly(needs, met) || titled, score: this.rerank(m, share, queryKey) };
      });
    const byScore = (a: { score: number }, b: { score: number }) => b.score - a.score;
    rest.sort(byScore);
    // Papers with only some of the words follow those with all of them; with none having all,
    // they are listed only when one of them answers the query in good part.
    const answered = complete.size > 0 || rest.some((x) => x.good);
    const others = answered || options.weak ? rest : [];
    // A long query describes rather than names: a paper missing one of its words can still be the best answer.
    const leading = [...first.filter((x) => x.lead).sort(byScore), ...first.filter((x) => x.titled).sort(byScore)];
    const plain = first.filter((x) => !x.lead && !x.titled);
    const listed = needs.length >= DESCRIPTION_NEEDS ? [...leading, ...[...plain, ...others].sort(byScore)] : [...leading, ...plain.sort(byScore), ...others];
    const toHit = ({ m, score }: { m: EngineMatch; score: number }): SearchHit => {
      const paper = this.catalog.paper(m.doc);
      return { paper, score, matched: m.terms, snippet: makeSnippet(paper.abstract, m.terms), allWords: complete.has(m.doc) };
    };
    const hits = listed.slice(offset, offset + limit).map(toHit);
    const partial = answered ? [] : rest.slice(0, MAX_PARTIAL).map(toHit);
    return { hits, total: listed.length, allWords: all.total, someWords: any.total - all.total, partial, corrections, unknownWords };
  }

  /** The query with each slip of the keys in a word no paper uses put right ("decodng" → "decoding"). */
  private corrected(query: string): { text: string; corrections: Correction[] } {
    const corrections: Correction[] = [];
    const words = tokenize(query).map((word) => {
      const lower = word.toLowerCase();
      const term = toTerm(lower);
      if (term === null || lower.length < MIN_CORRECTED_LENGTH || /\d/.test(lower) || isEnglishWord(lower)) return word;
      // A word a few papers use may still be a slip: "tranformer" is in one paper, "transformer" in thousands.
      const papers = this.paperCount(term);
      if (papers > MAX_SLIP_PAPERS) return word;
      const fixed = this.slipFixed(lower, term);
      if (fixed && papers > 0 && this.paperCount(toTerm(fixed) ?? fixed) < papers * SLIP_MAJORITY) return word;
      if (!fixed) return word;
      corrections.push({ from: word, to: fixed });
      return fixed;
    });
    return { text: corrections.length > 0 ? words.join(' ') : query, corrections };
  }

  private readonly slipCache = new Map<string, string | null>();

  /** The word papers use one slip of the keys from `word` (a word no paper uses), cached: finding it reads papers. */
  private slipFixed(word: string, term: string): string | null {
    let fixed = this.slipCache.get(word);
    if (fixed === undefined) {
      const closest = closestWord(this.engine, word, term, (doc, field) => this.fieldText(doc, field), slipDistance);
      // One slip from the word as typed, or from its stem ("autoencodr" is a slip from "autoencod", which "autoencoders" is written with).
      fixed = closest && (oneSlipApart(word, closest) || oneSlipApart(term, toTerm(closest) ?? closest)) ? closest : null;
      if (this.slipCache.size >= MAX_CACHED_SLIPS) this.slipCache.clear();
      this.slipCache.set(word, fixed);
    }
    return fixed;
  }

  /**
   * The query's needs: each acronym with its expansions, each run of words an acronym stands
   * for with that acronym, every other word on its own.
   */
  private needsOf(text: string, terms: readonly string[]): Need[] {
    const needs: Need[] = [];
    const words = tokenize(text).flatMap((w) => {
      const term = toTerm(w);
      return term === null ? [] : [{ word: w, term }];
    });
    for (let i = 0; i < words.length; ) {
      let taken = 1;
      let alternatives = [words[i]!.word];
      const expansions = this.acronymTable.expansions.get(words[i]!.word.toLowerCase());
      if (expansions) alternatives.push(...expansions);
      else {
        for (let end = Math.min(words.length, i + MAX_PHRASE_TERMS); end >= i + 2; end--) {
          const acronyms = this.byPhrase.get(terms.slice(i, end).join(' '));
          if (!acronyms) continue;
          taken = end - i;
          alternatives = [
            words
              .slice(i, end)
              .map((w) => w.word)
              .join(' '),
            ...acronyms,
          ];
          break;
        }
      }
      if (taken === 1 && !expansions) alternatives.push(...this.splitCompound(words[i]!.word));
      const own = words.slice(i, i + taken).map((w) => w.term);
      if (!needs.some((n) => n.terms[0]!.join(' ') === own.join(' '))) {
        needs.push({
          alternatives,
          terms: alternatives.map((a) => toTerms(a)),
          weight: own.reduce((sum, t) => sum + rarity(this.paperCount(t), this.size), 0),
          common: own.every((t) => this.commonTerms.has(t)),
        });
      }
      i += taken;
    }
    return needs;
  }

  /** A word written as one that papers also write as two ("finetuning", "fine-tuning"): the two words, if the papers use both. */
  private splitCompound(word: string): string[] {
    // "DeepSpeed" is a name, not a way of writing "deep speed".
    if (/\p{Ll}\p{Lu}/u.test(word)) return [];
    const lower = word.toLowerCase();
    const whole = toTerm(lower) ?? lower;
    for (let at = MIN_COMPOUND_PART; at <= lower.length - MIN_COMPOUND_PART; at++) {
      const parts = [lower.slice(0, at), lower.slice(at)];
      const partTerms = parts.map((p) => (isEnglishWord(p) ? toTerm(p) : null));
      // Only for a word rarer than both halves: "generated" is no way of writing "gene rated".
      if (partTerms.every((t) => t !== null && this.paperCount(t) > this.paperCount(whole))) return [parts.join(' ')];
    }
    return [];
  }

  /** How many papers have the term in any field. */
  private paperCount(term: string): number {
    const common = this.commonTerms.get(term);
    if (common !== undefined) return common;
    return this.engine.documentFrequency(term);
  }

  /** A paper's text in one of the indexed fields. */
  private fieldText(doc: number, field: Field): string {
    return documentOf(this.catalog.paper(doc))[field];
  }

  /** The query with each unknown word replaced by the closest word the papers use ("did you mean"). */
  didYouMean(query: string): string | undefined {
    const words = tokenize(query).map((w) => w.toLowerCase());
    const textOf = (doc: number, field: Field) => this.fieldText(doc, field);
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
    return this.search(this.tellingWords(paper).join(' '), { limit, exclude: new Set([paper.id]), weak: true });
  }

  /**
   * The words most telling of a paper, as "more like this" queries: frequent in its title,
   * keywords and opening sentences, rare in the library (tf·idf). Common words and words only
   * this paper uses are left out: they find nothing like it, and each word searched costs time.
   */
  private tellingWords(paper: Paper): string[] {
    const text = `${paper.title} ${paper.title} ${paper.keywords?.join(' ') ?? ''} ${paper.abstract
      .split(/(?<=\.)\s/)
      .slice(0, 2)
      .join(' ')}`;
    const seen = new Map<string, { word: string; count: number }>();
    for (const word of tokenize(text)) {
      const term = toTerm(word);
      if (term === null || this.commonTerms.has(term)) continue;
      const entry = seen.get(term);
      if (entry) entry.count++;
      else seen.set(term, { word, count: 1 });
    }
    const weighed = [...seen].flatMap(([term, { word, count }]) => {
      const papers = this.paperCount(term);
      return papers > 1 ? [{ word, weight: count * Math.log(this.size / papers) }] : [];
    });
    return weighed
      .sort((a, b) => b.weight - a.weight)
      .slice(0, LIKE_TERMS)
      .map((w) => w.word);
  }

  /** How many papers have this index term (see terms.ts): how rare, and so how telling, it is. */
  documentFrequency(term: string): number {
    return this.engine.documentFrequency(term);
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
    return this.catalog.trending(this.dates, period, asOf, limit);
  }

  /** The papers a watch matches now (the rule alerts use, see watchMatch): how many, and the `shown` latest (latest digest first, then upvotes). */
  watchMatches(query: string, shown = 0): WatchMatches {
    return this.catalog.watchMatches(query, this.acronyms(), shown);
  }

  /** What `ask` reads of the digests (days, a day's papers, papers by people, organisations), asked narrowly of the catalog. */
  digestLookups(): DigestLookups {
    return this.catalog.digestLookups();
  }

  /** The query as engine terms; only `loose` terms also match by prefix and typo (see searchPage). */
  private engineQuery(q: Query, loose: (term: string) => boolean): EngineQuery {
    const termQuery = (term: string): TermQuery => {
      const looseTerm = loose(term);
      return { term, prefix: term.length >= 4 && looseTerm, fuzzy: term.length >= 5 && looseTerm ? Math.min(2, Math.round(term.length * 0.2)) : 0 };
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
  private rerank(m: EngineMatch, coverage: number, queryKey: string): number {
    const phraseBonus = queryKey.includes(' ') && ` ${this.titleTerms(m.doc)} `.includes(` ${queryKey} `) ? 1.5 : 1;
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
  return { title: p.title, abstract: p.abstract, people: peopleText(p) };
}

/** What an index learns from its papers at build: digest days, acronyms, common terms. */
export function learnedFrom(papers: readonly Paper[], engine: SearchEngine, digestDates?: readonly string[]): CatalogHeader {
  const dates = digestDates ? [...new Set(digestDates)] : [...new Set(papers.flatMap((p) => p.digests.map((d) => d.date)))];
  const acronyms = learnAcronyms(papers.flatMap((p) => [p.title, p.abstract]));
  return { digestDates: dates.sort(), acronyms: tableToJSON(acronyms), byPhrase: [...phraseIndex(acronyms)], commonTerms: [...commonTerms(engine)] };
}

/** Terms in more than COMMON_SHARE of the papers' titles and abstracts, with their paper counts. */
function commonTerms(engine: SearchEngine): Map<string, number> {
  // A small index is fast anyway: leaving words out would cost ranking there and save nothing.
  return engine.frequentTerms(Math.max(COMMON_SHARE * engine.documentCount, MIN_COMMON_PAPERS), ['title', 'abstract']);
}
