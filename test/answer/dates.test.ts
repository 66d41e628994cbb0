import { describe, expect, it } from 'vitest';
import { findDateRef, resolveWindow } from '../../src/answer/dates.js';
import { humanDate } from '../../src/time/days.js';

const TODAY = '2026-11-23';
const SEED_DAYS = ['2025-12-09', '2025-12-10', '2026-11-10', '2026-11-13'];

describe('date phrases in questions', () => {
  it.each([
    ['what came out on Dec 10?', '2025-12-10'],
    ['papers from December 9th', '2025-12-09'],
    ['what came out on Nov 10?', '2026-11-10'],
    ['anything on 13 Nov', '2026-11-13'],
    ['papers on 2025-12-09', '2025-12-09'],
    ['papers on Dec 10, 2024', '2024-12-10'],
  ])('%s → %s (latest such day not after today)', (question, date) => {
    expect(findDateRef(question, TODAY)?.ref).toMatchObject({ kind: 'day', date });
  });

  it('ignores impossible dates and words that only look like months', () => {
    expect(findDateRef('papers on Feb 30', TODAY)).toBeUndefined();
    expect(findDateRef('what may improve inference?', TODAY)).toBeUndefined();
  });

  it('removes the phrase from the question', () => {
    expect(findDateRef('kv cache papers from Nov 10?', TODAY)?.rest).toBe('kv cache papers ?');
  });

  it('ends "today" and "this week" at the latest digest, saying so when today has none', () => {
    const today = resolveWindow(findDateRef('how many today', TODAY)!.ref, TODAY, SEED_DAYS, humanDate)!;
    expect(today).toMatchObject({ from: '2026-11-13', to: '2026-11-13' });
    expect(today.movedFrom).toContain('no digest for today');
    const week = resolveWindow(findDateRef('this week', TODAY)!.ref, TODAY, SEED_DAYS, humanDate)!;
    expect(week).toMatchObject({ from: '2026-11-07', to: '2026-11-13' });
    const lastWeek = resolveWindow(findDateRef('last week', TODAY)!.ref, TODAY, SEED_DAYS, humanDate)!;
    expect(lastWeek).toMatchObject({ from: '2026-10-31', to: '2026-11-06' });
  });

  it('uses today itself when it has a digest', () => {
    expect(resolveWindow({ kind: 'today' }, '2025-12-10', SEED_DAYS, humanDate)).toMatchObject({ from: '2025-12-10', to: '2025-12-10', label: 'today (Dec 10, 2025)' });
  });
});
