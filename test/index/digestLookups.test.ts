import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DigestLookups } from '../../src/index/digestLookups.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import { openSqliteIndex, writeSqliteIndex } from '../../src/index/sqliteIndexFile.js';
import { toTerms } from '../../src/index/terms.js';
import type { Paper } from '../../src/model/paper.js';
import { loadDigests } from '../../src/parser/loadDigests.js';
import { CORPUS_DIR } from '../helpers/fixtures.js';

let tmp: string;
const pairs: { label: string; papers: Paper[]; memory: DigestLookups; file: DigestLookups; close: () => void }[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'paperbot-digest-lookups-'));
  const seeds = await loadDigests(['seeds'], { today: '2025-12-31', digestYear: 2025 });
  const corpus = await loadDigests([CORPUS_DIR], { today: '2026-08-24' });
  for (const [label, load] of [
    ['seeds', seeds],
    ['corpus sample', corpus],
  ] as const) {
    const dates = load.digests.map((d) => d.date);
    const path = join(tmp, `${pairs.length}.sqlite`);
    writeSqliteIndex(path, load.papers, dates, null);
    const fromFile = openSqliteIndex(path).index;
    pairs.push({ label, papers: load.papers, memory: PaperIndex.build(load.papers, dates).digestLookups(), file: fromFile.digestLookups(), close: () => fromFile.close() });
  }
});
afterAll(async () => {
  for (const p of pairs) p.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('the digest lookups of the SQLite catalog, against the in-memory one', () => {
  it('give the same days, and for each the same papers in page order and the same count', () => {
    expect(pairs).toHaveLength(2);
    for (const { label, papers, memory, file } of pairs) {
      const days = memory.appearanceDays();
      expect(days.length).toBeGreaterThan(3);
      expect(file.appearanceDays(), label).toEqual(days);
      expect(days).toEqual([...new Set(papers.flatMap((p) => p.digests.map((d) => d.date)))].sort());
      for (const day of days) {
        const list = memory.dayPapers(day);
        expect(list.length).toBeGreaterThan(0);
        expect(file.dayPapers(day), `${label} ${day}`).toEqual(list);
        expect(file.windowCount(day, day)).toBe(list.length);
        // Page order: by the rank each paper is first listed at that day.
        const ranks = list.map((n) => papers[n]!.digests.find((d) => d.date === day)!.rank);
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      }
      expect(file.windowCount(days[0]!, days.at(-1)!)).toBe(memory.windowCount(days[0]!, days.at(-1)!));
      expect(file.windowCount(days[0]!, days.at(-1)!)).toBe(papers.filter((p) => p.digests.length > 0).length);
    }
  });

  it('give the same papers by people terms, organisations, dates and author lists', () => {
    for (const { label, papers, memory, file } of pairs) {
      const keepAll = () => true;
      const some = papers.filter((p) => p.organization || p.authors.length > 0).slice(0, 60);
      const groups = some.map((p) => toTerms([p.organization?.name ?? '', ...p.authors.slice(0, 1)].join(' ')).map((t) => [t]));
      let found = 0;
      for (const g of [...groups, [['nvidia', 'bytedanc']], [['nosuchnameanywher']]]) {
        const expected = memory.withPeopleTerms(g, keepAll);
        expect(file.withPeopleTerms(g, keepAll), `${label} ${JSON.stringify(g)}`).toEqual(expected);
        if (expected.length > 0) found++;
      }
      if (some.length > 0) expect(found).toBeGreaterThanOrEqual(groups.filter((g) => g.length > 0).length);
      const firstAuthor = (authors: readonly string[]) => authors[0]?.startsWith('A') ?? false;
      expect(file.withPeopleTerms([], firstAuthor)).toEqual(memory.withPeopleTerms([], firstAuthor));
      expect(file.unusualPeopleTerms().sort()).toEqual(memory.unusualPeopleTerms().sort());
      expect(file.organisations(0, papers.length)).toEqual(memory.organisations(0, papers.length));
      expect(file.organisations(5, 40)).toEqual(memory.organisations(5, 40));
      expect([...file.authorLists()]).toEqual([...memory.authorLists()]);
      const numbers = [7, 3, 0, papers.length - 1];
      expect(file.datesOf(numbers)).toEqual(memory.datesOf(numbers));
      expect(memory.datesOf(numbers).map((d) => d.dates)).toEqual(numbers.map((n) => papers[n]!.digests.map((d) => d.date)));
    }
  });
});
