import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDigests } from '../../src/parser/loadDigests.js';
import { parseDigestText } from '../../src/parser/digestText.js';
import { titleKey } from '../../src/parser/text.js';
import { CORPUS_DIR, RAW_DIR, SEEDS_DIR, TODAY, loadSeeds, readSeed, seedFiles } from '../helpers/seeds.js';

describe('loading a folder of digests', () => {
  it('merges the seeds into 204 papers; a paper in several digests keeps every appearance', async () => {
    const load = await loadSeeds();
    expect(load.papers).toHaveLength(204);
    expect(load.digests.map((d) => d.entries).reduce((a, b) => a + b, 0)).toBe(216);
    const perFile = seedFiles().map((f) => parseDigestText(f, readSeed(f), { today: TODAY }).papers);
    const seen = new Map<string, number>();
    for (const papers of perFile) for (const p of papers) seen.set(titleKey(p.title), (seen.get(titleKey(p.title)) ?? 0) + 1);
    for (const paper of load.papers) expect(paper.digests).toHaveLength(seen.get(titleKey(paper.title))!);
    expect(load.papers.filter((p) => p.digests.length > 1).length).toBe(216 - 204);
  });

  it('gives a paper the same id on every run and in every file', async () => {
    const again = await loadDigests([SEEDS_DIR], { today: TODAY });
    expect(again.papers.map((p) => p.id)).toEqual((await loadSeeds()).papers.map((p) => p.id));
  });

  it('loads good files next to bad ones, reporting each bad one by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperbot-load-'));
    copyFileSync(join(SEEDS_DIR, seedFiles()[0]!), join(dir, 'good.txt'));
    copyFileSync(join(RAW_DIR, '2025-11-10.json'), join(dir, '2025-11-10.json'));
    copyFileSync(join(RAW_DIR, '2024-12-11.json'), join(dir, '2024-12-11.json'));
    writeFileSync(join(dir, 'empty.txt'), '');
    writeFileSync(join(dir, 'junk.txt'), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 31) % 256)));
    writeFileSync(join(dir, 'notes.md'), 'not a digest');
    const load = await loadDigests([dir], { today: TODAY });
    const good = parseDigestText('good.txt', readSeed(seedFiles()[0]!), { today: TODAY }).papers.length;
    const api = (JSON.parse(readFileSync(join(RAW_DIR, '2025-11-10.json'), 'utf8')) as unknown[]).length;
    expect(load.papers.length).toBe(good + api);
    const errors = load.issues.filter((i) => i.severity === 'error').map((i) => i.file.replace(dir, '<dir>'));
    expect(errors.sort()).toEqual(['<dir>/2024-12-11.json', '<dir>/empty.txt', '<dir>/junk.txt']);
    expect(load.files.sort()).toEqual(['2024-12-11.json', '2025-11-10.json', 'empty.txt', 'good.txt', 'junk.txt']);
  });

  it('folds a scraped entry and the API entry of the same paper into one, keeping the arXiv id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperbot-merge-'));
    const api = JSON.parse(readFileSync(join(RAW_DIR, '2025-11-10.json'), 'utf8')) as { paper: { id: string; title: string; upvotes: number } }[];
    const first = api[0]!.paper;
    const page = `Daily Papers\n\nbyAK and the research community\n\nNov 9, 2025\n\n${first.title.toUpperCase()}\n\nSome abstract text. It is long enough.\n\n  • 3 authors\n·\nNov 7 2\n`;
    writeFileSync(join(dir, 'page.txt'), page);
    copyFileSync(join(RAW_DIR, '2025-11-10.json'), join(dir, '2025-11-10.json'));
    const load = await loadDigests([dir], { today: TODAY });
    const merged = load.papers.filter((p) => titleKey(p.title) === titleKey(first.title));
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ id: first.id, arxivId: first.id, upvotes: first.upvotes, authorCount: 3 });
    expect(merged[0]!.digests.map((d) => d.date)).toEqual(['2025-11-09', '2025-11-10']);
  });

  it('reads a corpus with its daily listings: every paper of papers.jsonl, each listed on a day', async () => {
    const lines = readFileSync(join(CORPUS_DIR, 'papers.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(3000);
    const load = await loadDigests([join(CORPUS_DIR, 'papers.jsonl')], { today: TODAY });
    expect(load.papers).toHaveLength(lines.length);
    expect(load.issues).toEqual([]);
    expect(load.papers.every((p) => p.digests.length > 0)).toBe(true);
  });

  it('skips a bad corpus line, naming it, and keeps the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperbot-corpus-'));
    const lines = readFileSync(join(CORPUS_DIR, 'papers.jsonl'), 'utf8').split('\n').slice(0, 5);
    lines.splice(2, 0, '{"id": "broken", ', '{"title": "no id"}');
    writeFileSync(join(dir, 'papers.jsonl'), lines.join('\n'));
    const load = await loadDigests([dir], { today: TODAY });
    expect(load.papers).toHaveLength(5);
    expect(load.issues.map((i) => [i.line, i.severity])).toEqual([
      [3, 'error'],
      [4, 'error'],
    ]);
  });

  it('reads the seed pages as rendered in 2025 on any later day: their entries print 2024 and older', async () => {
    for (const today of ['2025-12-31', '2026-11-23', '2026-12-01', '2031-06-01']) {
      const load = await loadDigests([SEEDS_DIR], { today });
      expect(
        load.digests.map((d) => d.date),
        today,
      ).toEqual(['2025-11-10', '2025-11-13', '2025-12-09', '2025-12-10']);
      const published = load.papers.flatMap((p) => (p.published ? [p.published] : []));
      expect(published.length).toBeGreaterThan(150);
      expect(
        published.filter((d) => d > '2025-12-10'),
        today,
      ).toEqual([]);
      expect(load.clockDated).toEqual([]);
    }
  });

  it('never splits a set of pages without printed years across years by the calendar alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperbot-years-'));
    const page = (date: string, title: string) => `Daily Papers\n\n${date}\n\n${title}\n\nWe study a problem. We propose a method.\n\n  • 2 authors\n·\nAug 20\n`;
    writeFileSync(join(dir, 'a.txt'), page('Dec 10', 'Paper A'));
    writeFileSync(join(dir, 'b.txt'), page('Nov 13', 'Paper B'));
    // On Dec 1, each alone would be Dec 10 of last year and Nov 13 of this one.
    const alone = await loadDigests([dir], { today: '2026-12-01' });
    expect(alone.digests.map((d) => d.date)).toEqual(['2025-11-13', '2025-12-10']);
    expect(alone.clockDated.sort()).toEqual([join(dir, 'a.txt'), join(dir, 'b.txt')]);
    expect(alone.issues.filter((i) => /taken from today's date/.test(i.message))).toHaveLength(2);
    // A page with evidence dates the others of its set.
    writeFileSync(join(dir, 'c.txt'), page('Nov 10', 'Paper C').replace('Aug 20', 'Apr 29, 2023'));
    const withEvidence = await loadDigests([dir], { today: '2026-12-01' });
    expect(withEvidence.digests.map((d) => d.date)).toEqual(['2024-11-10', '2024-11-13', '2024-12-10']);
    expect(withEvidence.papers.find((p) => p.title === 'Paper B')!.published).toBe('2024-08-20');
  });

  it('reports a folder that does not exist instead of failing', async () => {
    const load = await loadDigests(['/nonexistent/digests'], { today: TODAY });
    expect(load.papers).toEqual([]);
    expect(load.issues[0]).toMatchObject({ file: '/nonexistent/digests', message: expect.stringMatching(/cannot read: ENOENT/) });
  });
});
