import type { Paper } from '../model/paper.js';
import { arxivIdOf, titleId } from '../parser/ids.js';
import { titleKey } from '../parser/text.js';
import { type DigestLookups, MemoryDigestLookups } from './digestLookups.js';
import { TrendingTable, type TrendingPeriod, type TrendingResult } from './trending.js';

/** The keys a paper is found by: its id (lower-cased), the id derived from its title, the titleKey of its title. */
export type PaperKeys = [id: string, titleId: string, title: string];

export function keysOf(p: Paper): PaperKeys {
  return [p.id.toLowerCase(), titleId(p.title), titleKey(p.title)];
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
  /** Every paper's id, in order. */
  ids(): string[];
  /** Papers first published from `from` to `to` (ISO dates, both included), in order. */
  publishedBetween(from: string, to: string): Paper[];
  /** The papers of the digests in the window ending at the latest digest day on or before `asOf` (see TrendingTable.rank). */
  trending(digestDates: readonly string[], period: TrendingPeriod, asOf: string, limit: number): TrendingResult;
  /** Lets go of what it holds open; only once no answer uses it. */
  close(): void;
  /** What `ask` reads of the digests: days, a day's papers, papers by people, organisations. */
  digestLookups(): DigestLookups;
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

  ids(): string[] {
    return this.papers.map((p) => p.id);
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

  close(): void {}

  private lookups: MemoryDigestLookups | undefined;

  digestLookups(): DigestLookups {
    return (this.lookups ??= new MemoryDigestLookups(this.papers));
  }
}
