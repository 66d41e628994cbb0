import { describe, expect, it } from 'vitest';
import { americanSpelling } from '../../src/index/spelling.js';
import { toTerm } from '../../src/index/terms.js';

describe('British spellings', () => {
  it.each([
    ['optimisation', 'optimization'],
    ['colourisation', 'colorization'],
    ['quantised', 'quantized'],
    ['tokenisers', 'tokenizers'],
    ['modelling', 'modeling'],
    ['labelled', 'labeled'],
    ['behavioural', 'behavioral'],
    ['analysed', 'analyzed'],
    ['centre', 'center'],
  ])('“%s” is indexed as “%s” is', (british, american) => {
    expect(americanSpelling(british)).toBe(americanSpelling(american));
    expect(toTerm(british)).toBe(toTerm(american));
  });

  it.each([
    ['precise', 'precision'],
    ['exercises', 'exercise'],
    ['supervised', 'supervise'],
    ['surprising', 'surprise'],
  ])('leaves words that only look British alone: “%s” still meets “%s”', (word, relative) => {
    expect(americanSpelling(word)).toBe(word);
    expect(toTerm(word)).toBe(toTerm(relative));
  });
});
