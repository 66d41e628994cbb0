import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { z } from 'zod';
import type { ParseIssue } from '../model/paper.js';
import { INDEX_FORMAT, PaperIndex, type PaperIndexJSON } from '../index/paperIndex.js';

export const SNAPSHOT_FILE = 'index-snapshot.json';

/** What a snapshot says about itself; the first line of the file, so `stats` reads only that. */
export const SnapshotMeta = z.object({
  kind: z.literal('paperbot-index'),
  format: z.number().int(),
  /** fingerprintOf the inputs it was built from. */
  fingerprint: z.string(),
  /** The digests folder it was built from (resolved): a snapshot of another folder is never used. */
  root: z.string(),
  savedAt: z.string(),
  /** When a file last brought new or changed papers. */
  lastIngestAt: z.string(),
  files: z.array(z.string()),
  papers: z.number().int().nonnegative(),
  digests: z.array(z.object({ file: z.string(), date: z.string(), yearInferred: z.boolean(), entries: z.number().int().nonnegative() })),
  issues: z.array(z.object({ file: z.string(), line: z.number(), message: z.string(), severity: z.enum(['error', 'warning']) })),
  /** Byte length of each body line, so a truncated file is caught before parsing. */
  parts: z.array(z.number().int().nonnegative()),
});
export type SnapshotMeta = z.infer<typeof SnapshotMeta>;

export type SnapshotInfo = Omit<SnapshotMeta, 'kind' | 'format' | 'parts' | 'papers' | 'savedAt'> & { issues: ParseIssue[] };

/** A snapshot that cannot be used; the message goes to the log, the index is rebuilt. */
export class SnapshotError extends Error {}

export function snapshotPath(dataDir: string): string {
  return join(dataDir, SNAPSHOT_FILE);
}

/**
 * Writes the index as JSON lines: meta, then the small fields, the papers and the MiniSearch
 * index each on a line of their own (no single string near V8's 512 MB limit at 100k papers).
 * Written to a temp file and renamed, so a crash mid-write leaves the previous snapshot whole.
 */
export async function saveSnapshot(path: string, index: PaperIndex, info: SnapshotInfo, now: Date): Promise<number> {
  const { papers, minisearch, ...small } = index.toJSON();
  const body = [JSON.stringify(small), JSON.stringify(papers), JSON.stringify(minisearch)].map((s) => Buffer.from(s, 'utf8'));
  const meta: SnapshotMeta = { kind: 'paperbot-index', format: INDEX_FORMAT, savedAt: now.toISOString(), papers: index.size, parts: body.map((b) => b.length), ...info };
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.write(`${JSON.stringify(meta)}\n`);
    for (const part of body) {
      await fh.write(part);
      await fh.write('\n');
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path).catch(async (err: unknown) => {
    await rm(tmp, { force: true });
    throw err;
  });
  return (await stat(path)).size;
}

/** The first line only: cheap, for `stats` and for deciding whether to load at all. */
export async function readSnapshotMeta(path: string): Promise<SnapshotMeta> {
  const fh = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new SnapshotError(err.code === 'ENOENT' ? 'no snapshot yet' : `cannot read: ${err.code ?? err.message}`);
  });
  try {
    let text = '';
    const chunk = Buffer.alloc(64 * 1024);
    for (let pos = 0; !text.includes('\n'); ) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, pos);
      if (bytesRead === 0) break;
      text += chunk.toString('utf8', 0, bytesRead);
      pos += bytesRead;
    }
    return parseMeta(text.split('\n', 1)[0] ?? '');
  } finally {
    await fh.close();
  }
}

/** Loads a whole snapshot; throws SnapshotError for anything short of a usable index. */
export async function loadSnapshot(path: string): Promise<{ meta: SnapshotMeta; index: PaperIndex }> {
  const buf = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    throw new SnapshotError(err.code === 'ENOENT' ? 'no snapshot yet' : `cannot read: ${err.code ?? err.message}`);
  });
  const metaEnd = buf.indexOf(0x0a);
  const meta = parseMeta(buf.toString('utf8', 0, metaEnd < 0 ? buf.length : metaEnd));
  const parts: unknown[] = [];
  let pos = metaEnd + 1;
  for (const length of meta.parts) {
    if (pos + length + 1 > buf.length || buf[pos + length] !== 0x0a) throw new SnapshotError('truncated or altered (part lengths do not match)');
    parts.push(parseJson(buf.toString('utf8', pos, pos + length)));
    pos += length + 1;
  }
  if (pos !== buf.length || parts.length !== 3) throw new SnapshotError('truncated or altered (unexpected length)');
  const [small, papers, minisearch] = parts as [Omit<PaperIndexJSON, 'papers' | 'minisearch'>, PaperIndexJSON['papers'], unknown];
  try {
    const index = PaperIndex.fromJSON({ ...small, papers, minisearch });
    if (index.size !== meta.papers) throw new SnapshotError(`holds ${index.size} papers, its header says ${meta.papers}`);
    return { meta, index };
  } catch (err) {
    throw err instanceof SnapshotError ? err : new SnapshotError(`unusable index: ${(err as Error).message}`);
  }
}

function parseMeta(line: string): SnapshotMeta {
  const r = SnapshotMeta.safeParse(parseJson(line));
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
