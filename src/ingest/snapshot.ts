import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { writeFileAtomic } from '../atomicFile.js';
import { runSteps, runStepsPausing, type Steps } from '../steps.js';
import { z } from 'zod';
import type { ParseIssue } from '../model/paper.js';
import { DamagedDataError, LazyArray, readBytes, SharedFile } from '../index/lazyArray.js';
import { INDEX_FORMAT, PaperIndex, type IndexHeader, type LoadedSections } from '../index/paperIndex.js';

export const SNAPSHOT_FILE = 'index-snapshot.bin';
/** What earlier versions saved (JSON, a different format): removed once a new snapshot is saved. */
const LEGACY_SNAPSHOT_FILE = 'index-snapshot.json';

/**
 * The binary sections, in file order, with the typed array each is read back as. The small
 * ones come first and are read at start; the postings and paper records (nine tenths of the
 * file at 100,000 papers) come last and, when large, stay in the file, read as queries and
 * replies need them until loaded whole in the background (PaperIndex.warm).
 */
const SECTIONS = [
  ['header', Uint8Array],
  ['terms', Uint8Array],
  ['offsets', Uint32Array],
  ['fieldLengths', Uint32Array],
  ['paperKeys', Uint8Array],
  ['paperKeyOffsets', Uint32Array],
  ['paperOffsets', Uint32Array],
  ['paperLookup', Uint32Array],
  ['paperUpvotes', Uint32Array],
  ['appearanceOffsets', Uint32Array],
  ['appearances', Uint32Array],
  ['docs', Uint32Array],
  ['freqs', Uint16Array],
  ['paperRecords', Uint8Array],
] as const;
/** The first of the sections that may stay in the file. */
const FIRST_LAZY = SECTIONS.findIndex(([name]) => name === 'docs');
/** Every section starts at a multiple of this, so typed arrays can view the bytes in place. */
const ALIGN = 8;
/** Postings and records larger than this (together) stay in the file until read; smaller ones are read at once. */
const LAZY_BYTES = 16 * 1024 * 1024;

/** What a snapshot says about itself; the first line of the file, so `stats` reads only that. */
export const SnapshotMeta = z.object({
  kind: z.literal('paperbot-index'),
  format: z.number().int(),
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
  /** Byte length of each section, in SECTIONS order: a truncated file is caught before reading. */
  parts: z.array(z.number().int().nonnegative()),
  /** CRC-32 of each section: a flipped bit is caught before it is searched or shown. */
  checksums: z.array(z.number().int().nonnegative()),
  /** Byte order of the typed arrays (they are saved as they are in memory). */
  endianness: z.enum(['LE', 'BE']),
});
export type SnapshotMeta = z.infer<typeof SnapshotMeta>;

export type SnapshotInfo = Omit<SnapshotMeta, 'kind' | 'format' | 'parts' | 'papers' | 'savedAt' | 'checksums' | 'endianness'> & { issues: ParseIssue[] };

/** A snapshot that cannot be used; the message goes to the log, the index is rebuilt. */
export class SnapshotError extends Error {}

export function snapshotPath(dataDir: string): string {
  return join(dataDir, SNAPSHOT_FILE);
}

/**
 * Writes the index: a header line (checksum, then JSON), then the index's binary sections, each
 * aligned so it can be read back as a view of the file without copying or parsing. Written
 * atomically (see writeFileAtomic), so a crash or a full disk mid-write leaves the previous
 * snapshot whole (and an index still reading papers from the previous file keeps its open
 * handle on the old bytes).
 */
export async function saveSnapshot(path: string, index: PaperIndex, info: SnapshotInfo, now: Date): Promise<number> {
  const chunks = await runStepsPausing(encodeSteps(index, info, now));
  await writeFileAtomic(path, chunks, now.getTime());
  await rm(join(dirname(path), LEGACY_SNAPSHOT_FILE), { force: true });
  return (await stat(path)).size;
}

/** The snapshot file's bytes, as chunks to write one after the other. */
export function encodeSnapshot(index: PaperIndex, info: SnapshotInfo, now: Date): Uint8Array[] {
  return runSteps(encodeSteps(index, info, now));
}

function* encodeSteps(index: PaperIndex, info: SnapshotInfo, now: Date): Steps<Uint8Array[]> {
  const { header, sections } = yield* index.snapshotSteps();
  const parts = SECTIONS.map(([name]) => (name === 'header' ? Buffer.from(JSON.stringify(header), 'utf8') : bytesOf(sections[name])));
  const checksums: number[] = [];
  for (const part of parts) checksums.push(yield* checksumSteps(part));
  const meta: SnapshotMeta = {
    kind: 'paperbot-index',
    format: INDEX_FORMAT,
    savedAt: now.toISOString(),
    papers: index.size,
    parts: parts.map((p) => p.length),
    checksums,
    endianness: endianness(),
    ...info,
  };
  const json = JSON.stringify(meta);
  const line = Buffer.from(`${hex(crc32(json))} ${json}\n`, 'utf8');
  const chunks: Uint8Array[] = [line, Buffer.alloc(padding(line.length))];
  for (const part of parts) chunks.push(part, Buffer.alloc(padding(part.length)));
  return chunks;
}

/** The first line only: cheap, for `stats` and for deciding whether to load at all. */
export async function readSnapshotMeta(path: string): Promise<SnapshotMeta> {
  const fd = openSnapshot(path);
  try {
    return readMeta(fd).meta;
  } finally {
    closeSync(fd);
  }
}

/**
 * Loads a snapshot: reads the small sections (checked against their checksums) and, when the
 * postings and paper records are large, leaves them in the file to be read as needed and
 * checked once loaded whole. Throws SnapshotError for anything short of a usable index.
 */
export async function loadSnapshot(path: string, lazyBytes = LAZY_BYTES): Promise<{ meta: SnapshotMeta; index: PaperIndex }> {
  const fd = openSnapshot(path);
  const shared = new SharedFile(fd);
  shared.use(); // held while loading, so the lazy sections cannot close the file under us
  try {
    const { meta, end } = readMeta(fd);
    const layout = layoutOf(meta, end + 1, fstatSync(fd).size);
    const lazy = meta.parts.slice(FIRST_LAZY).reduce((a, b) => a + b, 0) > lazyBytes;
    const eagerEnd = lazy ? layout.starts[FIRST_LAZY]! : layout.end;
    const head = readBytes(fd, layout.body, eagerEnd - layout.body);
    const section = (i: number) => {
      if (lazy && i >= FIRST_LAZY) return LazyArray.inFile(SECTIONS[i]![1] as typeof Uint8Array, shared, layout.starts[i]!, elements(meta, i), meta.checksums[i]!);
      return inMemory(meta, i, head.subarray(layout.starts[i]! - layout.body, layout.starts[i]! - layout.body + meta.parts[i]!));
    };
    return { meta, index: indexOf(meta, section) };
  } catch (err) {
    shared.close();
    if (err instanceof SnapshotError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new SnapshotError(err instanceof DamagedDataError ? err.message : `cannot read: ${code ?? (err as Error).message}`);
  } finally {
    shared.release();
  }
}

/** An index over a whole snapshot in memory (the bytes are kept: the index's arrays view them). */
export function decodeSnapshot(bytes: Buffer): { meta: SnapshotMeta; index: PaperIndex } {
  // Typed arrays need aligned memory; a small buffer may come from a shared pool at any offset.
  const buf = bytes.byteOffset % ALIGN === 0 ? bytes : Buffer.from(bytes);
  const end = buf.indexOf(0x0a);
  const meta = parseMeta(buf.toString('utf8', 0, end < 0 ? buf.length : end));
  const layout = layoutOf(meta, end + 1, buf.length);
  const section = (i: number) => inMemory(meta, i, buf.subarray(layout.starts[i]!, layout.starts[i]! + meta.parts[i]!));
  return { meta, index: indexOf(meta, section) };
}

/** Section i over bytes already read: checked, viewed as its typed array (a LazyArray for the large ones). */
function inMemory(meta: SnapshotMeta, i: number, bytes: Buffer): ArrayBufferView | LazyArray<Uint8Array | Uint16Array | Uint32Array> {
  const View = SECTIONS[i]![1];
  const view = new View(checked(meta, i, bytes).buffer as ArrayBuffer, bytes.byteOffset, elements(meta, i));
  return i >= FIRST_LAZY ? LazyArray.of(view) : view;
}

function elements(meta: SnapshotMeta, section: number): number {
  const [name, View] = SECTIONS[section]!;
  const bytes = meta.parts[section]!;
  if (bytes % View.BYTES_PER_ELEMENT !== 0) throw new SnapshotError(`section ${name} has a partial element`);
  return bytes / View.BYTES_PER_ELEMENT;
}

function indexOf(meta: SnapshotMeta, section: (i: number) => ArrayBufferView | LazyArray<Uint8Array | Uint16Array | Uint32Array>): PaperIndex {
  const sections = Object.fromEntries(SECTIONS.map(([name], i) => [name, section(i)])) as unknown as LoadedSections & { header: Uint8Array };
  try {
    const header = parseJson(Buffer.from(sections.header.buffer, sections.header.byteOffset, sections.header.byteLength).toString('utf8')) as IndexHeader;
    const index = PaperIndex.fromSnapshot(header, sections);
    if (index.size !== meta.papers) throw new SnapshotError(`holds ${index.size} papers, its header says ${meta.papers}`);
    return index;
  } catch (err) {
    throw err instanceof SnapshotError ? err : new SnapshotError(`unusable index: ${(err as Error).message}`);
  }
}

/** Where each section starts, given where the body starts; checks the file is as long as the header says. */
function layoutOf(meta: SnapshotMeta, afterMeta: number, fileLength: number): { body: number; starts: number[]; end: number } {
  if (meta.endianness !== endianness()) throw new SnapshotError(`saved on a ${meta.endianness} machine`);
  if (meta.parts.length !== SECTIONS.length || meta.checksums.length !== SECTIONS.length) throw new SnapshotError('not a paperbot index snapshot (bad section list)');
  const body = afterMeta + padding(afterMeta);
  const starts: number[] = [];
  let end = body;
  for (const length of meta.parts) {
    starts.push(end);
    end += length + padding(length);
  }
  if (end !== fileLength) throw new SnapshotError('truncated or altered (section lengths do not match)');
  return { body, starts, end };
}

function checked(meta: SnapshotMeta, section: number, bytes: Buffer): Buffer {
  if (crc32(bytes) !== meta.checksums[section]) throw new SnapshotError(`altered or damaged (checksum of ${SECTIONS[section]![0]} does not match)`);
  return bytes;
}

function openSnapshot(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SnapshotError(code === 'ENOENT' ? 'no snapshot yet' : `cannot read: ${code ?? (err as Error).message}`);
  }
}

/** The header line, read in small pieces: a snapshot of 100,000 papers is not read to find it. */
function readMeta(fd: number): { meta: SnapshotMeta; end: number } {
  const chunks: Buffer[] = [];
  for (let pos = 0; ; ) {
    const chunk = Buffer.alloc(64 * 1024);
    const bytesRead = readSync(fd, chunk, 0, chunk.length, pos);
    const newline = chunk.subarray(0, bytesRead).indexOf(0x0a);
    if (newline >= 0 || bytesRead === 0) {
      chunks.push(chunk.subarray(0, newline >= 0 ? newline : bytesRead));
      const line = Buffer.concat(chunks);
      return { meta: parseMeta(line.toString('utf8')), end: line.length };
    }
    chunks.push(chunk.subarray(0, bytesRead));
    pos += bytesRead;
  }
}

/** CRC-32 of a large buffer, a few MB per step. */
function* checksumSteps(bytes: Buffer): Steps<number> {
  const step = 4 * 1024 * 1024;
  let crc = 0;
  for (let at = 0; at < bytes.length; at += step) {
    crc = crc32(bytes.subarray(at, at + step), crc);
    if (at + step < bytes.length) yield;
  }
  return crc;
}

function hex(crc: number): string {
  return crc.toString(16).padStart(8, '0');
}

function padding(length: number): number {
  return (ALIGN - (length % ALIGN)) % ALIGN;
}

function bytesOf(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

/**
 * The header line: the CRC-32 of the JSON that follows it, so a damaged header (the paper
 * count, the files it was built from) is caught like a damaged section.
 */
function parseMeta(line: string): SnapshotMeta {
  if (line.startsWith('{')) throw new SnapshotError('saved by an earlier version (no header checksum)');
  const space = line.indexOf(' ');
  const json = line.slice(space + 1);
  if (space !== 8 || line.slice(0, 8) !== hex(crc32(json))) throw new SnapshotError('not a paperbot index snapshot, or its header is damaged (header checksum does not match)');
  const r = SnapshotMeta.safeParse(parseJson(json));
  if (!r.success) throw new SnapshotError('not a paperbot index snapshot (bad header)');
  if (r.data.format !== INDEX_FORMAT) throw new SnapshotError(`index format ${r.data.format}, this version uses ${INDEX_FORMAT}`);
  return r.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new SnapshotError(`not valid JSON: ${(err as Error).message}`);
  }
}
