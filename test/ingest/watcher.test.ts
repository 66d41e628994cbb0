import { mkdtemp, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { DigestIngester } from '../../src/ingest/ingester.js';
import { watchDigests } from '../../src/ingest/watcher.js';
import { silentLogger } from '../../src/logger.js';
import { RAW_DIR } from '../fakes/hf/server.js';

let dir: string;
const clock = new FixedClock(new Date('2026-08-22T08:00:00Z'));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperbot-watch-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rawDay = (date: string) => readFile(join(RAW_DIR, `${date}.json`), 'utf8');
const firstPaperId = async (date: string): Promise<string> => JSON.parse(await rawDay(date))[0].paper.id;
const ingester = () => new DigestIngester({ digestsDir: dir, clock, logger: silentLogger });

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('watching the digests folder', () => {
  it('picks up a file written then renamed into place, and a deletion, without a call', async () => {
    const ing = ingester();
    await ing.refresh();
    const watcher = watchDigests(dir, () => ing.refresh(), { debounceMs: 50, logger: silentLogger });
    try {
      const id = await firstPaperId('2025-12-10');
      await writeFile(join(dir, '.2025-12-10.json.tmp'), await rawDay('2025-12-10'));
      await rename(join(dir, '.2025-12-10.json.tmp'), join(dir, '2025-12-10.json'));
      await until(() => ing.library.current().get(id) !== undefined, 'the renamed file to be ingested');

      await unlink(join(dir, '2025-12-10.json'));
      await until(() => ing.library.current().get(id) === undefined, 'the deleted file to leave the index');
      expect(ing.library.current().size).toBe(0);
    } finally {
      watcher.close();
    }
  });
});
