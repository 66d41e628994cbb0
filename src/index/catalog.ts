import type { Paper } from '../model/paper.js';
import { arxivIdOf, titleId } from '../parser/ids.js';
import { titleKey } from '../parser/text.js';
import { type DigestLookups, MemoryDigestLookups } from './digestLookups.js';
import { TrendingTable, type TrendingPeriod, type TrendingResult } from './trending.js';
import { latestFirst, watchMatcher } from './watchMatch.js';

/** The keys a paper is found by: its id (lower-cased), the id derived from its title, the titleKey of its title. */
export type PaperKeys = [id: string, titleId: string, title: string];

export function keysOf(p: Paper): PaperKeys {
  return [p.id.toLowerCase(), titleId(p.title), titleKey(p.title)];
}

/** A paper of a run of digests, with its best position on their pages. */
export interface AppearingPaper {
  paper: Paper;
  bestRank: number;
}

/** A paper's id and the titleKey of its title: what it is known by, read without the rest of it. */
export interface PaperIdKey {
  id: string;
  titleKey: string;
}

/** A paper's first digest day. */
export function firstDigestDay(paper: Paper): string | undefined {
  return paper.digests.reduce<string | undefined>((min, d) => (min === undefined || d.date < min ? d.date : min), undefined);
}

/** The paper's best rank in the digests from `from` to `to`; undefined when it is in none of them. */
export function bestRankBetween(paper: Paper, from: string, to: string): number | undefined {
  return paper.digests.reduce<number | undefined>((best, d) => (d.date < from || d.date > to || (best !== undefined && best <= d.rank) ? best : d.rank), undefined);
}

/**
 * Every paper, numbered in order (the search engine's document numbers), and found by id or
 * title. Where two papers share a key, the later one wins.
 */
export interface Catalog {
  readonly size: number;
  paper(n: number): Paper;
  /** By id (arXiv with or without version or as its URL, or title-derived; any case), or by exact title. */
  find(idOrTitle: string): Paper | undefined;
  /** Every paper, in order (possibly read as asked for). A walk over all is slow in a large library: request paths ask something narrower. */
  all(): readonly Paper[];
  /** Every paper's id lower-cased, in no set order: read as walked, none kept. */
  idKeys(): Iterable<string>;
  /** The number of the paper with exactly this id (the later one where two share it). */
  numberOf(id: string): number | undefined;
  /** Whether the digests name a code repository for paper n. */
  hasCode(n: number): boolean;
  /** Papers first published from `from` to `to` (ISO dates, both included), in order. */
  publishedBetween(from: string, to: string): Paper[];
  /** The papers of the digests in the window ending at the latest digest day on or before `asOf` (see TrendingTable.rank). */
  trending(digestDates: readonly string[], period: TrendingPeriod, asOf: string, limit: number): TrendingResult;
  // The scheduler's questions (weekly digest, upvote record, recommendations, alerts): each reads only the papers it names.
  /** Papers appearing in a digest from `from` to `to` (ISO dates, both included), in order, each with its best (lowest) rank there. */
  appearingBetween(from: string, to: string): AppearingPaper[];
  /** Papers whose first digest day (see firstDigestDay) is from `from` to `to` (ISO dates, both included), in order. */
  firstAppearingBetween(from: string, to: string): Paper[];
  /** Papers `from` to `to` - 1 (numbers) as the keys alerts know them by, in order, without the rest of them. */
  identityKeys(from: number, to: number): PaperIdKey[];
  /** The papers a watch matches (watchMatch): how many, and the `shown` latest of them in the order latestFirst lists them. */
  watchMatches(query: string, acronyms: ReadonlyMap<string, string[]>, shown: number): WatchMatches;
  /** Lets go of what it holds open; only once no answer uses it. */
  close(): void;
  /** What `ask` reads of the digests: days, a day's papers, papers by people, organisations. */
  digestLookups(): DigestLookups;
}

/** A watch's matches: how many papers it matches, and the latest of them. */
export interface WatchMatches {
  total: number;
  latest: Paper[];
}

/** The id or title as the lookup keys to try, in order: the key as given, its arXiv id, its titleKey. */
export function lookupKeys(idOrTitle: string): { id: string; arxivId?: string; title: string } {
  const key = idOrTitle.trim();
  return { id: key.toLowerCase(), arxivId: arxivIdOf(key), title: titleKey(key) };
}

/** The catalog in memory: the papers in an array, found through Maps (the MiniSearch engine's). */
export class MemoryCatalog implements Catalog {
  /** Id (lower-cased) and title-derived id → paper number. */
  private readonly byId = new Map<string, number>();
  /** titleKey of the title → paper number. */
  private readonly byTitle = new Map<string, number>();
  private trendingTable: TrendingTable | undefined;
  private lookups: MemoryDigestLookups | undefined;

  /** `keys`: each paper's keysOf, when already known (a saved catalog carries them). */
  constructor(
    private readonly papers: readonly Paper[],
    keys: readonly PaperKeys[] = papers.map(keysOf),
  ) {
    for (const [i, [id, fromTitle, title]] of keys.entries()) {
      this.byId.set(id, i);
      this.byId.set(fromTitle, i);
      this.byTitle.set(title, i);
    }
  }

  get size(): number {
    return this.papers.length;
  }

  paper(n: number): Paper {
    return this.papers[n]!;
  }

  find(idOrTitle: string): Paper | undefined {
    const { id, arxivId, title } = lookupKeys(idOrTitle);
    const at = this.byId.get(id) ?? (arxivId === undefined ? undefined : this.byId.get(arxivId)) ?? this.byTitle.get(title);
    return at === undefined ? undefined : this.papers[at];
  }

  all(): readonly Paper[] {
    return this.papers;
  }

  *idKeys(): Iterable<string> {
    for (const p of this.papers) yield p.id.toLowerCase();
  }

  numberOf(id: string): number | undefined {
    const at = this.byId.get(id.toLowerCase());
    if (at !== undefined && this.papers[at]!.id === id) return at;
    const n = this.papers.findLastIndex((p) => p.id === id);
    return n < 0 ? undefined : n;
  }

  hasCode(n: number): boolean {
    return Boolean(this.papers[n]?.githubRepo);
  }

  publishedBetween(from: string, to: string): Paper[] {
    return this.papers.filter((p) => p.published !== undefined && p.published >= from && p.published <= to);
  }

  trending(digestDates: readonly string[], period: TrendingPeriod, asOf: string, limit: number): TrendingResult {
    this.trendingTable ??= TrendingTable.of(this.papers);
    return this.trendingTable.rank(
      digestDates,
      period,
      asOf,
      limit,
      (i) => this.papers[i]!,
      (i) => this.papers[i]!.title,
    );
  }

  appearingBetween(from: string, to: string): AppearingPaper[] {
    return this.papers.flatMap((paper) => {
      const bestRank = bestRankBetween(paper, from, to);
      return bestRank === undefined ? [] : [{ paper, bestRank }];
    });
  }

  firstAppearingBetween(from: string, to: string): Paper[] {
    return this.papers.filter((p) => {
      const first = firstDigestDay(p);
      return first !== undefined && first >= from && first <= to;
    });
  }

  identityKeys(from: number, to: number): PaperIdKey[] {
    return this.papers.slice(from, to).map((p) => ({ id: p.id, titleKey: titleKey(p.title) }));
  }

  watchMatches(query: string, acronyms: ReadonlyMap<string, string[]>, shown: number): WatchMatches {
    const matches = this.papers.filter(watchMatcher(query, acronyms));
    return { total: matches.length, latest: shown > 0 ? matches.sort(latestFirst).slice(0, shown) : [] };
  }

  close(): void {}

  digestLookups(): DigestLookups {
    return (this.lookups ??= new MemoryDigestLookups(this.papers));
  }
}
