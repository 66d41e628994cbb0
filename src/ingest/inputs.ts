import { createHash } from 'node:crypto';
import type { Dirent, Stats } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, posix, relative, sep } from 'node:path';
import { CORPUS_DAYS, CORPUS_PAPERS } from '../parser/corpus.js';
import { isDigestFile } from '../parser/loadDigests.js';

/** One input file as seen on disk: what decides whether it must be looked at again. */
export interface InputFile {
  /** Path inside the digests folder, with `/` separators. */
  name: string;
  size: number;
  mtimeMs: number;
}

/**
 * One version of an input: its stat key ("size:mtime", cheap, says "maybe changed") and the
 * hash of its content (decides whether it did). For papers.jsonl both cover days.jsonl too.
 */
export interface InputVersion {
  stat: string;
  hash: string;
}

/**
 * Every digest file under `root` (and the corpus' days.jsonl), sorted by name. Dot-files are
 * skipped: that is where a writer keeps a file while it is still being written (see saveDay).
 * Symbolic links are followed (a folder of links, a mounted config map).
 */
export async function listInputs(root: string): Promise<InputFile[]> {
  const out: InputFile[] = [];
  await walk(root, root, out);
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function walk(root: string, dir: string, out: InputFile[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    // A folder removed while we walk it has simply no inputs; the root itself must exist.
    if (dir !== root && (err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    // A link is judged by what it points to; a dangling link is no input.
    const s = e.isSymbolicLink() || e.isFile() ? await stat(full).catch(() => undefined) : undefined;
    if (e.isDirectory() || s?.isDirectory()) {
      await walk(root, full, out);
    } else if (s?.isFile() && (isDigestFile(e.name) || e.name === CORPUS_DAYS)) {
      out.push({ name: relative(root, full).split(sep).join('/'), size: s.size, mtimeMs: s.mtimeMs });
    }
  }
}

/**
 * name → stat key ("size:mtime"). days.jsonl is not an input of its own: its stat is folded
 * into the key of the papers.jsonl beside it, so editing either re-reads the pair.
 */
export function inputKeys(files: readonly InputFile[]): Map<string, string> {
  const days = new Map(files.filter((f) => isCorpusDays(f.name)).map((f) => [posix.dirname(f.name), f]));
  const out = new Map<string, string>();
  for (const f of files) {
    if (isCorpusDays(f.name)) continue;
    let key = `${f.size}:${f.mtimeMs}`;
    const d = posix.basename(f.name) === CORPUS_PAPERS ? days.get(posix.dirname(f.name)) : undefined;
    if (d) key += `|${d.size}:${d.mtimeMs}`;
    out.set(f.name, key);
  }
  return out;
}

/** The file's bytes, and for papers.jsonl the days.jsonl beside it (undefined when absent). */
async function readInput(root: string, name: string): Promise<{ raw: Buffer; days?: Buffer }> {
  const raw = await readFile(join(root, name));
  if (posix.basename(name) !== CORPUS_PAPERS) return { raw };
  const days = await readFile(join(root, posix.dirname(name), CORPUS_DAYS)).catch(() => undefined);
  return days === undefined ? { raw } : { raw, days };
}

/**
 * An input read and hashed: its version, and its bytes or why they could not be read (an
 * unreadable file gets a version of its own, so it is looked at again once its stat moves).
 */
export async function readVersion(root: string, name: string, stat: string): Promise<{ version: InputVersion; input: { raw: Buffer; days?: Buffer } | NodeJS.ErrnoException }> {
  const input = await readInput(root, name).catch((err: unknown) => err as NodeJS.ErrnoException);
  return { version: { stat, hash: input instanceof Error ? `unreadable:${stat}` : contentHash(input) }, input };
}

/** SHA-256 of an input's content (both files of the corpus pair). */
function contentHash({ raw, days }: { raw: Uint8Array; days?: Uint8Array }): string {
  const h = createHash('sha256');
  for (const part of days === undefined ? [raw] : [raw, days]) h.update(part).update('\0');
  return h.digest('hex');
}

/**
 * A short hash of the inputs' names and content hashes plus whatever else changes the parse
 * (`salt`: index format, DIGEST_YEAR): equal fingerprints, equal index. Stat keys do not count.
 */
export function fingerprintOf(versions: Readonly<Record<string, InputVersion>>, salt: string): string {
  const h = createHash('sha256').update(salt);
  for (const name of Object.keys(versions).sort()) h.update(`\n${name}\t${versions[name]!.hash}`);
  return h.digest('hex').slice(0, 32);
}

/**
 * The versions of the folder's inputs now, hashing only files whose stat differs from `known`
 * (the versions a snapshot was built from): a file with the same size and modification time is
 * taken to be the same file, as make and rsync do; a touched or copied file is hashed and, if
 * its content is the same, still counts as unchanged.
 */
export async function currentVersions(root: string, known: Readonly<Record<string, InputVersion>>): Promise<Record<string, InputVersion>> {
  const versions: Record<string, InputVersion> = {};
  for (const [name, stat] of inputKeys(await listInputs(root))) {
    const was = known[name];
    if (was?.stat === stat) {
      versions[name] = was;
      continue;
    }
    versions[name] = (await readVersion(root, name, stat)).version;
  }
  return versions;
}

/**
 * Which folder this is (device and inode): a folder deleted and made again, or an unmounted
 * disk's empty mount point, is another folder under the same path.
 */
export function folderIdentity(s: Stats): string {
  return `${s.dev}:${s.ino}`;
}

export function isCorpusDays(name: string): boolean {
  return basename(name) === CORPUS_DAYS;
}
