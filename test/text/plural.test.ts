import { describe, expect, it } from 'vitest';
import { countForm, plural } from '../../src/text/plural.js';

describe('plural', () => {
  it.each([
    [0, 'paper', '0 papers'],
    [1, 'paper', '1 paper'],
    [2, 'paper', '2 papers'],
    [1204, 'paper', '1,204 papers'],
  ])('%i %s reads "%s"', (n, word, expected) => {
    expect(plural(n, word)).toBe(expected);
  });

  it('takes an irregular plural', () => {
    expect(plural(2, 'reply', 'replies')).toBe('2 replies');
    expect(plural(1, 'reply', 'replies')).toBe('1 reply');
  });

  it('gives the verb that agrees with a count', () => {
    expect(`${plural(1, 'paper')} ${countForm(1, 'matches', 'match')}`).toBe('1 paper matches');
    expect(`${plural(3, 'paper')} ${countForm(3, 'matches', 'match')}`).toBe('3 papers match');
  });
});
