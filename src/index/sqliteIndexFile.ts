import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { PaperbotError } from '../model/errors.js';
import type { Paper } from '../model/paper.js';
import { guardDatabase } from './damageGuard.js';
import { type CatalogHeader, documentOf, INDEX_FORMAT, learnedFrom, PaperIndex } from './paperIndex.js';
import { CATALOG_SCHEMA, SqliteCatalog, writeCatalog } from './sqliteCatalog.js';
import { ENGINE_SCHEMA, SqliteEngine, writeDocuments } from './sqliteEngine.js';

/**
 * The SQLite engine's index as one file: the FTS5 tables, the catalog's tables and a meta
 * table (the format, what was learned at build, and what the caller keeps about the inputs).
 * It is written once, whole, and only read after: a rebuild writes a new file.
 */
const META_SCHEMA = 'CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;';

/**
 * Writes the index of `papers` to `path` (replaced if there) and flushes it to disk. `facts` is
 * kept as it is, for the caller (the ingest's snapshot header).
 */
export function writeSqliteIndex(path: string, papers: readonly Paper[], digestDates: readonly string[] | undefined, facts: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  rmSync(path, { force: true });
  const db = new Database(path);
  try {
    // Written once and renamed into place by the caller: no journal needed, and one flush at the end.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(ENGINE_SCHEMA + CATALOG_SCHEMA + META_SCHEMA);
    db.transaction(() => {
      writeDocuments(db, papers.map(documentOf));
      writeCatalog(db, papers);
    })();
    const header = learnedFrom(papers, new SqliteEngine(db), digestDates);
    const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    db.transaction(() => {
      meta.run('format', String(INDEX_FORMAT));
      meta.run('papers', String(papers.length));
      meta.run('header', JSON.stringify(header));
      meta.run('facts', JSON.stringify(facts ?? null));
    })();
    db.exec('ANALYZE');
  } finally {
    db.close();
  }
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function unusable(why: string): PaperbotError {
  return new PaperbotError('snapshot_unusable', why);
}

/**
 * Opens an index file read-only: nothing is loaded whole. Cheap checks only (the file's length
 * against its page count, the meta table, the paper counts), so a truncated or foreign file is
 * a snapshot_unusable PaperbotError here; `checkSqliteIndex` reads every page. A missing file
 * is snapshot_missing. `onDamage` is told when a later read meets a damaged page.
 */
export function openSqliteIndex(path: string, onDamage?: () => void): { index: PaperIndex; facts: unknown } {
  let bytes: number;
  try {
    bytes = statSync(path).size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw code === 'ENOENT' ? new PaperbotError('snapshot_missing', 'no index file yet') : unusable(`cannot read: ${code ?? (err as Error).message}`);
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const pages = db.pragma('page_count', { simple: true }) as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    if (pages * pageSize !== bytes) throw unusable(`truncated or altered (${bytes} bytes, its header says ${pages * pageSize})`);
    const meta = new Map(
      db
        .prepare<[], { key: string; value: string }>('SELECT key, value FROM meta')
        .all()
        .map((r) => [r.key, r.value]),
    );
    if (meta.get('format') !== String(INDEX_FORMAT)) throw unusable(`index format ${meta.get('format') ?? 'none'}, this version uses ${INDEX_FORMAT}`);
    const header = JSON.parse(meta.get('header') ?? 'null') as CatalogHeader | null;
    if (!header || !Array.isArray(header.digestDates) || !Array.isArray(header.byPhrase) || !Array.isArray(header.commonTerms)) throw unusable('its meta table is damaged');
    const guard = guardDatabase(db, onDamage ?? (() => {}));
    const catalog = new SqliteCatalog(guard.db);
    const engine = new SqliteEngine(guard.db);
    if (catalog.size !== Number(meta.get('papers')) || engine.documentCount !== catalog.size)
      throw unusable(`holds ${catalog.size} papers and ${engine.documentCount} documents, its meta table says ${meta.get('papers')}`);
    const index = PaperIndex.of(catalog, engine, header);
    const facts: unknown = JSON.parse(meta.get('facts') ?? 'null');
    // Opened and checked: from here a damaged page is the answer's to report.
    guard.arm();
    return { index, facts };
  } catch (err) {
    db?.close();
    if (err instanceof PaperbotError) throw err;
    throw unusable(`not a usable index file: ${(err as Error).message}`);
  }
}

/** The meta table's facts only (for `stats`); undefined when the file is missing or unreadable. */
export function readSqliteIndexFacts(path: string): unknown {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return JSON.parse((db.prepare("SELECT value FROM meta WHERE key = 'facts'").pluck().get() as string | undefined) ?? 'null');
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

/** Reads every page of the file (PRAGMA quick_check): what is wrong with it, or undefined when nothing is. */
export function checkSqliteIndex(path: string): string | undefined {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const problems = db.pragma('quick_check', { simple: false }) as { quick_check: string }[];
    if (problems.length !== 1 || problems[0]!.quick_check !== 'ok') return problems.map((p) => p.quick_check).join('; ');
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    db?.close();
  }
}

/** The papers an index file holds, in order (the ingest's last good papers of a file). */
export function readSqliteIndexPapers(path: string): Paper[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare<[], string>('SELECT json FROM papers ORDER BY n')
      .pluck()
      .all()
      .map((json) => JSON.parse(json) as Paper);
  } finally {
    db.close();
  }
}
