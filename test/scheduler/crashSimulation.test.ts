import { describe, expect, it } from 'vitest';
import { loadSeeds } from '../helpers/seeds.js';
import { simulateCrashes } from './crashSimulation.js';
import { tempDataDir } from './harness.js';

describe('seeded crash simulation', () => {
  it('over 40 days with a crash or a flaky answer each day, every due post is in each channel exactly once, with its whole thread', async () => {
    const temp = tempDataDir();
    try {
      const report = await simulateCrashes({ seed: 15, days: 40, file: temp.file, seeds: (await loadSeeds()).papers });
      const crashes = Object.entries(report.crashes).filter(([kind]) => kind !== 'none');
      expect(crashes.every(([, n]) => n > 0)).toBe(true);
      expect(crashes.reduce((sum, [, n]) => sum + n, 0)).toBeGreaterThanOrEqual(25);
      expect(report.platforms.map((p) => p.platform)).toEqual(['slack', 'discord']);
      for (const p of report.platforms) {
        expect(p).toEqual({ platform: p.platform, due: 40, exactlyOnce: 40, duplicated: 0, missing: 0, wrongContent: 0, threadsComplete: 40, threadRepliesDuplicated: 0 });
      }
    } finally {
      temp.cleanup();
    }
  }, 60_000);
});
