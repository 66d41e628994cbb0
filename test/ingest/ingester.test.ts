import { appendFile, copyFile, mkdir, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { DigestFolder } from '../../src/ingest/digestFolder.js';
import { DigestIngester } from '../../src/ingest/ingester.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import { silentLogger } from '../../src/logger.js';
import { RAW_DIR } from '../fakes/hf/server.js';
import { CORPUS_DIR } from '../helpers/seeds.js';

let dir: string;
const clock = new FixedClock(new Date('2026-08-22T08:00:00Z'));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperbot-ingest-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rawDay = (date: string) => readFile(join(RAW_DIR, `${date}.json`), 'utf8');
const firstPaperId = async (date: string): Promise<string> => JSON.parse(await rawDay(date))[0].paper.id;
const ingester = () => new DigestIngester({ digestsDir: dir, clock, logger: silentLogger });

describe('ingesting the digests folder', () => {
  it('adds a new day, merges a paper seen again, and removes a deleted day', async () => {
    await copyFile(join(RAW_DIR, '2025-12-09.json'), join(dir, '2025-12-09.json'));
    const ing = ingester();
    await ing.refresh();
    const before = ing.library.current();
    const id = await firstPaperId('2025-12-09');
    const paper = before.get(id)!;

    // The same listing a day later, with more upvotes for the first paper.
    const later = JSON.parse(await rawDay('2025-12-09'));
    later[0].paper.upvotes = paper.upvotes + 40;
    await writeFile(join(dir, '2025-12-10.json'), JSON.stringify(later));
    const report = await ing.refresh();

    expect(report).toMatchObject({ swapped: true, change: { added: ['2025-12-10.json'] } });
    const after = ing.library.current();
    expect(after.size).toBe(before.size);
    expect(after.get(id)!.upvotes).toBe(paper.upvotes + 40);
    expect(after.get(id)!.digests.map((d) => d.date)).toEqual(['2025-12-09', '2025-12-10']);
    expect(after.digestDates()).toEqual(['2025-12-09', '2025-12-10']);

    await unlink(join(dir, '2025-12-10.json'));
    await ing.refresh();
    expect(
      ing.library
        .current()
        .get(id)!
        .digests.map((d) => d.date),
    ).toEqual(['2025-12-09']);
    expect(ing.library.current().get(id)!.upvotes).toBe(paper.upvotes);
  });

  it('reports a bad file and leaves the index as it was, also when a good file turns bad', async () => {
    await copyFile(join(RAW_DIR, '2025-11-10.json'), join(dir, '2025-11-10.json'));
    const ing = ingester();
    await ing.refresh();
    const good = ing.library.current();

    await writeFile(join(dir, '2025-11-11.json'), '[{"paper": {"id": "2511.0001", "title": "cut off');
    const bad = await ing.refresh();
    expect(bad.swapped).toBe(false);
    expect(bad.change.rejected[0]!.message).toMatch(/not valid JSON/);
    expect(ing.library.current()).toBe(good);

    await copyFile(join(RAW_DIR, '2025-01-02.json'), join(dir, '2025-11-10.json'));
    await ing.refresh();
    expect(ing.library.current().size).toBe(good.size);
    expect(ing.library.current().get(await firstPaperId('2025-11-10'))).toBeDefined();
    const issues = ing.state().issues.map((i) => `${i.file}: ${i.message}`);
    expect(issues).toEqual([expect.stringMatching(/2025-11-10\.json: entries are Python-repr/), expect.stringMatching(/2025-11-11\.json: not valid JSON/)]);
  });

  it('does not read a file that is still growing, and reads it once it settles', async () => {
    const raw = await rawDay('2025-11-13');
    await writeFile(join(dir, '2025-11-13.json'), raw.slice(0, 1000));
    const folder = new DigestFolder(dir, {
      parseOptions: () => ({ today: '2026-08-22' }),
      // The writer is still at work while the folder looks twice.
      settle: async () => appendFile(join(dir, '2025-11-13.json'), raw.slice(1000, 2000)),
    });
    const first = await folder.sync();
    expect(first).toMatchObject({ added: [], rejected: [], unsettled: ['2025-11-13.json'] });

    await writeFile(join(dir, '2025-11-13.json'), raw);
    const calm = new DigestFolder(dir, { parseOptions: () => ({ today: '2026-08-22' }), settle: async () => {} });
    expect(await calm.sync()).toMatchObject({ added: ['2025-11-13.json'], rejected: [], unsettled: [] });
    expect(calm.papers().length).toBe(JSON.parse(raw).length);
  });

  it('answers every search from a complete index while a reload runs', async () => {
    await copyFile(join(RAW_DIR, '2025-11-10.json'), join(dir, '2025-11-10.json'));
    const ing = ingester();
    await ing.refresh();
    const oldSize = ing.library.current().size;
    for (const day of ['2025-11-13', '2025-12-09', '2025-12-10', '2026-08-21']) await copyFile(join(RAW_DIR, `${day}.json`), join(dir, `${day}.json`));

    const seen: { size: number; hits: number }[] = [];
    let done = false;
    const reload = ing.refresh().finally(() => (done = true));
    while (!done) {
      const index: PaperIndex = ing.library.current();
      seen.push({ size: index.size, hits: index.search('language model', { limit: 1000 }).length });
      await new Promise((r) => setImmediate(r));
    }
    await reload;
    const newIndex = ing.library.current();
    const complete = new Map([
      [oldSize, seen[0]!.hits],
      [newIndex.size, newIndex.search('language model', { limit: 1000 }).length],
    ]);
    expect(seen.length).toBeGreaterThan(1);
    for (const s of seen) expect(complete.get(s.size)).toBe(s.hits);
  });

  it('builds on the next refresh what a failed build left out, including a removal', async () => {
    await copyFile(join(RAW_DIR, '2025-11-10.json'), join(dir, '2025-11-10.json'));
    const ing = ingester();
    await ing.refresh();
    const before = ing.library.current();
    await copyFile(join(RAW_DIR, '2025-12-10.json'), join(dir, '2025-12-10.json'));
    await unlink(join(dir, '2025-11-10.json'));
    // The build runs out of memory, say: the bot keeps the index it had.
    const build = vi.spyOn(PaperIndex, 'load').mockRejectedValueOnce(new Error('out of memory'));
    try {
      await expect(ing.refresh()).rejects.toThrow('out of memory');
      expect(ing.library.current()).toBe(before);
      // Nothing changed on disk since, yet the next look builds what the folder holds.
      expect((await ing.refresh()).swapped).toBe(true);
    } finally {
      build.mockRestore();
    }
    expect(ing.library.current().get(await firstPaperId('2025-12-10'))).toBeDefined();
    expect(ing.library.current().get(await firstPaperId('2025-11-10'))).toBeUndefined();
  });

  it('reads digest files and folders that are symbolic links', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'paperbot-linked-'));
    try {
      await mkdir(join(elsewhere, 'december'));
      await copyFile(join(RAW_DIR, '2025-12-10.json'), join(elsewhere, 'december', '2025-12-10.json'));
      await copyFile(join(RAW_DIR, '2025-11-10.json'), join(elsewhere, '2025-11-10.json'));
      await symlink(join(elsewhere, 'december'), join(dir, 'december'));
      await symlink(join(elsewhere, '2025-11-10.json'), join(dir, '2025-11-10.json'));
      await symlink(join(elsewhere, 'missing.json'), join(dir, 'dangling.json'));
      const ing = ingester();
      await ing.refresh();
      expect(ing.state().files).toEqual(['2025-11-10.json', 'december/2025-12-10.json']);
      expect(ing.library.current().get(await firstPaperId('2025-12-10'))).toBeDefined();
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('takes the daily listings of a papers.jsonl + days.jsonl corpus as digest days, so trending ranks them', async () => {
    // The last five listings of the vendored corpus sample and the papers they name.
    const days = (await readFile(join(CORPUS_DIR, 'days.jsonl'), 'utf8')).trim().split('\n').slice(-5);
    const listed = new Set(days.flatMap((line) => (JSON.parse(line) as { papers: { id: string }[] }).papers.map((p) => p.id)));
    const papers = (await readFile(join(CORPUS_DIR, 'papers.jsonl'), 'utf8')).split('\n').filter((line) => line && listed.has((JSON.parse(line) as { id: string }).id));
    await mkdir(join(dir, 'corpus'));
    await writeFile(join(dir, 'corpus', 'papers.jsonl'), papers.join('\n'));
    await writeFile(join(dir, 'corpus', 'days.jsonl'), days.join('\n'));

    const ing = ingester();
    await ing.refresh();
    const index = ing.library.current();
    const dates = days.map((line) => (JSON.parse(line) as { date: string }).date);
    expect(index.digestDates()).toEqual(dates);
    const last = JSON.parse(days.at(-1)!) as { date: string; papers: { id: string }[] };
    const top = index.trending('day', last.date, 3).hits.map((h) => h.paper);
    expect(top).toHaveLength(3);
    expect(top.every((p) => last.papers.some((e) => e.id === p.id))).toBe(true);
    expect(top[0]!.upvotes).toBeGreaterThanOrEqual(top[1]!.upvotes);
  });

  it('tells every onSwap listener the previous and the next index', async () => {
    await copyFile(join(RAW_DIR, '2025-11-10.json'), join(dir, '2025-11-10.json'));
    const ing = ingester();
    await ing.refresh();
    const swaps: [number, number | undefined][] = [];
    ing.library.onSwap((next, previous) => swaps.push([next.size, previous?.size]));
    await copyFile(join(RAW_DIR, '2025-11-13.json'), join(dir, '2025-11-13.json'));
    await ing.refresh();
    const first = swaps[0]!;
    expect(swaps).toHaveLength(1);
    expect(first[1]).toBeLessThan(first[0]);
  });
});

describe('digest years in a watched folder', () => {
  const page = (date: string, title: string, published = 'Aug 20') => `Daily Papers\n\n${date}\n\n${title}\n\nWe study a problem. We propose a method.\n\n  • 2 authors\n·\n${published}\n`;

  it('gives pages without printed years one year, and dates them again when a page with evidence arrives', async () => {
    await writeFile(join(dir, 'a.txt'), page('Dec 10', 'Paper A', 'Aug 1'));
    await writeFile(join(dir, 'b.txt'), page('Aug 1', 'Paper B', 'Jul 30'));
    const ing = ingester();
    await ing.refresh();
    // On 2026-08-22 alone, Aug 1 would be this year's and Dec 10 last year's.
    expect(ing.library.current().digestDates()).toEqual(['2025-08-01', '2025-12-10']);
    await writeFile(join(dir, 'c.txt'), page('Jul 2', 'Paper C', 'May 5, 2023'));
    const report = await ing.refresh();
    expect(report.change.changed.sort()).toEqual(['a.txt', 'b.txt']);
    expect(ing.library.current().digestDates()).toEqual(['2024-07-02', '2024-08-01', '2024-12-10']);
    expect(
      ing.library
        .current()
        .papers()
        .find((p) => p.title === 'Paper A')!.published,
    ).toBe('2024-08-01');
    // What `paperbot stats` and the log say about a re-dated page is its new date.
    expect(ing.state().issues.find((i) => i.file === join(dir, 'a.txt'))?.message).toMatch(/read as 2024-12-10/);
  });
});
