import { open, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setImmediate as pause } from 'node:timers/promises';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { writeFileAtomic } from '../atomicFile.js';
import type { EngineKind } from '../index/engine.js';
import type { EngineName } from '../index/engines.js';
import { openSqliteIndex, readSqliteIndexFacts } from '../index/sqliteIndexFile.js';
import { INDEX_FORMAT, PaperIndex, type SavedIndex } from '../index/paperIndex.js';
import { miniSearchEngine } from '../index/miniSearchEngine.js';
import { PaperbotError } from '../model/errors.js';
import type { ParseIssue } from '../model/paper.js';

export const SNAPSHOT_FILE = 'index-snapshot.jsonl';
/** The SQLite engine's index file: its own saved state, opened where it lies (see sqliteIndexFile.ts). */
export const INDEX_FILE = 'index.sqlite';
/** What earlier versions saved (other formats): removed once a new snapshot is saved. */
const LEGACY_SNAPSHOT_FILES = ['index-snapshot.bin', 'index-snapshot.json'];

/** What a snapshot says about itself; the first line of the file, so `stats` reads only that. */
export const SnapshotMeta = z.object({
  kind: z.literal('paperbot-index'),
  format: z.number().int(),
  /** The search engine whose saved state the third line is. */
  engine: z.string(),
  /** fingerprintOf the inputs it was built from (their content hashes). */
  fingerprint: z.string(),
  /** Each input's stat key and content hash: at start only files whose stat differs are hashed again. */
  inputs: z.record(z.string(), z.object({ stat: z.string(), hash: z.string() })),
  /** The digests folder it was built from (resolved): a snapshot of another folder is never used. */
  root: z.string(),
  /** That folder's identity (folderIdentity): an empty folder that is another folder is an unmounted disk, not a deletion. */
  folder: z.string(),
  savedAt: z.string(),
  /** When a file last brought new or changed papers. */
  lastIngestAt: z.string(),
  files: z.array(z.string()),
  papers: z.number().int().nonnegative(),
  digests: z.array(z.object({ file: z.string(), date: z.string(), yearInferred: z.boolean(), entries: z.number().int().nonnegative() })),
  issues: z.array(z.object({ file: z.string(), line: z.number(), message: z.string(), severity: z.enum(['error', 'warning']) })),
  /** Byte lengths of the catalog and of the engine's saved state after the header: a truncated file is told apart from a damaged one. */
  lengths: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
  /** CRC-32 of the catalog and of the engine's saved state: a flipped bit is caught before it is searched or shown. */
  checksums: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
});
export type SnapshotMeta = z.infer<typeof SnapshotMeta>;

/** What an index file's meta table keeps about its inputs: a snapshot header without what checks the JSONL body. */
export const SnapshotFacts = SnapshotMeta.omit({ kind: true, format: true, lengths: true, checksums: true });
export type SnapshotFacts = z.infer<typeof SnapshotFacts>;

export type SnapshotInfo = Omit<SnapshotMeta, 'kind' | 'format' | 'engine' | 'papers' | 'savedAt' | 'lengths' | 'checksums'> & { issues: ParseIssue[] };

/** A snapshot that cannot be used (`snapshot_unusable`); the message goes to the log, the index is rebuilt. */
function unusable(why: string): PaperbotError {
  return new PaperbotError('snapshot_unusable', why);
}

/** Whether `err` says the snapshot is absent or unusable, so the caller rebuilds instead of failing. */
export function isSnapshotProblem(err: unknown): err is PaperbotError {
  return err instanceof PaperbotError && (err.code === 'snapshot_missing' || err.code === 'snapshot_unusable');
}

/** Where the engine's index is saved in DATA_DIR. */
export function snapshotPath(dataDir: string, engine: EngineName = 'minisearch'): string {
  return join(dataDir, engine === 'sqlite' ? INDEX_FILE : SNAPSHOT_FILE);
}

/** The saved facts of whichever index DATA_DIR holds for the engine (cheap: the header line, or the meta table); undefined when none is readable. */
export async function readSnapshotFacts(dataDir: string, engine: EngineName = 'minisearch'): Promise<SnapshotFacts | undefined> {
  if (engine === 'minisearch') return readSnapshotMeta(snapshotPath(dataDir)).catch(() => undefined);
  const r = SnapshotFacts.safeParse(readSqliteIndexFacts(snapshotPath(dataDir, engine)));
  return r.success ? r.data : undefined;
}

/**
 * Writes the index: a header line (its checksum, then JSON), the catalog and the engine's saved
 * state (for MiniSearch its own toJSON), both JSON Lines. Written atomically (see
 * writeFileAtomic), so a crash or a full disk mid-write leaves the previous snapshot whole.
 */
export async function saveSnapshot(path: string, saved: SavedIndex, info: SnapshotInfo, now: Date): Promise<number> {
  const meta: SnapshotMeta = {
    kind: 'paperbot-index',
    format: INDEX_FORMAT,
    engine: saved.engineName,
    savedAt: now.toISOString(),
    papers: saved.papers,
    lengths: [saved.catalog.byteLength, saved.engine.byteLength],
    checksums: [await checksumInSteps(saved.catalog), await checksumInSteps(saved.engine)],
    ...info,
  };
  const json = JSON.stringify(meta);
  await writeFileAtomic(path, [Buffer.from(`${hex(crc32(json))} ${json}\n`, 'utf8'), saved.catalog, saved.engine], now.getTime());
  for (const legacy of LEGACY_SNAPSHOT_FILES) await rm(join(dirname(path), legacy), { force: true });
  return (await stat(path)).size;
}

/** Bytes checksummed between two pauses: a snapshot is saved by the thread that answers. */
const CHECKSUM_STEP = 4 * 1024 * 1024;

async function checksumInSteps(bytes: Uint8Array): Promise<number> {
  let crc = 0;
  for (let at = 0; at < bytes.length; at += CHECKSUM_STEP) {
    crc = crc32(bytes.subarray(at, at + CHECKSUM_STEP), crc);
    await pause();
  }
  return crc;
}

/** The first line only: cheap, for `stats`. */
export async function readSnapshotMeta(path: string): Promise<SnapshotMeta> {
  const handle = await open(path, 'r').catch((err: unknown) => {
    throw unreadable(err);
  });
  try {
    const chunks: Buffer[] = [];
    for (let pos = 0; ; ) {
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, pos);
      const newline = buffer.subarray(0, bytesRead).indexOf(0x0a);
      chunks.push(buffer.subarray(0, newline >= 0 ? newline : bytesRead));
      if (newline >= 0 || bytesRead === 0) return parseMeta(Buffer.concat(chunks).toString('utf8'));
      pos += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/** A snapshot's saved parts, checked against its header (a snapshot_unusable PaperbotError otherwise). */
export async function readSnapshot(path: string): Promise<{ meta: SnapshotMeta; saved: Pick<SavedIndex, 'catalog' | 'engine'> }> {
  const bytes = await readFile(path).catch((err: unknown) => {
    throw unreadable(err);
  });
  const newline = bytes.indexOf(0x0a);
  if (newline < 0 && bytes.length > 0 && bytes[0] !== 0x7b) throw unusable('truncated (the header line does not end)');
  const meta = parseMeta(bytes.toString('utf8', 0, newline < 0 ? bytes.length : newline));
  const [catalogBytes, engineBytes] = meta.lengths;
  const body = newline + 1;
  if (bytes.length !== body + catalogBytes + engineBytes) throw unusable('truncated or altered (its length does not match the header)');
  const saved = { catalog: bytes.subarray(body, body + catalogBytes), engine: bytes.subarray(body + catalogBytes) };
  if (crc32(saved.catalog) !== meta.checksums[0] || crc32(saved.engine) !== meta.checksums[1]) throw unusable('altered, damaged or truncated (checksum does not match)');
  return { meta, saved };
}

/** Opens an SQLite index file (nothing is read whole); throws a snapshot_unusable PaperbotError for anything short of a usable one. */
export function openIndexFile(path: string, onDamage?: () => void): { meta: SnapshotFacts; index: PaperIndex } {
  const { index, facts } = openSqliteIndex(path, onDamage);
  const r = SnapshotFacts.safeParse(facts);
  if (!r.success) {
    index.close();
    throw unusable('its facts about the digests are missing or damaged');
  }
  return { meta: r.data, index };
}

/** Loads a snapshot's index, made by engine `kind`; throws a snapshot_unusable PaperbotError for anything short of a usable one. */
export async function loadSnapshot(path: string, kind: EngineKind = miniSearchEngine, onDamage?: () => void): Promise<{ meta: SnapshotFacts; index: PaperIndex }> {
  if (kind.name === 'sqlite') return openIndexFile(path, onDamage);
  const { meta, saved } = await readSnapshot(path);
  if (meta.engine !== kind.name) throw unusable(`made by the ${meta.engine} engine, SEARCH_ENGINE is ${kind.name}`);
  let index: PaperIndex;
  try {
    index = await PaperIndex.load(saved, {}, kind);
  } catch (err) {
    throw unusable(`unusable index: ${(err as Error).message}`);
  }
  if (index.size !== meta.papers) throw unusable(`holds ${index.size} papers, its header says ${meta.papers}`);
  return { meta, index };
}

function unreadable(err: unknown): PaperbotError {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? new PaperbotError('snapshot_missing', 'no snapshot yet') : unusable(`cannot read: ${code ?? (err as Error).message}`);
}

function hex(crc: number): string {
  return crc.toString(16).padStart(8, '0');
}

/**
 * The header line: the CRC-32 of the JSON that follows it, so a damaged header (the paper
 * count, the files it was built from) is caught like a damaged body.
 */
function parseMeta(line: string): SnapshotMeta {
  if (line.startsWith('{')) throw unusable('saved by an earlier version (no header checksum)');
  const space = line.indexOf(' ');
  const json = line.slice(space + 1);
  if (space !== 8 || line.slice(0, 8) !== hex(crc32(json))) throw unusable('not a paperbot index snapshot, or its header is damaged (header checksum does not match)');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw unusable(`not valid JSON: ${(err as Error).message}`);
  }
  const r = SnapshotMeta.safeParse(value);
  if (!r.success) throw unusable('not a paperbot index snapshot (bad header)');
  if (r.data.format !== INDEX_FORMAT) throw unusable(`index format ${r.data.format}, this version uses ${INDEX_FORMAT}`);
  return r.data;
}
