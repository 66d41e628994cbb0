import type Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import type { Paper } from '../model/paper.js';
import { type AppearingPaper, type Catalog, firstDigestDay, keysOf, lookupKeys, type PaperIdKey, type WatchMatches } from './catalog.js';
import type { DigestLookups } from './digestLookups.js';
import { SqliteDigestLookups } from './sqliteDigestLookups.js';
import { SqliteWatchMatches } from './sqliteWatchMatches.js';
import { byTrending, trendingWindow, type TrendingPeriod, type TrendingResult } from './trending.js';

/** The catalog's tables in an index file: each paper as JSON with its lookup keys, and its digest appearances for trending. */
export const CATALOG_SCHEMA = `
  CREATE TABLE papers (n INTEGER PRIMARY KEY, id TEXT NOT NULL, id_key TEXT NOT NULL, title_id TEXT NOT NULL, title_key TEXT NOT NULL, upvotes INTEGER NOT NULL, published TEXT, code INTEGER NOT NULL, org_name TEXT, org_handle TEXT, json TEXT NOT NULL);
  CREATE INDEX papers_by_published ON papers (published, n);
  CREATE INDEX papers_by_id ON papers (id_key);
  CREATE INDEX papers_by_title_id ON papers (title_id);
  CREATE INDEX papers_by_title ON papers (title_key);
  CREATE INDEX papers_with_code ON papers (n) WHERE code = 1;
  CREATE INDEX papers_by_organisation ON papers (n, org_name, org_handle) WHERE org_name IS NOT NULL;
  CREATE TABLE appearances (date TEXT NOT NULL, paper INTEGER NOT NULL, rank INTEGER NOT NULL, size INTEGER NOT NULL);
  CREATE INDEX appearances_by_date ON appearances (date, paper);
`;

/** Papers kept parsed: a search page and the papers a conversation comes back to. */
const CACHED_PAPERS = 5_000;
/** Papers read at once in a walk over all of them (see `all`), when the one asked for is not cached. */
const READ_AHEAD = 256;

/** Fills the catalog's tables (CATALOG_SCHEMA) with the papers, numbered in order; in the caller's transaction. */
export function writeCatalog(db: Database.Database, papers: readonly Paper[]): void {
  const insert = db.prepare('INSERT INTO papers (n, id, id_key, title_id, title_key, upvotes, published, code, org_name, org_handle, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const appearance = db.prepare('INSERT INTO appearances (date, paper, rank, size) VALUES (?, ?, ?, ?)');
  // A digest page's length is its largest rank: a paper's position is read against it.
  const sizes = new Map<string, number>();
  for (const p of papers) for (const d of p.digests) sizes.set(d.file, Math.max(sizes.get(d.file) ?? 0, d.rank));
  papers.forEach((p, n) => {
    insert.run(n, p.id, ...keysOf(p), p.upvotes, p.published ?? null, p.githubRepo ? 1 : 0, p.organization?.name ?? null, p.organization?.handle ?? null, JSON.stringify(p));
    for (const d of p.digests) appearance.run(d.date, n, d.rank, sizes.get(d.file)!);
  });
}

interface WindowRow {
  paper: number;
  score: number;
  bestRank: number;
}

/** The catalog in an SQLite index file: papers are read as asked for (the recent ones stay parsed), trending is a query by date. */
export class SqliteCatalog implements Catalog {
  readonly size: number;
  private readonly cache = new LRUCache<number, Paper>({ max: CACHED_PAPERS });
  private readonly statements;
  /** Which papers have code, one byte each: filled at the first question, as a search filter asks it of every matching paper. */
  private codeMask: Uint8Array | undefined;
  private watches: SqliteWatchMatches | undefined;
  private lookups: SqliteDigestLookups | undefined;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      papers: db.prepare<[number, number], { n: number; json: string }>('SELECT n, json FROM papers WHERE n >= ? AND n < ?'),
      byId: db.prepare<[string, string], number | null>('SELECT max(n) FROM papers WHERE id_key = ? OR title_id = ?').pluck(),
      byTitle: db.prepare<[string], number | null>('SELECT max(n) FROM papers WHERE title_key = ?').pluck(),
      // From the id index alone: the table's rows carry each paper's JSON.
      idKeys: db.prepare<[], string>('SELECT id_key FROM papers INDEXED BY papers_by_id').pluck(),
      numberOf: db.prepare<[string, string], number | null>('SELECT max(n) FROM papers WHERE id_key = ? AND id = ?').pluck(),
      withCode: db.prepare<[], number>('SELECT n FROM papers WHERE code = 1').pluck(),
      published: db.prepare<[string, string], number>('SELECT n FROM papers WHERE published >= ? AND published <= ? ORDER BY n').pluck(),
      window: db.prepare<[string, string], WindowRow>(
        // The score as trendingScore gives it.
        `SELECT a.paper AS paper, p.upvotes + 0.9 * max(1.0 - (a.rank - 1.0) / max(1, a.size)) AS score, min(a.rank) AS bestRank
         FROM appearances a JOIN papers p ON p.n = a.paper WHERE a.date >= ? AND a.date <= ? GROUP BY a.paper ORDER BY score DESC, bestRank ASC`,
      ),
      appearing: db.prepare<[string, string], { n: number; json: string; bestRank: number }>(
        `SELECT p.n AS n, p.json AS json, w.bestRank AS bestRank
         FROM (SELECT paper, min(rank) AS bestRank FROM appearances WHERE date >= ? AND date <= ? GROUP BY paper) w JOIN papers p ON p.n = w.paper ORDER BY p.n`,
      ),
      identityKeys: db.prepare<[number, number], PaperIdKey>('SELECT id, title_key AS titleKey FROM papers WHERE n >= ? AND n < ? ORDER BY n'),
    };
    // Papers are numbered 0..n-1: the last number is a look at the end of the table, not a count of every row.
    this.size = ((db.prepare('SELECT max(n) FROM papers').pluck().get() as number | null) ?? -1) + 1;
  }

  paper(n: number): Paper {
    return this.read(n, 1);
  }

  /** Paper n, and when it is not cached up to `ahead` - 1 after it that are not either. */
  private read(n: number, ahead: number): Paper {
    let paper = this.cache.get(n);
    if (!paper) {
      if (!Number.isInteger(n) || n < 0 || n >= this.size) throw new RangeError(`no paper ${n} in the catalog`);
      let end = n + 1;
      while (end < Math.min(this.size, n + ahead) && !this.cache.has(end)) end++;
      for (const row of this.statements.papers.all(n, end)) {
        const parsed = JSON.parse(row.json) as Paper;
        this.cache.set(row.n, parsed);
        if (row.n === n) paper = parsed;
      }
    }
    return paper!;
  }

  find(idOrTitle: string): Paper | undefined {
    const { id, arxivId, title } = lookupKeys(idOrTitle);
    const at = this.statements.byId.get(id, id) ?? (arxivId === undefined ? null : this.statements.byId.get(arxivId, arxivId)) ?? this.statements.byTitle.get(title);
    return at === null || at === undefined ? undefined : this.paper(at);
  }

  /** A read-only array whose papers are read as they are asked for (a walk over all of them still reads all, a block at a time). */
  all(): readonly Paper[] {
    const index = (key: string | symbol) => (typeof key === 'string' && /^(0|[1-9]\d*)$/.test(key) && Number(key) < this.size ? Number(key) : undefined);
    return new Proxy([] as Paper[], {
      get: (target, key, receiver) => {
        if (key === 'length') return this.size;
        const n = index(key);
        return n === undefined ? Reflect.get(target, key, receiver) : this.read(n, READ_AHEAD);
      },
      has: (target, key) => index(key) !== undefined || Reflect.has(target, key),
      set: () => false,
    });
  }

  idKeys(): Iterable<string> {
    return this.statements.idKeys.iterate();
  }

  numberOf(id: string): number | undefined {
    return this.statements.numberOf.get(id.toLowerCase(), id) ?? undefined;
  }

  hasCode(n: number): boolean {
    if (!this.codeMask) {
      this.codeMask = new Uint8Array(this.size);
      for (const at of this.statements.withCode.iterate()) this.codeMask[at] = 1;
    }
    return this.codeMask[n] === 1;
  }

  publishedBetween(from: string, to: string): Paper[] {
    return this.statements.published.all(from, to).map((n) => this.paper(n));
  }

  /** As TrendingTable ranks, from the window's rows only: the best by score and rank from SQL, the ties at the cut by title here. */
  trending(digestDates: readonly string[], period: TrendingPeriod, asOf: string, limit: number): TrendingResult {
    const window = trendingWindow(digestDates, period, asOf);
    if (!window) return { period, hits: [] };
    const taken: WindowRow[] = [];
    for (const row of this.statements.window.iterate(window.from, window.anchor)) {
      const last = taken[limit - 1];
      if (last && (row.score !== last.score || row.bestRank !== last.bestRank)) break;
      taken.push(row);
    }
    taken.sort(byTrending((x) => this.paper(x.paper).title));
    return { period, ...window, hits: taken.slice(0, limit).map(({ paper, score, bestRank }) => ({ paper: this.paper(paper), score, bestRank })) };
  }

  /** From the appearances of those days; the papers are parsed here and not cached, so a long run of days does not push out the papers answers use. */
  appearingBetween(from: string, to: string): AppearingPaper[] {
    return this.statements.appearing.all(from, to).map((row) => ({ paper: this.cache.get(row.n) ?? (JSON.parse(row.json) as Paper), bestRank: row.bestRank }));
  }

  /** A paper's first day is one of its appearances: those of the days asked for, less the papers that appeared before. */
  firstAppearingBetween(from: string, to: string): Paper[] {
    return this.appearingBetween(from, to).flatMap(({ paper }) => (firstDigestDay(paper)! >= from ? [paper] : []));
  }

  identityKeys(from: number, to: number): PaperIdKey[] {
    return this.statements.identityKeys.all(from, to);
  }

  /** From the FTS5 table of the same file, not a walk over every paper (see SqliteWatchMatches). */
  watchMatches(query: string, acronyms: ReadonlyMap<string, string[]>, shown: number): WatchMatches {
    this.watches ??= new SqliteWatchMatches(this.db, (n) => this.paper(n));
    return this.watches.matches(query, acronyms, shown);
  }

  close(): void {
    this.watches?.close();
    this.db.close();
  }

  digestLookups(): DigestLookups {
    return (this.lookups ??= new SqliteDigestLookups(this.db, (n) => this.paper(n)));
  }
}
