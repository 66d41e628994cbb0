import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temp file this old is a crashed write's: a live write, of the largest snapshot too, finishes well within it. */
const STALE_TEMP_MS = 10 * 60_000;

/**
 * Writes `path` so that readers, and a crash or power loss at any point, see the old file or
 * the new one, never part of one: written under a dot-name beside it (the digests watcher skips
 * dot-files), every byte written and flushed to disk, renamed over `path`, then the folder
 * flushed so the rename lasts too. Temp files that crashed writes of `path` left behind are
 * removed first. The temp name is unique per write: two writers with one process id (PID 1 in
 * every container) never share it.
 */
export async function writeFileAtomic(path: string, data: string | readonly Uint8Array[], nowMs = Date.now()): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  await removeStaleTemps(dir, basename(path), nowMs);
  const tmp = join(dir, `.${basename(path)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx');
    try {
      await writeAll(handle, typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    // A full disk must not also keep a half-written copy (hundreds of MB for a snapshot).
    await rm(tmp, { force: true });
    throw err;
  }
  await syncFolder(dir);
}

/**
 * writev may write less than asked without an error (a full disk, a file size limit): the rest
 * is written again, and a write that makes no progress is an error, so a short file is never
 * renamed over a good one.
 */
async function writeAll(handle: FileHandle, chunks: readonly Uint8Array[]): Promise<void> {
  const rest = chunks.filter((c) => c.length > 0);
  while (rest.length > 0) {
    const { bytesWritten } = await handle.writev(rest);
    if (bytesWritten === 0) throw Object.assign(new Error('no space left to write'), { code: 'ENOSPC' });
    let skip = bytesWritten;
    while (skip > 0 && skip >= rest[0]!.length) skip -= rest.shift()!.length;
    if (skip > 0) rest[0] = rest[0]!.subarray(skip);
  }
}

/**
 * The file is in place once renamed; flushing its folder makes that survive a power loss. Best
 * effort: some platforms cannot open or flush a folder (Windows), and failing a write that
 * did happen would only make the caller report a saved file as lost.
 */
async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}

/**
 * Leftovers of writes into `dir` that crashed between write and rename (any file's, as a day
 * older than two weeks is never written again; and earlier versions' `<name>.<pid>.tmp` of
 * this one); only old ones.
 */
export async function removeStaleTemps(dir: string, name: string, nowMs: number): Promise<void> {
  const ours = (file: string) => /^\..+\.\d+-[0-9a-f]+\.tmp$/.test(file) || ((file.startsWith(`.${name}.`) || file.startsWith(`${name}.`)) && /\.\d+\.tmp$/.test(file));
  for (const file of (await readdir(dir).catch(() => [] as string[])).filter(ours)) {
    const s = await stat(join(dir, file)).catch(() => undefined);
    // A leftover is harmless: it must never fail a write.
    if (s && nowMs - s.mtimeMs > STALE_TEMP_MS) await rm(join(dir, file), { force: true }).catch(() => undefined);
  }
}
