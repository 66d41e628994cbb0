import { describe, expect, it } from 'vitest';
import { editDistance, editDistanceAtMost } from '../../src/text/editDistance.js';

describe('bounded edit distance', () => {
  it('agrees with the full distance whenever that is within the bound, and is undefined otherwise', () => {
    const words = ['t-91e2b2567c', 't-91e2b2567', 't-91e2b2576c', 't-91e2b2567d', '2511.05271', '2511.05217', '2511.0527', 'syn-12345', '', 'a', 'ab', 'ba', 'kitten', 'sitting', 'ünïcode', 'unicode'];
    let within = 0;
    for (const a of words) {
      for (const b of words) {
        const full = editDistance(a, b);
        for (const max of [0, 1, 2, 3]) {
          expect(editDistanceAtMost(a, b, max), `${a} ${b} ${max}`).toBe(full <= max ? full : undefined);
          if (full <= max) within++;
        }
      }
    }
    expect(within).toBeGreaterThan(words.length * 4);
  });
});
