import { EventEmitter } from 'node:events';
import type { FSWatcher } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { DigestIngester } from '../../src/ingest/ingester.js';
import { watchDigests, type WatchOptions, watchRecursive } from '../../src/ingest/watcher.js';
import { silentLogger } from '../../src/logger.js';
import { RAW_DIR } from '../fakes/hf/server.js';
import { captureLogger } from '../scheduler/harness.js';

let dir: string;
let closeWatcher: (() => void) | undefined;
const clock = new FixedClock(new Date('2026-08-22T08:00:00Z'));
/** Longer than any test: the periodic look stays out of tests about the watch itself. */
const NEVER = 3_600_000;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperbot-watch-'));
});
afterEach(async () => {
  closeWatcher?.();
  closeWatcher = undefined;
  for (const d of [dir, `${dir}.old`, `${dir}.new`]) await rm(d, { recursive: true, force: true });
});

const rawDay = (date: string) => readFile(join(RAW_DIR, `${date}.json`), 'utf8');
const firstPaperId = async (date: string): Promise<string> => JSON.parse(await rawDay(date))[0].paper.id;

/** As `paperbot fetch` saves a day: a dot-file renamed into place. */
async function saveDay(folder: string, date: string): Promise<void> {
  await writeFile(join(folder, `.${date}.json.tmp`), await rawDay(date));
  await rename(join(folder, `.${date}.json.tmp`), join(folder, `${date}.json`));
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function capture() {
  const { logger, lines } = captureLogger();
  const at = (level: number) => () => lines.filter((l) => l.level === level).map((l) => `${l.msg} ${String(l.reason ?? '')}`);
  return { logger, warnings: at(40), infos: at(30) };
}

/** A real ingester of `dir`, watched; returns it once the folder has been read. */
async function watched(options: Partial<WatchOptions> = {}): Promise<DigestIngester> {
  const ing = new DigestIngester({ digestsDir: dir, clock, logger: silentLogger });
  await ing.refresh();
  const watcher = watchDigests(dir, () => ing.refresh(), { debounceMs: 50, pollMs: NEVER, retryMs: 20, retryMaxMs: 100, logger: silentLogger, ...options });
  closeWatcher = () => watcher.close();
  return ing;
}

const has = (ing: DigestIngester, id: string) => () => ing.library.current().get(id) !== undefined;

describe('watching the digests folder', () => {
  it('picks up a file written then renamed into place, and a deletion, without a call', async () => {
    const ing = await watched();
    const id = await firstPaperId('2025-12-10');
    await saveDay(dir, '2025-12-10');
    await until(has(ing, id), 'the renamed file to be ingested');

    await unlink(join(dir, '2025-12-10.json'));
    await until(() => !has(ing, id)(), 'the deleted file to leave the index');
    expect(ing.library.current().size).toBe(0);
  });

  it('follows a sub-folder removed and made again', async () => {
    await mkdir(join(dir, 'hf'));
    await saveDay(join(dir, 'hf'), '2025-11-10');
    const ing = await watched();
    const old = await firstPaperId('2025-11-10');
    expect(has(ing, old)()).toBe(true);

    await rm(join(dir, 'hf'), { recursive: true });
    await until(() => !has(ing, old)(), 'the removed sub-folder to leave the index');
    await mkdir(join(dir, 'hf'));
    await saveDay(join(dir, 'hf'), '2025-12-09');
    await until(has(ing, await firstPaperId('2025-12-09')), 'a file in the new sub-folder to be ingested');
  });

  it('watches again after the watch reports an error, and says so once', async () => {
    const { logger, warnings, infos } = capture();
    const handles: FSWatcher[] = [];
    const ing = await watched({
      logger,
      watch: (d, onEvent) => {
        const handle = watchRecursive(d, onEvent);
        handles.push(handle);
        return handle;
      },
    });
    handles[0]!.emit('error', Object.assign(new Error('EMFILE: too many open files, watch'), { code: 'EMFILE' }));
    await until(() => handles.length === 2, 'the folder to be watched again');

    // Only the new watch can see this file: the periodic look is off.
    await saveDay(dir, '2025-12-10');
    await until(has(ing, await firstPaperId('2025-12-10')), 'a file saved after the error to be ingested');
    expect(warnings()).toEqual([expect.stringMatching(/not watching .*EMFILE/)]);
    expect(infos()).toContainEqual(expect.stringMatching(/watching the digests folder again/));
  });

  it('keeps trying with growing waits while the watch cannot be set up, logging the episode once', async () => {
    const { logger, warnings, infos } = capture();
    let attempts = 0;
    const ing = await watched({
      logger,
      watch: (d, onEvent) => {
        if (++attempts <= 3) throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' });
        return watchRecursive(d, onEvent);
      },
    });
    // Saved while nothing watches: the look after watching again finds it.
    await saveDay(dir, '2025-11-13');
    await until(has(ing, await firstPaperId('2025-11-13')), 'the file saved meanwhile to be ingested');
    expect(attempts).toBe(4);
    expect(warnings()).toEqual([expect.stringMatching(/not watching .*ENOSPC.*max_user_watches/)]);
    expect(infos()).toContainEqual(expect.stringMatching(/watching the digests folder again/));
  });

  it('follows DIGESTS_DIR deleted and made again', async () => {
    const { logger, warnings } = capture();
    await saveDay(dir, '2025-11-10');
    const ing = await watched({ logger });
    const kept = await firstPaperId('2025-11-10');

    await rm(dir, { recursive: true });
    await until(() => warnings().length > 0, 'the watcher to notice the folder is gone');
    expect(warnings()).toEqual([expect.stringMatching(/not watching .*gone/)]);
    // Nothing to read meanwhile: search keeps what it had.
    expect(has(ing, kept)()).toBe(true);

    await mkdir(dir);
    await saveDay(dir, '2025-12-09');
    await until(has(ing, await firstPaperId('2025-12-09')), 'a file in the new folder to be ingested');
    await saveDay(dir, '2025-12-10');
    await until(has(ing, await firstPaperId('2025-12-10')), 'a later file in the new folder to be ingested');
  });

  it('follows DIGESTS_DIR replaced by another folder (a re-mount, a swap by rename)', async () => {
    await saveDay(dir, '2025-11-10');
    const ing = await watched();
    await mkdir(`${dir}.new`);
    await saveDay(`${dir}.new`, '2025-12-09');
    await rename(dir, `${dir}.old`);
    await rename(`${dir}.new`, dir);
    await until(has(ing, await firstPaperId('2025-12-09')), 'the new folder to be read');

    await saveDay(dir, '2025-12-10');
    await until(has(ing, await firstPaperId('2025-12-10')), 'a file saved into the new folder to be ingested');
  });

  it('still sees new files when the file system reports no events (network and bind mounts)', async () => {
    const silent = () => Object.assign(new EventEmitter(), { close() {} });
    const ing = await watched({ watch: silent, pollMs: 100 });
    await saveDay(dir, '2025-12-10');
    await until(has(ing, await firstPaperId('2025-12-10')), 'the periodic look to ingest the file');
  });
});
