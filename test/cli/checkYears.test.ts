import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { runCliCaptured } from '../helpers/cli.js';
import { SEEDS_DIR } from '../helpers/seeds.js';

/** The day the issue was seen on: Nov 13 is this year's, Dec 10 last year's, by the calendar alone. */
const clock = new FixedClock(new Date('2026-12-01T12:00:00Z'));
const check = (path: string) => runCliCaptured(['check', path], {}, clock);
const page = (date: string, title: string) => `Daily Papers\n\n${date}\n\n${title}\n\nWe study a problem. We propose a method.\n\n  • 2 authors\n·\nAug 20\n`;

describe('paperbot check and digest years', () => {
  it('says how each seed page got its year: from the years it prints', async () => {
    const { code, out, err } = await check(SEEDS_DIR);
    expect(code).toBe(0);
    for (const [file, date] of [
      ['000_d79c0fbeffbda81e.txt', '2025-12-10'],
      ['001_5094fac457fca0e8.txt', '2025-12-09'],
      ['002_15604a13c41670b5.txt', '2025-11-13'],
      ['003_91c9394d37881a92.txt', '2025-11-10'],
    ]) {
      expect(out).toContain(`${file}:11: warning: page date`);
      expect(out).toMatch(new RegExp(`${file}:11: .* read as ${date} \\(the year after the latest year the page prints, 2024\\)`));
    }
    expect(err).not.toMatch(/clock/);
  });

  it("says which pages print no year and were dated from today's clock, one year for all", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperbot-check-years-'));
    writeFileSync(join(dir, 'a.txt'), page('Dec 10', 'Paper A'));
    writeFileSync(join(dir, 'b.txt'), page('Nov 13', 'Paper B'));
    const { code, out, err } = await check(dir);
    expect(code).toBe(0);
    expect(out).toContain(`${join(dir, 'a.txt')}:3: warning: page date "Dec 10" has no year: read as 2025-12-10 (the page prints no year: taken from today's date`);
    expect(out).toContain(`${join(dir, 'b.txt')}:3: warning: page date "Nov 13" has no year: read as 2025-11-13 (the page prints no year: taken from today's date`);
    expect(err).toContain("2 pages print no year at all, dated from today's clock (set DIGEST_YEAR if wrong)");
  });
});
