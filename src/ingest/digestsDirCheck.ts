import { opendir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError } from '../model/errors.js';
import { readSnapshotFacts } from './snapshot.js';

/**
 * Why the bot cannot start on DIGESTS_DIR: it is missing, not a folder, or unreadable, and no
 * index snapshot of that folder can answer meanwhile (a disk unmounted across a restart keeps
 * answering from the snapshot, as a running bot does). Undefined when it can start.
 */
export async function digestsDirProblem(dir: string, dataDir: string): Promise<ConfigError | undefined> {
  let code: string;
  try {
    await (await opendir(dir)).close();
    return undefined;
  } catch (err) {
    code = (err as NodeJS.ErrnoException).code ?? 'EIO';
  }
  const roots = await Promise.all([readSnapshotFacts(dataDir, 'minisearch'), readSnapshotFacts(dataDir, 'sqlite')]);
  if (roots.some((facts) => facts?.root === resolve(dir))) return undefined;
  const where = `DIGESTS_DIR "${dir}"${resolve(dir) !== dir ? ` (${resolve(dir)})` : ''}`;
  const fix = 'Set DIGESTS_DIR (environment or .env) to a folder of digest files (.txt pages, .json API days), e.g. DIGESTS_DIR=seeds';
  switch (code) {
    case 'ENOENT':
      return new ConfigError(`${where} does not exist. ${fix}, or create it (mkdir -p "${dir}") and add digest files or let \`paperbot fetch\` fill it.`);
    case 'ENOTDIR':
      return new ConfigError(`${where} is a file, not a folder. ${fix}; put this file in such a folder.`);
    case 'EACCES':
    case 'EPERM':
      return new ConfigError(`${where} cannot be read (permission denied). Let the bot's user read it (chmod -R u+rX "${dir}"), or s${fix.slice(1)}.`);
    default:
      return new ConfigError(`${where} cannot be read (${code}). ${fix}.`);
  }
}
