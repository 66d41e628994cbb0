import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, posix, relative, sep } from 'node:path';
import { isDigestFile } from '../parser/loadDigests.js';

/** One input file as seen on disk: what decides whether it must be parsed again. */
export interface InputFile {
  /** Path inside the digests folder, with `/` separators. */
  name: string;
  size: number;
  mtimeMs: number;
}

/** The corpus pair: days.jsonl is read together with papers.jsonl, never on its own. */
export const CORPUS_PAPERS = 'papers.jsonl';
export const CORPUS_DAYS = 'days.jsonl';

/**
 * Every digest file under `root` (and the corpus' days.jsonl), sorted by name. Dot-files are
 * skipped: that is where a writer keeps a file while it is still being written (see saveDay).
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
    if (e.isDirectory()) {
      await walk(root, full, out);
    } else if (e.isFile() && (isDigestFile(e.name) || e.name === CORPUS_DAYS)) {
      const s = await stat(full).catch(() => undefined);
      if (s) out.push({ name: relative(root, full).split(sep).join('/'), size: s.size, mtimeMs: s.mtimeMs });
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

/**
 * A short hash of the inputs' names and stat keys plus whatever else changes the parse
 * (`salt`: index format, DIGEST_YEAR). Stat data, not content: one stat per file instead of
 * reading every byte (hundreds of MB at 100k papers) on each start. Any write changes the
 * mtime, so the only miss is a same-size rewrite that also restores the old mtime, which
 * editors and our own writer never do; a spurious mismatch (a `touch`, a fresh clone) only
 * costs a background rebuild.
 */
export function fingerprintOf(keys: ReadonlyMap<string, string>, salt: string): string {
  const h = createHash('sha256').update(salt);
  for (const name of [...keys.keys()].sort()) h.update(`\n${name}\t${keys.get(name)}`);
  return h.digest('hex').slice(0, 32);
}

export function isCorpusDays(name: string): boolean {
  return basename(name) === CORPUS_DAYS;
}
