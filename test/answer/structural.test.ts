import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Answerer } from '../../src/answer/answerer.js';
import { FixedClock } from '../../src/clock.js';
import { PaperLibrary } from '../../src/index/library.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import { openSqliteIndex, writeSqliteIndex } from '../../src/index/sqliteIndexFile.js';
import type { Paper } from '../../src/model/paper.js';
import { loadDigests } from '../../src/parser/loadDigests.js';
import { CORPUS_DIR } from '../helpers/fixtures.js';
import { structuralQuestions } from './structuralQuestions.js';

let tmp: string;
const cases: { label: string; papers: Paper[]; today: string; memory: Answerer; file: Answerer; close: () => void }[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'paperbot-structural-'));
  for (const [label, dir, today] of [
    ['seeds', 'seeds', '2026-11-23'],
    ['corpus sample', CORPUS_DIR, '2026-08-24'],
  ] as const) {
    const load = await loadDigests([dir], { today });
    const dates = load.digests.map((d) => d.date);
    const path = join(tmp, `${cases.length}.sqlite`);
    writeSqliteIndex(path, load.papers, dates, null);
    const fromFile = openSqliteIndex(path).index;
    const clock = new FixedClock(new Date(`${today}T10:00:00Z`));
    cases.push({
      label,
      papers: load.papers,
      today,
      memory: new Answerer(new PaperLibrary(PaperIndex.build(load.papers, dates)), clock),
      file: new Answerer(new PaperLibrary(fromFile), clock),
      close: () => fromFile.close(),
    });
  }
});
afterAll(async () => {
  for (const c of cases) c.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('structural answers (days, organisations, authors)', () => {
  it('are the same on the SQLite engine as on the in-memory one, word for word, with the same papers cited', () => {
    expect(cases).toHaveLength(2);
    for (const { label, papers, today, memory, file } of cases) {
      const questions = structuralQuestions(papers, today);
      let listed = 0;
      for (const q of questions) {
        const a = memory.extractive(q);
        if (a.kind !== 'facts') continue;
        const b = file.extractive(q);
        expect({ lines: b.lines, cites: b.citations.map((p) => p.id) }, `${label}: ${q}`).toEqual({ lines: a.lines, cites: a.citations.map((p) => p.id) });
        if (a.citations.length > 0) listed++;
      }
      expect(listed, label).toBeGreaterThan(questions.length / 4);
    }
  });
});
