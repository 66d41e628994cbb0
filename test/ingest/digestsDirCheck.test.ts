import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { digestsDirProblem } from '../../src/ingest/digestsDirCheck.js';
import { openLibrary } from '../../src/ingest/openLibrary.js';
import { createLogger } from '../../src/logger.js';
import { ROOT, SEEDS_DIR, fixedClock } from '../helpers/seeds.js';
import { captureLogger } from '../scheduler/harness.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'paperbot-dircheck-'));

/** `npm start` as a user runs it, with the console chat (no platform tokens). */
async function start(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DISCORD|SLACK)_/.test(k)));
  return promisify(execFile)(tsx, [join(ROOT, 'src/main.ts')], { cwd: tmp(), env: { ...clean, LOG_LEVEL: '', ...env }, timeout: 20_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

describe('DIGESTS_DIR that cannot be read', () => {
  it('a missing folder stops start-up with one message naming it and the fix, exit 1', async () => {
    const missing = join(tmp(), 'no-such-folder');
    const { code, stdout, stderr } = await start({ DIGESTS_DIR: missing, DATA_DIR: join(tmp(), 'data') });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`DIGESTS_DIR "${missing}" does not exist`);
    expect(stderr).toMatch(/Set DIGESTS_DIR .* e\.g\. DIGESTS_DIR=seeds/);
  });

  it('a file given as the folder stops start-up the same way', async () => {
    const file = join(tmp(), 'digest.txt');
    writeFileSync(file, 'Daily Papers\n\nDec 10\n');
    const { code, stderr } = await start({ DIGESTS_DIR: file, DATA_DIR: join(tmp(), 'data') });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`DIGESTS_DIR "${file}" is a file, not a folder`);
  });

  // Root reads any folder: only another user can see a permission error.
  it.skipIf(process.getuid?.() === 0)('an unreadable folder stops start-up the same way', async () => {
    const locked = join(tmp(), 'locked');
    mkdirSync(locked, { mode: 0o000 });
    const { code, stderr } = await start({ DIGESTS_DIR: locked, DATA_DIR: join(tmp(), 'data') });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`DIGESTS_DIR "${locked}" cannot be read (permission denied)`);
  });

  it('an empty folder is no problem, and neither is a gone folder an index snapshot of it can answer for', async () => {
    expect(await digestsDirProblem(tmp(), tmp())).toBeUndefined();
    const digests = join(tmp(), 'digests');
    const data = tmp();
    cpSync(SEEDS_DIR, digests, { recursive: true });
    const silent = createLogger('silent');
    const first = await openLibrary({ DIGESTS_DIR: digests, DATA_DIR: data, DIGEST_YEAR: undefined }, fixedClock(), silent, { background: true });
    first.ingester.stop();
    rmSync(digests, { recursive: true });
    expect(await digestsDirProblem(digests, data)).toBeUndefined();
    expect((await digestsDirProblem(digests, tmp()))?.userMessage).toMatch(/does not exist/);
  });
});

describe('a folder with malformed files', () => {
  it('names each bad file once: not again on later looks, a restart from the snapshot, or the rebuild after it', async () => {
    const digests = tmp();
    const data = tmp();
    cpSync(join(SEEDS_DIR, '000_d79c0fbeffbda81e.txt'), join(digests, 'good.txt'));
    writeFileSync(join(digests, '2025-01-01.json'), '{not json');
    writeFileSync(join(digests, 'notes.txt'), 'hello');
    const { logger, lines } = captureLogger();
    const config = { DIGESTS_DIR: digests, DATA_DIR: data, DIGEST_YEAR: undefined };
    const first = await openLibrary(config, fixedClock(), logger, { background: true });
    await first.ingester.refresh();
    await first.ingester.refresh();
    first.ingester.stop();
    // A restart answers from the snapshot, then a new file makes it rebuild: the bad files are read again.
    const again = await openLibrary(config, fixedClock(), logger, { background: true });
    cpSync(join(SEEDS_DIR, '001_5094fac457fca0e8.txt'), join(digests, 'more.txt'));
    await again.ingester.refresh();
    again.ingester.stop();
    const warnings = lines.filter((l) => l.level === 40).map((l) => `${l.msg} ${String(l.file ?? '')}`);
    const naming = (name: string) => warnings.filter((m) => m.includes(join(digests, name)));
    // Once per process: the first start and the restart each name each bad file once.
    expect(naming('2025-01-01.json')).toHaveLength(2);
    expect(naming('notes.txt')).toHaveLength(2);
    expect(naming('good.txt')).toEqual([]);
    expect(warnings.filter((m) => !m.includes('2025-01-01.json') && !m.includes('notes.txt'))).toEqual([]);
  });
});
