import { copyFile, cp, mkdir, mkdtemp, open, readdir, readFile, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { openLibrary, type OpenedLibrary } from '../../src/ingest/openLibrary.js';
import { INDEX_FILE, snapshotPath } from '../../src/ingest/snapshot.js';
import { checkSqliteIndex } from '../../src/index/sqliteIndexFile.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import { IndexDamagedError } from '../../src/model/errors.js';
import { RAW_DIR } from '../fakes/hf/server.js';

/** SEARCH_ENGINE=sqlite: the index's saved state is an SQLite file in DATA_DIR, opened where it lies. */
let tmp: string;
let digests: string;
let data: string;
const opened: OpenedLibrary[] = [];
const clock = new FixedClock(new Date('2025-12-31T12:00:00Z'));

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'paperbot-index-file-'));
  digests = join(tmp, 'digests');
  data = join(tmp, 'data');
  await cp('seeds', digests, { recursive: true });
});
afterEach(async () => {
  for (const o of opened.splice(0)) {
    o.ingester.stop();
    if (o.library.ready) o.library.current().close();
  }
  await rm(tmp, { recursive: true, force: true });
});

const config = () => ({ DIGESTS_DIR: digests, DIGEST_YEAR: 2025, DATA_DIR: data, SEARCH_ENGINE: 'sqlite' as const });

/** A logger that keeps each line's message and fields. */
function recording(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = silentLogger.child({});
  for (const level of ['info', 'warn', 'error'] as const) logger[level] = ((obj: unknown, msg?: string) => void lines.push(`${level} ${msg} ${JSON.stringify(obj)}`)) as Logger['info'];
  return { logger, lines };
}

async function start(logger: Logger = silentLogger): Promise<OpenedLibrary> {
  const o = await openLibrary(config(), clock, logger, { background: true });
  opened.push(o);
  return o;
}

const answers = (o: OpenedLibrary) => {
  const index = o.library.current();
  const hits = index.search('mixture of experts routing', { limit: 5 });
  return { ids: hits.map((h) => h.paper.id), shown: index.get(hits[0]!.paper.id)?.title, trending: index.trending('week', '2025-12-31').hits.map((h) => h.paper.id) };
};

describe('the SQLite index file', () => {
  it('is built on the first start and opened, not rebuilt, on the next, answering the same', async () => {
    const first = await start();
    expect(first.ingester.state().source).toBe('parse');
    expect(first.library.current().engineName).toBe('sqlite');
    expect((await stat(snapshotPath(data, 'sqlite'))).size).toBeGreaterThan(0);
    expect(await readdir(data)).toEqual([INDEX_FILE]);

    const { logger, lines } = recording();
    const second = await start(logger);
    expect(second.ingester.state().source).toBe('snapshot');
    expect(lines.join('\n')).toMatch(/index loaded from snapshot/);
    expect(lines.join('\n')).not.toMatch(/index updated/);
    const before = answers(first);
    expect(before.ids.length).toBeGreaterThan(0);
    expect(before.trending.length).toBeGreaterThan(0);
    expect(answers(second)).toEqual(before);
  });

  it('rebuilds a truncated file, saying why, without a crash', async () => {
    const first = await start();
    const size = first.library.current().size;
    await truncate(snapshotPath(data, 'sqlite'), (await stat(snapshotPath(data, 'sqlite'))).size - 4096);

    const { logger, lines } = recording();
    const again = await start(logger);
    expect(lines.join('\n')).toMatch(/index snapshot not used.*"reason":"(truncated|not a usable index file: database disk image is malformed)/);
    expect(again.ingester.state().source).toBe('parse');
    expect(again.library.current().size).toBe(size);
    expect(checkSqliteIndex(snapshotPath(data, 'sqlite'))).toBeUndefined();
  });

  it('answers from a file damaged inside at once, finds the damage in the background and rebuilds it', async () => {
    const first = await start();
    const before = answers(first);
    const path = snapshotPath(data, 'sqlite');
    // Garbage over pages in the middle: the length still matches, only reading every page tells.
    const handle = await open(path, 'r+');
    await handle.write(Buffer.alloc(64 * 1024, 0x5a), 0, 64 * 1024, Math.floor((await stat(path)).size / 2 / 4096) * 4096);
    await handle.close();
    expect(checkSqliteIndex(path)).toBeDefined();

    const { logger, lines } = recording();
    const again = await start(logger);
    await again.ingester.refresh();
    expect(lines.join('\n')).toMatch(/index file damaged: rebuilding while it answers/);
    expect(lines.join('\n')).toMatch(/index updated/);
    expect(checkSqliteIndex(path)).toBeUndefined();
    expect(answers(again)).toEqual(before);
  });

  it('answers a read of a page damaged after the start by saying so, and rebuilds the file', async () => {
    const { logger, lines } = recording();
    const o = await start(logger);
    await o.ingester.refresh();
    const before = answers(o);
    const papers = [...o.library.current().papers()];
    // The disk fails under the running bot: pages it has not read yet are garbage.
    const path = snapshotPath(data, 'sqlite');
    const handle = await open(path, 'r+');
    await handle.write(Buffer.alloc(64 * 1024, 0x5a), 0, 64 * 1024, Math.floor((await stat(path)).size / 2 / 4096) * 4096);
    await handle.close();
    const index = o.library.current();
    const failures: unknown[] = [];
    for (const p of papers.slice(papers.length / 2)) {
      try {
        index.search(p.title, { limit: 3 });
      } catch (err) {
        failures.push(err);
      }
    }
    expect(failures.length).toBeGreaterThan(0);
    for (const err of failures) {
      expect(err).toBeInstanceOf(IndexDamagedError);
      expect((err as IndexDamagedError).userMessage).toMatch(/damaged .* rebuilding the index from the digests/);
    }
    await o.ingester.refresh();
    expect(lines.join('\n')).toMatch(/index file damaged: rebuilding while it answers .*an answer met a damaged page/);
    expect(checkSqliteIndex(path)).toBeUndefined();
    expect(o.library.current()).not.toBe(index);
    expect(answers(o)).toEqual(before);
  });

  it('swaps in a rebuilt file while answers on the old one keep working', async () => {
    const o = await start();
    const old = o.library.current();
    await copyFile(join(RAW_DIR, '2025-12-10.json'), join(digests, '2025-12-10.json'));
    const id = JSON.parse(await readFile(join(RAW_DIR, '2025-12-10.json'), 'utf8'))[0].paper.id as string;

    // An answer in flight holds the old index across the rebuild and swap.
    const inFlight = (async () => {
      const hits = old.search('mixture of experts', { limit: 3 });
      await o.ingester.refresh();
      return { hits, after: old.search('mixture of experts', { limit: 3 }), shown: old.get(hits[0]!.paper.id), trending: old.trending('week', '2025-12-31') };
    })();
    const { hits, after, shown, trending } = await inFlight;
    expect(o.library.current()).not.toBe(old);
    expect(hits.length).toBeGreaterThan(0);
    expect(after.map((h) => h.paper.id)).toEqual(hits.map((h) => h.paper.id));
    expect(shown?.id).toBe(hits[0]!.paper.id);
    expect(trending.hits.length).toBeGreaterThan(0);
    expect(old.get(id)).toBeUndefined();
    expect(o.library.current().get(id)?.id).toBe(id);
    // Renamed into place whole: no temp file left beside it.
    expect(await readdir(data)).toEqual([INDEX_FILE]);
  });

  it('removes the temp file a crashed build left behind', async () => {
    await mkdir(data, { recursive: true });
    const leftover = join(data, `.${INDEX_FILE}.4242-0123456789ab.tmp`);
    await writeFile(leftover, 'half an index');
    const day = new Date(clock.now().getTime() - 24 * 3600_000);
    await utimes(leftover, day, day);
    await start();
    expect(await readdir(data)).toEqual([INDEX_FILE]);
  });

  it('a one-shot command builds a current index without leaving a file', async () => {
    const o = await openLibrary(config(), clock, silentLogger);
    opened.push(o);
    expect(o.library.current().size).toBeGreaterThan(100);
    expect(o.library.current().search('diffusion', { limit: 3 }).length).toBeGreaterThan(0);
    expect(await readdir(tmp)).toEqual(['digests']);
  });
});
