import { LRUCache } from 'lru-cache';
import { BatchedWork } from '../index/batchedWork.js';
import type { DigestLookups, PaperDates } from '../index/digestLookups.js';
import type { PaperIndex } from '../index/paperIndex.js';
import { toTerm } from '../index/terms.js';
import type { Paper } from '../model/paper.js';

export interface OrgEntry {
  /** Display name ("NVIDIA"). */
  name: string;
  /** Paper numbers, in the order they were found. */
  papers: number[];
}

/** Normalised names kept, at most: authors recur across the papers a question reads. */
const MAX_CACHED_NAMES = 200_000;
/** Papers of the authors last asked about, kept in all: a follow-up ("…this week") reads none again. */
const MAX_CACHED_AUTHOR_PAPERS = 100_000;

const cache = new WeakMap<PaperIndex, DigestFacts>();

/** The index's facts for structural questions, one per index and kept until it is swapped out. */
export function digestFacts(index: PaperIndex): DigestFacts {
  let facts = cache.get(index);
  if (!facts) cache.set(index, (facts = new DigestFacts(index)));
  return facts;
}

/** Reads the organisations in the background, so neither start-up nor the first question waits for them. */
export async function prepareDigestFacts(index: PaperIndex): Promise<void> {
  await digestFacts(index).prepare();
}

/** "ByteDance-Seed", "bytedance seed" and "ByteDance Seed" are one key. */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * What the structural questions need (papers per digest day, per organisation, per author),
 * each asked of the index's digest lookups when a question needs it: days and authors through
 * the catalog's indexes, organisations from a table of them read once (a name is matched by its
 * first words, and names made of stop words, "Show Lab", are in no term index).
 */
export class DigestFacts {
  /** Digest days, oldest first. */
  readonly dates: readonly string[];
  private readonly lookups: DigestLookups;
  private readonly orgs = new Map<string, OrgEntry>();
  private readonly orgWork: BatchedWork;
  private readonly names = new Map<string, string>();
  private readonly authorCache = new LRUCache<string, PaperDates[]>({ maxSize: MAX_CACHED_AUTHOR_PAPERS, sizeCalculation: (papers) => Math.max(1, papers.length) });
  private unusual: { term: string; plain: string }[] | undefined;
  private authorNames: boolean | undefined;

  constructor(index: PaperIndex) {
    this.lookups = index.digestLookups();
    this.dates = [...new Set([...index.digestDates(), ...this.lookups.appearanceDays()])].sort();
    this.orgWork = new BatchedWork(index.size, (from, to) => {
      for (const org of this.lookups.organisations(from, to)) this.addOrg(org.n, org.name, org.handle);
    });
  }

  prepare(): Promise<void> {
    return this.orgWork.background();
  }

  paper(n: number): Paper {
    return this.lookups.paper(n);
  }

  /** How many papers the digests of [from, to] list, each once. */
  countInWindow(from: string, to: string): number {
    return this.lookups.windowCount(from, to);
  }

  /** The first `limit` papers in the digests of [from, to], each once, newest day first and page order within a day. */
  firstInWindow(from: string, to: string, limit: number): Paper[] {
    const seen = new Set<number>();
    for (const date of [...this.dates].reverse()) {
      if (date < from || date > to) continue;
      for (const n of this.lookups.dayPapers(date)) {
        if (seen.size === limit) break;
        seen.add(n);
      }
      if (seen.size === limit) break;
    }
    return [...seen].map((n) => this.lookups.paper(n));
  }

  /** Organisations called `name`: its handle or full name, or a name starting with it as words ("ByteDance" → "ByteDance Seed"). */
  findOrgs(name: string): OrgEntry[] {
    const key = normalizeName(name);
    if (!key) return [];
    this.orgWork.finish();
    const exact = this.orgs.get(key);
    if (exact) return [exact];
    const found = new Set<OrgEntry>();
    for (const [k, entry] of this.orgs) if (k.startsWith(`${key} `)) found.add(entry);
    return [...found];
  }

  /** These papers' digest days, date and upvotes, in the order given. */
  datesOf(papers: readonly number[]): PaperDates[] {
    return this.lookups.datesOf(papers);
  }

  /** Papers with an author called `name`, in paper order: the full name, or a surname when that is all that was typed. */
  authorPapers(name: string): PaperDates[] {
    const key = normalizeName(name);
    if (!key) return [];
    let papers = this.authorCache.get(key);
    if (!papers) {
      papers = this.readAuthorPapers(key);
      // An author with more papers than the whole cache holds is read again each time.
      if (papers.length <= MAX_CACHED_AUTHOR_PAPERS) this.authorCache.set(key, papers);
    }
    return [...papers];
  }

  private readAuthorPapers(key: string): PaperDates[] {
    const groups = this.termGroups(key);
    if (key.includes(' ')) return this.lookups.withPeopleTerms(groups, (authors) => authors.some((a) => this.normalize(a) === key));
    // One word: the papers of an author of that one-word name, else of authors with it as their surname; both found in one read.
    const full: boolean[] = [];
    const found = this.lookups.withPeopleTerms(groups, (authors) => {
      const keys = authors.map((a) => this.normalize(a));
      const named = keys.includes(key);
      const kept = named || keys.some((k) => k.endsWith(` ${key}`));
      if (kept) full.push(named);
      return kept;
    });
    return full.includes(true) ? found.filter((_, i) => full[i]) : found;
  }

  /** False for digests that list only author counts (the scraped pages). */
  hasAuthorNames(): boolean {
    if (this.authorNames === undefined) {
      this.authorNames = false;
      for (const authors of this.lookups.authorLists()) {
        if (authors.some((a) => this.normalize(a))) {
          this.authorNames = true;
          break;
        }
      }
    }
    return this.authorNames;
  }

  /**
   * Index terms that find every paper a normalised name can match: per word, its own term and
   * the accented terms that could be written for it ("jégou" for "jegou"), by their first two
   * letters, more than needed (each candidate is checked after). A stop word ("You" in "Yang
   * You") is in no index as typed, so it narrows nothing and is left out.
   */
  private termGroups(key: string): string[][] {
    this.unusual ??= this.lookups.unusualPeopleTerms().map((term) => ({ term, plain: normalizeName(term).replaceAll(' ', '') }));
    const groups: string[][] = [];
    for (const word of key.split(' ')) {
      const own = toTerm(word);
      if (own === null) continue;
      const head = word.slice(0, 2);
      groups.push([own, ...this.unusual.filter((u) => u.plain.includes(head)).map((u) => u.term)]);
    }
    return groups;
  }

  /** As the catalog is walked: an organisation is one entry under its name and its handle, merged with what either already names. */
  private addOrg(n: number, name: string, handle: string): void {
    const keys = [this.normalize(name), this.normalize(handle)];
    const entry = this.orgs.get(keys[0]!) ?? this.orgs.get(keys[1]!) ?? { name, papers: [] };
    entry.papers.push(n);
    for (const k of keys) if (k) this.orgs.set(k, entry);
  }

  private normalize(name: string): string {
    let key = this.names.get(name);
    if (key === undefined) {
      if (this.names.size >= MAX_CACHED_NAMES) this.names.clear();
      this.names.set(name, (key = normalizeName(name)));
    }
    return key;
  }
}

/** Whether a paper appeared in a digest of [from, to]. */
export function inWindow(paper: Pick<Paper, 'digests'>, from: string, to: string): boolean {
  return paper.digests.some((d) => d.date >= from && d.date <= to);
}

/** Whether a paper's digest days include one of [from, to]. */
export function datesInWindow(paper: PaperDates, from: string, to: string): boolean {
  return paper.dates.some((d) => d >= from && d <= to);
}
