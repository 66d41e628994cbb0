import { IndexReplacedError } from '../model/errors.js';
import type { Paper } from '../model/paper.js';
import type { MarkedText } from '../model/reply.js';
import { arxivIdOf } from '../parser/ids.js';
import { titleKey } from '../parser/text.js';
import { runSteps, runStepsPausing, type Steps } from '../steps.js';
import { acronymSteps, tableFromJSON, tableToJSON, type AcronymTable } from './acronyms.js';
import { closestWord } from './didYouMean.js';
import { isEnglishWord } from './englishWords.js';
import { namesPerson } from './nameMatch.js';
import { allWordsQueries, answersPartly, hasRun, meets, oneSlipApart, rarity, slipDistance, titleHasNeedRun, type Need } from './queryNeeds.js';
import type { LazyArray, LoadResult } from './lazyArray.js';
import { PaperLookup } from './paperLookup.js';
import { PaperStore } from './paperStore.js';
import { Postings, PostingsBuilder } from './postings.js';
import { runQuery, type Match, type Query, type QueryOptions } from './scoring.js';
import { makeSnippet } from './snippet.js';
import { toTerm, toTerms, tokenize } from './terms.js';
import { TrendingTable, type TrendingPeriod, type TrendingResult } from './trending.js';

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

/** Bumped whenever the index layout or term processing changes: older snapshots are rebuilt. */
export const INDEX_FORMAT = 6;

/**
 * A term in more than this share of papers ("model", "language") is common: it barely
 * separates papers, yet scoring it walks most of the index. Queries that also have rarer words
 * search those, and common words only count through titles when re-ranking.
 */
const COMMON_SHARE = 0.2;
const MIN_COMMON_PAPERS = 1000;

/** Indexed fields, in the order the postings number them (see fieldsOf), and their boosts. */
export const FIELDS = ['title', 'abstract', 'people'] as const;
const TITLE = 0;
const ABSTRACT = 1;
export const BOOSTS = [3, 1, 1.5];
/** Longest acronym expansion looked up in a query, in terms ("retrieval augmented generation" is 3). */
const MAX_PHRASE_TERMS = 6;

/** How many of the best BM25 hits are re-scored and listed; deeper ones are past page 20. */
const RERANK_DEPTH = 200;
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

/** Everything but the typed arrays, as the snapshot header carries it. */
export interface IndexHeader {
  format: number;
  digestDates: string[];
  acronyms: Record<string, string[]>;
  /** Common terms with the number of papers that have them. */
  commonTerms: [string, number][];
  /** Acronym expansions as index terms ("mixtur expert") → their acronyms; saved so a start does not stem them again. */
  acronymsByPhrase: [string, string[]][];
  docCount: number;
  avgFieldLengths: number[];
  /** Every digest date a paper appeared on, sorted: the trending table's appearances number them. */
  appearanceDates: string[];
}

/** The binary parts of an index, each saved as it is and loaded as a view of the file. */
export interface IndexSections {
  /** Index terms, UTF-8, one per line, sorted. */
  terms: Uint8Array;
  offsets: Uint32Array;
  docs: Uint32Array;
  freqs: Uint16Array;
  fieldLengths: Uint32Array;
  paperKeys: Uint8Array;
  paperKeyOffsets: Uint32Array;
  paperOffsets: Uint32Array;
  paperRecords: Uint8Array;
  /** Paper numbers sorted by id, title-derived id and title (see PaperLookup). */
  paperLookup: Uint32Array;
  /** The trending table (see TrendingTable). */
  paperUpvotes: Uint32Array;
  appearanceOffsets: Uint32Array;
  appearances: Uint32Array;
}

/** The sections as loaded: the large ones may still be in the snapshot file. */
export type LoadedSections = Omit<IndexSections, 'docs' | 'freqs' | 'paperRecords'> & {
  docs: LazyArray<Uint32Array>;
  freqs: LazyArray<Uint16Array>;
  paperRecords: LazyArray<Uint8Array>;
};

/**
 * The one search index over every parsed paper, shared by all adapters. Immutable once built:
 * a reload builds a new one and swaps it in (see PaperLibrary).
 */
export class PaperIndex {
  private warming: Promise<LoadResult> | undefined;
  private replaced = false;

  private constructor(
    private readonly postings: Postings,
    private readonly store: PaperStore,
    private readonly dates: string[],
    private readonly acronymTable: AcronymTable,
    /** Expansion phrase (as index terms) → acronyms: a query's word runs are looked up here. */
    private readonly byPhrase: ReadonlyMap<string, string[]>,
    /** Common terms → how many papers have them. */
    private readonly commonTerms: ReadonlyMap<string, number>,
    private readonly lookup: PaperLookup,
    private readonly trendingTable: TrendingTable,
  ) {}

  /**
   * `previous`: an index the papers mostly come from (the one being replaced); a paper with the
   * same id and text there has its postings taken over instead of being tokenized again.
   */
  static build(papers: readonly Paper[], digestDates?: readonly string[], previous?: PaperIndex): PaperIndex {
    return runSteps(PaperIndex.buildSteps(papers, digestDates, previous));
  }

  /**
   * The same index as `build`, made in steps that yield to the event loop between them, so a
   * reload of a large corpus never stalls the answers the bot gives from the current index.
   */
  static async buildAsync(papers: readonly Paper[], digestDates?: readonly string[], previous?: PaperIndex): Promise<PaperIndex> {
    // A damaged snapshot's postings are not worth taking over, nor an index already replaced (its file closes soon).
    const loaded = async (index: PaperIndex) => !index.retired && (await index.postings.load().then((r) => r === 'loaded', () => false));
    const usable = previous && (await loaded(previous)) ? previous : undefined;
    return runStepsPausing(PaperIndex.buildSteps(papers, digestDates, usable));
  }

  /** Rows a build will make: the previous index's per paper, else a typical paper's (about 100 distinct terms). */
  private static expectedRows(papers: readonly Paper[], previous?: PaperIndex): number {
    const perPaper = previous && previous.size > 0 ? previous.postings.data.docs.length / previous.size : 100;
    return Math.max(1 << 16, Math.ceil(papers.length * perPaper * 1.05));
  }

  /** Paper numbers by id (lower-cased), for a rebuild to look up every paper once: one pass, not a search per paper. */
  private numbersById(): Map<string, number> {
    const numbers = new Map<string, number>();
    for (let i = 0; i < this.size; i++) numbers.set(this.store.id(i).toLowerCase(), i);
    return numbers;
  }

  /** The number of the paper with this id (in `numbers`, see numbersById) and exactly this indexed text, or -1. */
  private docWithText(numbers: ReadonlyMap<string, number>, id: string, fields: readonly string[]): number {
    const at = numbers.get(id.toLowerCase());
    if (at === undefined) return -1;
    const old = fieldsOf(this.store.get(at));
    return old.every((text, i) => text === fields[i]) ? at : -1;
  }

  /** Papers between two pauses while they are added. */
  private static readonly PAPERS_PER_STEP = 500;

  private static *buildSteps(papers: readonly Paper[], digestDates?: readonly string[], previous?: PaperIndex): Steps<PaperIndex> {
    const builder = new PostingsBuilder(FIELDS.length, PaperIndex.expectedRows(papers, previous));
    // A paper with the same id and text in `previous` has its rows taken over, not tokenized again.
    const rows = previous && previous.size > 0 ? yield* previous.postings.forwardSteps() : undefined;
    const previousNumbers = rows ? previous!.numbersById() : undefined;
    for (const [i, p] of papers.entries()) {
      if (i > 0 && i % PaperIndex.PAPERS_PER_STEP === 0) yield;
      const fields = fieldsOf(p);
      const doc = previousNumbers ? previous!.docWithText(previousNumbers, p.id, fields) : -1;
      if (doc < 0) builder.add(fields);
      else builder.addFrom(previous!.postings, rows!, doc);
    }
    const postings = yield* builder.finishSteps();
    const acronyms = yield* acronymSteps(papers.flatMap((p) => [p.title, p.abstract]));
    const dates = digestDates ? [...new Set(digestDates)] : [...new Set(papers.flatMap((p) => p.digests.map((d) => d.date)))];
    const store = yield* PaperStore.ofSteps(papers);
    const lookup = yield* PaperLookup.buildSteps(store.size, (i) => store.id(i), (i) => store.title(i));
    return new PaperIndex(postings, store, dates.sort(), acronyms, phraseIndex(acronyms), yield* commonTermSteps(postings), lookup, yield* TrendingTable.ofSteps(papers));
  }

  /** An index over a snapshot's parts; throws when they do not fit together. */
  static fromSnapshot(header: IndexHeader, sections: LoadedSections): PaperIndex {
    if (header.format !== INDEX_FORMAT) throw new Error(`index snapshot format ${header.format}, expected ${INDEX_FORMAT}`);
    const text = Buffer.from(sections.terms.buffer, sections.terms.byteOffset, sections.terms.byteLength).toString('utf8');
    const terms = text.length === 0 ? [] : text.split('\n');
    const F = FIELDS.length;
    const { offsets, docs, freqs, fieldLengths } = sections;
    if (offsets.length !== terms.length * F + 1 || offsets[offsets.length - 1] !== docs.length || freqs.length !== docs.length) throw new Error('postings do not match the term list');
    if (fieldLengths.length !== header.docCount * F || header.avgFieldLengths.length !== F) throw new Error('field lengths do not match the paper count');
    const store = PaperStore.decode({ keys: sections.paperKeys, keyOffsets: sections.paperKeyOffsets, offsets: sections.paperOffsets, records: sections.paperRecords });
    if (store.size !== header.docCount) throw new Error(`holds ${store.size} papers, its postings ${header.docCount}`);
    const postings = new Postings({ terms, fieldCount: F, docCount: header.docCount, offsets, docs, freqs, fieldLengths, avgFieldLengths: header.avgFieldLengths });
    const lookup = PaperLookup.over(sections.paperLookup, store.size, (i) => store.id(i), (i) => store.title(i));
    const trending = TrendingTable.over({ dates: header.appearanceDates, upvotes: sections.paperUpvotes, appearanceOffsets: sections.appearanceOffsets, appearances: sections.appearances }, store.size);
    return new PaperIndex(postings, store, header.digestDates, tableFromJSON(header.acronyms), new Map(header.acronymsByPhrase), new Map(header.commonTerms), lookup, trending);
  }

  toSnapshot(): { header: IndexHeader; sections: IndexSections } {
    return runSteps(this.snapshotSteps());
  }

  /** toSnapshot() as steps (see runStepsPausing): the bot keeps answering while it saves. */
  *snapshotSteps(): Steps<{ header: IndexHeader; sections: IndexSections }> {
    const { data } = this.postings;
    const papers = yield* this.store.encodeSteps();
    const trending = this.trendingTable.encode();
    return {
      header: {
        format: INDEX_FORMAT,
        digestDates: this.dates,
        acronyms: tableToJSON(this.acronymTable),
        commonTerms: [...this.commonTerms],
        acronymsByPhrase: [...this.byPhrase],
        docCount: data.docCount,
        avgFieldLengths: [...data.avgFieldLengths],
        appearanceDates: trending.dates,
      },
      sections: {
        terms: Buffer.from(data.terms.join('\n'), 'utf8'),
        offsets: data.offsets,
        docs: data.docs.all(),
        freqs: data.freqs.all(),
        fieldLengths: data.fieldLengths,
        paperKeys: papers.keys,
        paperKeyOffsets: papers.keyOffsets,
        paperOffsets: papers.offsets,
        paperRecords: papers.records,
        paperLookup: this.lookup.orders,
        paperUpvotes: trending.upvotes,
        appearanceOffsets: trending.appearanceOffsets,
        appearances: trending.appearances,
      },
    };
  }

  /**
   * After a snapshot start: reads what is still in the file (checking it) and turns every paper
   * into an object, in steps between answers. Resolves 'loaded' when all of it is in memory,
   * 'retired' when the index was replaced first (then it stops, and nothing of it is to be
   * trusted as read); rejects when the file's data turn out damaged.
   */
  warm(): Promise<LoadResult> {
    if (this.replaced) return Promise.resolve('retired');
    this.warming ??= (async (): Promise<LoadResult> => {
      if ((await this.postings.load()) === 'retired') return 'retired';
      return this.store.warm();
    })();
    return this.warming;
  }

  /**
   * For an index that has been replaced: stops reading its snapshot in the background and, after
   * `graceMs` (a command may still hold it across an await), closes the snapshot file. The
   * timer holds only the file: the index's memory goes as soon as no command holds it.
   */
  retire(graceMs = 60_000): void {
    if (this.replaced) return;
    this.replaced = true;
    this.postings.retire();
    this.store.retire();
    const close = this.postings.fileCloser();
    if (graceMs === 0) close();
    else setTimeout(close, graceMs).unref();
  }

  /** Set by retire(): work for this index (background loads, lookups built ahead) is no longer wanted. */
  get retired(): boolean {
    return this.replaced;
  }

  get size(): number {
    return this.store.size;
  }

  /**
   * Every paper. On an index loaded from a snapshot and not warmed, that reads and decodes every
   * record at once (seconds at 100,000 papers): an index already replaced refuses instead.
   */
  papers(): readonly Paper[] {
    if (this.replaced && !this.store.inMemory) throw new IndexReplacedError();
    return this.store.all();
  }

  /** Digest days, oldest first. */
  digestDates(): readonly string[] {
    return this.dates;
  }

  acronyms(): ReadonlyMap<string, string[]> {
    return this.acronymTable.expansions;
  }

  /** By id (arXiv with or without version or as its URL, or title-derived; any case), or by exact title. */
  get(idOrTitle: string): Paper | undefined {
    const key = idOrTitle.trim();
    const arxivId = arxivIdOf(key);
    const at = this.byId(key.toLowerCase()) ?? (arxivId === undefined ? undefined : this.byId(arxivId)) ?? this.lookup.find('title', titleKey(key)).at(-1);
    return at === undefined ? undefined : this.store.get(at);
  }

  /** Every paper's id, in paper order (ids are in memory: no paper record is read). */
  ids(): string[] {
    return Array.from({ length: this.store.size }, (_, i) => this.store.id(i));
  }

  /** The paper with this id or title-derived id (lower-cased); the later paper when two have it. */
  private byId(key: string): number | undefined {
    const found = [...this.lookup.find('id', key), ...this.lookup.find('titleId', key)];
    return found.length > 0 ? Math.max(...found) : undefined;
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
    const strict = new Set(tokenize(text).filter((w) => isEnglishWord(w.toLowerCase())).flatMap((w) => toTerm(w) ?? []));
    const unknown = (term: string) => this.postings.lookup(term) < 0;
    const loose = (term: string) => unknown(term) && !strict.has(term);
    // By paper number: turning every matching paper's id into a string cost 0.3 s at 100k papers.
    const excluded = new Set([...(options.exclude ?? [])].flatMap((id) => this.lookup.find('id', id.toLowerCase()).filter((doc) => this.store.id(doc) === id)));
    const keep = excluded.size > 0 ? (doc: number) => !excluded.has(doc) : undefined;
    const depth = Math.max(RERANK_DEPTH, offset + limit);
    const queryOptions: QueryOptions = {
      boosts: BOOSTS,
      prefix: (term) => term.length >= 4 && loose(term),
      fuzzy: (term) => (term.length >= 5 && loose(term) ? 0.2 : false),
      maxFuzzy: 2,
      weights: { fuzzy: 0.3, prefix: 0.4 },
    };
    const needs = this.needsOf(text, terms);
    const expanded = this.expand(this.withoutCommonWords(text, terms), text, terms);
    // Every paper meeting all needs is among these: a word's other spellings are searched too ("fine tuning" for "finetuning").
    const phrases = [...new Set([...(expanded.phrases ?? []), ...needs.flatMap((n) => n.alternatives.slice(1).filter((a) => a.includes(' ')))])];
    const any = runQuery(this.postings, { words: expanded.words, phrases }, queryOptions, { keep, top: depth });
    const ways = allWordsQueries(needs);
    const all = runQuery(this.postings, { words: '', phrases: ways }, queryOptions, { keep, top: depth });
    const unknownWords = [...new Set(tokenize(text).filter((w) => { const t = toTerm(w); return t !== null && unknown(t); }).map((w) => w.toLowerCase()))];
    if (any.total === 0) return { ...nothing, unknownWords };

    const queryKey = terms.join(' ');
    const wayTerms = ways.map((w) => toTerms(w));
    const complete = new Set(all.top.map((m) => m.doc));
    const byName = needs.length <= MAX_NAME_WORDS;
    // Papers naming the people asked for, or with the query as a phrase in the title, lead.
    const first = all.top.map((m) => {
      const title = this.titleTerms(m.doc).split(' ');
      const lead = (byName && namesPerson(this.store.get(m.doc), text)) || (terms.length > 1 && wayTerms.some((w) => hasRun(title, w)));
      // Next, titles having every word, in any order.
      const titled = !lead && wayTerms.some((w) => w.every((t) => title.includes(t)));
      return { m, lead, titled, score: this.rerank(m, 1, queryKey) };
    });
    const rest = any.top
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
    const toHit = ({ m, score }: { m: Match; score: number }): SearchHit => {
      const paper = this.store.get(m.doc);
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
      const closest = closestWord(this.postings, word, term, (doc, field) => this.fieldText(doc, field), slipDistance);
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
          alternatives = [words.slice(i, end).map((w) => w.word).join(' '), ...acronyms];
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
    const id = this.postings.lookup(term);
    return id < 0 ? 0 : this.postings.docFrequency(id, FIELDS.map((_, f) => f));
  }

  /** A paper's text in one of FIELDS; titles are in memory, the other fields need the paper's record. */
  private fieldText(doc: number, field: number): string {
    return field === TITLE ? this.store.title(doc) : fieldsOf(this.store.get(doc))[field]!;
  }

  /** The query with each unknown word replaced by the closest word the papers use ("did you mean"). */
  didYouMean(query: string): string | undefined {
    const words = tokenize(query).map((w) => w.toLowerCase());
    const textOf = (doc: number, field: number) => this.fieldText(doc, field);
    const fixed = words.map((word) => {
      const term = toTerm(word);
      if (term === null || this.postings.lookup(term) >= 0) return word;
      return closestWord(this.postings, word, term, textOf) ?? word;
    });
    const suggestion = fixed.join(' ');
    return suggestion !== words.join(' ') ? suggestion : undefined;
  }

  /** Papers whose text is closest to this one's: its title and key abstract terms as a query. */
  moreLike(paper: Paper, limit = 5): SearchHit[] {
    const query = `${paper.title} ${paper.keywords?.join(' ') ?? ''} ${paper.abstract.split(/(?<=\.)\s/).slice(0, 2).join(' ')}`;
    return this.search(query, { limit, exclude: new Set([paper.id]), weak: true });
  }

  /** Titles starting with, or containing, what the user has typed so far (autocomplete). */
  suggest(prefix: string, limit = 25): Paper[] {
    const trimmed = prefix.trim();
    if (!trimmed) {
      const newest: Paper[] = [];
      for (let i = this.store.size - 1; i >= 0 && newest.length < limit; i--) newest.push(this.store.get(i));
      return newest;
    }
    const exact = this.get(trimmed);
    const hits = this.search(trimmed, { limit }).map((h) => h.paper);
    return exact ? [exact, ...hits.filter((p) => p !== exact)].slice(0, limit) : hits;
  }

  trending(period: TrendingPeriod, asOf: string, limit = 10): TrendingResult {
    return this.trendingTable.rank(this.dates, period, asOf, limit, (i) => this.store.get(i), (i) => this.store.title(i));
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
  private rerank(m: Match, coverage: number, queryKey: string): number {
    const phraseBonus = queryKey.includes(' ') && ` ${this.titleTerms(m.doc)} `.includes(` ${queryKey} `) ? 1.5 : 1;
    return m.score * (0.5 + coverage) * phraseBonus;
  }

  private readonly titleTermCache = new Map<number, string>();

  /** A paper's title as index terms joined by spaces, cached: reranking asks for it per hit. */
  private titleTerms(doc: number): string {
    let key = this.titleTermCache.get(doc);
    if (key === undefined) {
      key = toTerms(this.store.title(doc)).join(' ');
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

/** A paper's text in each of FIELDS. */
export function fieldsOf(p: Paper): string[] {
  const people = [p.organization?.name, p.organization?.handle, ...p.authors].filter(Boolean).join(' ');
  return [p.title, p.abstract, people];
}

/** Terms in more than COMMON_SHARE of the papers' titles and abstracts, with their paper counts. */
function* commonTermSteps(postings: Postings): Steps<Map<string, number>> {
  // A small index is fast anyway: leaving words out would cost ranking there and save nothing.
  const threshold = Math.max(COMMON_SHARE * postings.docCount, MIN_COMMON_PAPERS);
  const common = new Map<string, number>();
  for (let id = 0; id < postings.termCount; id++) {
    if (id > 0 && id % 20_000 === 0) yield;
    const [ts, te] = postings.range(id, TITLE);
    const [as, ae] = postings.range(id, ABSTRACT);
    if (te - ts + (ae - as) <= threshold) continue;
    const papers = postings.docFrequency(id, [TITLE, ABSTRACT]);
    if (papers > threshold) common.set(postings.term(id), papers);
  }
  return common;
}
