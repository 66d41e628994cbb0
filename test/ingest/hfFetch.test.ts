import { readFileSync, readlinkSync } from 'node:fs';
import { type FileHandle, mkdir, mkdtemp, open, readFile, readdir, realpath, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FixedClock, systemClock } from '../../src/clock.js';
import { daysToFetch, MAX_CATCH_UP_DAYS, runDailyFetch, scheduleDailyFetch } from '../../src/ingest/dailyFetch.js';
import { fetchDays, type HfFetchOptions, saveDay } from '../../src/ingest/hfFetch.js';
import { DigestIngester } from '../../src/ingest/ingester.js';
import { silentLogger } from '../../src/logger.js';
import { FakeHfServer, RAW_DIR, refusedUrl } from '../fakes/hf/server.js';
import { captureLogger } from '../scheduler/harness.js';
import { addDays, daysBetween } from '../../src/time/days.js';

let hf: FakeHfServer;
let dir: string;
let waits: number[];

beforeEach(async () => {
  hf = await new FakeHfServer().start();
  dir = await mkdtemp(join(tmpdir(), 'paperbot-fetch-'));
  waits = [];
});
afterEach(async () => {
  await hf.close();
  await rm(dir, { recursive: true, force: true });
});

/** Retries wait through this recorder: the test checks the delays without sleeping. */
function options(extra: Partial<HfFetchOptions> = {}): HfFetchOptions {
  return { baseUrl: hf.url, sleep: async (ms) => void waits.push(ms), logger: silentLogger, ...extra };
}

describe('fetching the daily papers', () => {
  it('saves the response exactly as received, named by its day', async () => {
    const [result] = await fetchDays(['2025-11-10'], dir, options());
    expect(result).toMatchObject({ date: '2025-11-10', status: 'saved' });
    expect(result!.papers).toBeGreaterThan(0);
    expect(await readFile(join(dir, '2025-11-10.json'), 'utf8')).toBe(await readFile(join(RAW_DIR, '2025-11-10.json'), 'utf8'));
    expect(hf.requests).toEqual(['/api/daily_papers?date=2025-11-10']);
  });

  it('does not rewrite a day whose response has not changed', async () => {
    await fetchDays(['2024-05-27'], dir, options());
    const [again] = await fetchDays(['2024-05-27'], dir, options());
    expect(again!.status).toBe('unchanged');
  });

  it('treats a day without papers as normal and saves nothing', async () => {
    const [result] = await fetchDays(['2025-11-15'], dir, options());
    expect(result).toEqual({ date: '2025-11-15', status: 'empty', papers: 0 });
    expect(await readdir(dir)).toEqual([]);
  });

  it('waits as long as a 429 asks, then retries', async () => {
    hf.script('2025-11-13', { kind: 'status', status: 429, retryAfter: '7' }, { kind: 'raw' });
    const [result] = await fetchDays(['2025-11-13'], dir, options());
    expect(result!.status).toBe('saved');
    expect(waits).toEqual([7000]);
  });

  it('retries 5xx with growing waits and gives up after the last attempt without throwing', async () => {
    hf.script('2025-12-09', { kind: 'status', status: 503 });
    const results = await fetchDays(['2025-12-09', '2025-12-10'], dir, options({ attempts: 3, baseDelayMs: 100 }));
    expect(results[0]).toMatchObject({ status: 'failed' });
    expect(results[0]!.error).toMatch(/after 3 attempts \(HTTP 503\)/);
    expect(waits).toEqual([100, 200]);
    // The next day is still fetched.
    expect(results[1]).toMatchObject({ date: '2025-12-10', status: 'saved' });
    expect(await readdir(dir)).toEqual(['2025-12-10.json']);
  });

  it.each([408, 425])('retries a %i (transient by definition)', async (status) => {
    hf.script('2025-11-13', { kind: 'status', status }, { kind: 'raw' });
    const [result] = await fetchDays(['2025-11-13'], dir, options());
    expect(result!.status).toBe('saved');
    expect(hf.requests).toHaveLength(2);
    expect(waits).toEqual([2000]);
  });

  it('reports a plain 4xx at once, without retrying', async () => {
    hf.script('2025-11-13', { kind: 'status', status: 404 });
    const [result] = await fetchDays(['2025-11-13'], dir, options());
    expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/answered 404 for 2025-11-13/) });
    expect(hf.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('waits until the HTTP date a Retry-After gives', async () => {
    const now = Date.parse('2025-11-13T09:00:00Z');
    hf.script('2025-11-13', { kind: 'status', status: 503, retryAfter: new Date(now + 30_000).toUTCString() }, { kind: 'raw' });
    const [result] = await fetchDays(['2025-11-13'], dir, options({ now: () => now }));
    expect(result!.status).toBe('saved');
    expect(waits).toEqual([30_000]);
  });

  it('retries a dropped connection, and reports it when it keeps happening', async () => {
    hf.script('2025-12-09', { kind: 'reset' });
    hf.script('2025-12-10', { kind: 'reset' }, { kind: 'raw' });
    const results = await fetchDays(['2025-12-09', '2025-12-10'], dir, options({ attempts: 3 }));
    expect(results[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/2025-12-09 after 3 attempts \(other side closed/) });
    expect(results[1]).toMatchObject({ status: 'saved' });
    expect(hf.requests).toHaveLength(5);
  });

  it('retries a refused connection with growing waits, then names the address', async () => {
    const [result] = await fetchDays(['2025-12-10'], dir, options({ baseUrl: await refusedUrl(), attempts: 3, baseDelayMs: 100 }));
    expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/after 3 attempts \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)/) });
    expect(waits).toEqual([100, 200]);
  });

  it('recovers from a 500 followed by a good answer', async () => {
    hf.script('2025-12-10', { kind: 'status', status: 500 }, { kind: 'raw' });
    const [result] = await fetchDays(['2025-12-10'], dir, options());
    expect(result!.status).toBe('saved');
    expect(hf.requests).toHaveLength(2);
  });

  it('gives up on a server that never answers, within the timeout per attempt', async () => {
    hf.script('2025-11-10', { kind: 'hang' });
    const [result] = await fetchDays(['2025-11-10'], dir, options({ timeoutMs: 150, attempts: 2 }));
    expect(result!.status).toBe('failed');
    expect(result!.error).toMatch(/timed out/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('rejects a response of the wrong shape whole: not saved, not retried', async () => {
    hf.script('2025-11-10', { kind: 'body', body: '{"error":"Invalid date"' });
    hf.script('2025-11-11', { kind: 'body', body: '[{"paper":{"title":"no id"}}]' });
    const results = await fetchDays(['2025-11-10', '2025-11-11'], dir, options());
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(results[0]!.error).toMatch(/not valid JSON/);
    expect(results[1]!.error).toMatch(/entry 1 does not have the daily-papers shape/);
    expect(hf.requests).toHaveLength(2);
    expect(await readdir(dir)).toEqual([]);
  });

  it('rejects the real days saved as Python-repr strings', async () => {
    const results = await fetchDays(['2024-12-11', '2025-01-02'], dir, options());
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(results[0]!.error).toMatch(/Python-repr/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('lists every day of a --since range', () => {
    expect(daysBetween('2025-02-27', '2025-03-02')).toEqual(['2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02']);
    expect(daysBetween('2025-03-02', '2025-03-01')).toEqual([]);
  });
});

describe('saving a day', () => {
  const day = async (date: string) => ({ date, raw: await readFile(join(RAW_DIR, `${date}.json`), 'utf8'), papers: 1 });

  // Which file an fsync flushes, read back from its descriptor (Linux /proc).
  it.runIf(process.platform === 'linux')('puts the data on disk before the rename publishes it, then the rename itself', async () => {
    const probe = await open(dir, 'r');
    const fileHandle = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    const sync = fileHandle.sync;
    const target = join(dir, '2025-11-10.json');
    const flushes: { path: string; content: string; published: boolean }[] = [];
    const spy = vi.spyOn(fileHandle, 'sync').mockImplementation(async function (this: FileHandle) {
      const path = readlinkSync(`/proc/self/fd/${this.fd}`);
      const published = await readFile(target, 'utf8').then(
        () => true,
        () => false,
      );
      flushes.push({ path, content: path.endsWith('.tmp') ? readFileSync(path, 'utf8') : '', published });
      return sync.call(this);
    });
    try {
      const saving = await day('2025-11-10');
      await saveDay(dir, saving);
      expect(flushes).toEqual([
        { path: expect.stringMatching(/\/\.2025-11-10\.json\.[^/]+\.tmp$/), content: saving.raw, published: false },
        { path: await realpath(dir), content: '', published: true },
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  it('lets two writers of one process id save the same day at once (in containers every writer is PID 1)', async () => {
    const a = await day('2025-12-09');
    const b = { ...(await day('2025-12-10')), date: '2025-12-09' };
    const saved = await Promise.all([saveDay(dir, a), saveDay(dir, b)]);
    expect(saved.map((s) => s.outcome)).toEqual(['saved', 'saved']);
    expect([a.raw, b.raw]).toContain(await readFile(join(dir, '2025-12-09.json'), 'utf8'));
    expect(await readdir(dir)).toEqual(['2025-12-09.json']);
  });

  it('removes temp files a crashed run left behind, but not one a writer may still be writing', async () => {
    const hourAgo = new Date(Date.now() - 3_600_000);
    const left = ['.2025-11-09.json.1-3fa9c2.tmp', '.2025-11-10.json.4711.tmp', '.2025-11-10.json.1-77aa01.tmp', '.notes.tmp', '.2025-11-10.json.swp'];
    for (const name of left) await writeFile(join(dir, name), '');
    for (const name of left.filter((n) => n !== '.2025-11-10.json.1-77aa01.tmp')) await utimes(join(dir, name), hourAgo, hourAgo);

    await saveDay(dir, await day('2025-11-10'));
    expect((await readdir(dir)).sort()).toEqual(['.2025-11-10.json.1-77aa01.tmp', '.2025-11-10.json.swp', '.notes.tmp', '2025-11-10.json']);
  });
});

/** A folder that already holds the two weeks before yesterday (as empty API days): a run asks for yesterday and today only. */
async function pastDaysSaved(today: string): Promise<void> {
  for (const day of daysBetween(addDays(today, -MAX_CATCH_UP_DAYS), addDays(today, -2))) await writeFile(join(dir, `${day}.json`), '[]');
}

describe('the daily fetch job', () => {
  it('fetches yesterday and today and makes the new papers searchable', async () => {
    const clock = new FixedClock(new Date('2025-11-13T09:00:00Z'));
    await pastDaysSaved('2025-11-13');
    const ingester = new DigestIngester({ digestsDir: dir, clock, logger: silentLogger });
    await ingester.refresh();
    expect(ingester.library.current().size).toBe(0);

    const results = await runDailyFetch({ digestsDir: dir, clock, ingester, logger: silentLogger, fetchOptions: options() });

    expect(results.map((r) => [r.date, r.status])).toEqual([
      ['2025-11-12', 'empty'],
      ['2025-11-13', 'saved'],
    ]);
    const index = ingester.library.current();
    expect(index.size).toBe(results[1]!.papers);
    expect(index.digestDates()).toEqual(['2025-11-13']);
    const first = JSON.parse(await readFile(join(RAW_DIR, '2025-11-13.json'), 'utf8'))[0].paper;
    expect(index.get(first.id)?.digests).toEqual([{ date: '2025-11-13', file: '2025-11-13.json', rank: 1 }]);
  });

  it('catches up on every day of the last two weeks that has no file, gaps included', async () => {
    const clock = new FixedClock(new Date('2025-12-13T09:00:00Z'));
    const twoWeeks = daysBetween('2025-11-29', '2025-12-13');
    expect(twoWeeks).toHaveLength(MAX_CATCH_UP_DAYS + 1);
    // A new folder: the last two weeks.
    expect(await daysToFetch(dir, clock.now())).toEqual(twoWeeks);
    // Saved days are not asked again, but yesterday and today always are (lists fill, upvotes settle).
    await mkdir(join(dir, 'archive'));
    for (const day of ['2025-12-09', '2025-12-11', '2025-12-12']) await writeFile(join(dir, day === '2025-12-09' ? 'archive' : '', `${day}.json`), await readFile(join(RAW_DIR, '2025-12-09.json')));
    const days = await daysToFetch(dir, clock.now());
    expect(days).toEqual(twoWeeks.filter((d) => d !== '2025-12-09' && d !== '2025-12-11'));

    const ingester = new DigestIngester({ digestsDir: dir, clock, logger: silentLogger });
    const results = await runDailyFetch({ digestsDir: dir, clock, ingester, logger: silentLogger, fetchOptions: options() });
    expect(results.map((r) => r.date)).toEqual(days);
    // The missed 2025-12-10, between two saved days, is in the index now.
    const missed = JSON.parse(await readFile(join(RAW_DIR, '2025-12-10.json'), 'utf8'))[0].paper.id;
    expect(
      ingester.library
        .current()
        .get(missed)
        ?.digests.map((d) => d.date),
    ).toContain('2025-12-10');
  });

  it('never throws when the API is down', async () => {
    hf.script('2025-11-12', { kind: 'status', status: 502 });
    hf.script('2025-11-13', { kind: 'status', status: 502 });
    const clock = new FixedClock(new Date('2025-11-13T09:00:00Z'));
    await pastDaysSaved('2025-11-13');
    const ingester = new DigestIngester({ digestsDir: dir, clock, logger: silentLogger });
    const results = await runDailyFetch({ digestsDir: dir, clock, ingester, logger: silentLogger, fetchOptions: options({ attempts: 2 }) });
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed']);
  });

  it('writes nothing into an empty folder that is not the one the index was made from (an unmounted disk)', async () => {
    const clock = new FixedClock(new Date('2025-11-13T09:00:00Z'));
    await writeFile(join(dir, '2025-11-10.json'), await readFile(join(RAW_DIR, '2025-11-10.json')));
    const ingester = new DigestIngester({ digestsDir: dir, clock, logger: silentLogger });
    await ingester.refresh();
    const size = ingester.library.current().size;
    await rename(dir, `${dir}-mounted`);
    await mkdir(dir);
    try {
      const { logger, lines } = captureLogger();
      const results = await runDailyFetch({ digestsDir: dir, clock, ingester, logger, fetchOptions: options() });
      expect(results).toEqual([]);
      expect(hf.requests).toEqual([]);
      expect(await readdir(dir)).toEqual([]);
      expect(ingester.library.current().size).toBe(size);
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'daily papers not fetched: the digests folder has a problem', problem: expect.stringMatching(/an unmounted disk/) }));
    } finally {
      await rm(`${dir}-mounted`, { recursive: true, force: true });
    }
  });
});

describe('the daily schedule', () => {
  const DAY = 86_400_000;
  /** A run first refreshes the index, whose worker thread takes a moment to start. */
  const WORKER_START_MS = 15_000;
  afterEach(() => {
    vi.useRealTimers();
  });

  it('with atStart, also runs at start, so a bot stopped at fetch time catches up; firstRun says when it is done', async () => {
    vi.useFakeTimers({ now: new Date('2025-11-13T12:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const asked: string[] = [];
    const api: typeof fetch = async (input) => {
      asked.push(new URL(String(input)).searchParams.get('date')!);
      return new Response('[]');
    };
    const ingester = new DigestIngester({ digestsDir: dir, clock: systemClock, logger: silentLogger });
    const deps = { digestsDir: dir, clock: systemClock, ingester, logger: silentLogger, fetchOptions: { baseUrl: 'http://127.0.0.1:9', fetch: api } };
    await pastDaysSaved('2025-11-13');
    const without = scheduleDailyFetch('09:00', 'UTC', deps);
    const job = scheduleDailyFetch('09:00', 'UTC', deps, true);
    try {
      await job.firstRun;
      expect(asked).toEqual(['2025-11-12', '2025-11-13']);
    } finally {
      without.stop();
      job.stop();
    }
  });

  it('skips a run that falls due while the previous one still runs, and says so', async () => {
    vi.useFakeTimers({ now: new Date('2025-11-13T08:59:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    // The API holds its first answer (a run stuck in retries, a hung connection) until released.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const asked: string[] = [];
    const api: typeof fetch = async (input) => {
      asked.push(new URL(String(input)).searchParams.get('date')!);
      await held;
      return new Response('[]');
    };
    const { logger, lines } = captureLogger();
    await pastDaysSaved('2025-11-13');
    const ingester = new DigestIngester({ digestsDir: dir, clock: systemClock, logger: silentLogger });
    const job = scheduleDailyFetch('09:00', 'UTC', { digestsDir: dir, clock: systemClock, ingester, logger, fetchOptions: { baseUrl: 'http://127.0.0.1:9', fetch: api, logger } });
    try {
      await vi.advanceTimersByTimeAsync(60_000);
      // The run lists the folder (real I/O) before it asks.
      await vi.waitFor(() => expect(asked).toEqual(['2025-11-12']), { timeout: WORKER_START_MS });

      // The next day's time comes (and goes) while the first run still waits for its answer.
      await vi.advanceTimersByTimeAsync(DAY + 60_000);
      expect(asked).toEqual(['2025-11-12']);
      expect(lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([expect.stringMatching(/still running: this one is skipped/)]);

      release();
      await vi.waitFor(() => expect(asked).toEqual(['2025-11-12', '2025-11-13']), { timeout: WORKER_START_MS });
      await vi.advanceTimersByTimeAsync(DAY);
      // The next run (Nov 15): yesterday, today, and the days the API had nothing for, still in the window.
      await vi.waitFor(() => expect(asked).toEqual(['2025-11-12', '2025-11-13', '2025-11-12', '2025-11-13', '2025-11-14', '2025-11-15']), { timeout: WORKER_START_MS });
    } finally {
      job.stop();
    }
  });
});
