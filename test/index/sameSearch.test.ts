import { describe, expect, it } from 'vitest';
import { sameSearch } from '../../src/index/engine.js';

describe('sameSearch', () => {
  it('a term in any-words is the same search as a group of that one term', () => {
    expect(sameSearch({ any: [{ term: 'lora' }] }, { any: [], allOf: [[{ term: 'lora' }]] })).toBe(true);
  });

  it('a group of two terms, another term, or the same term as a prefix is another search', () => {
    const one = { any: [{ term: 'lora' }] };
    expect(sameSearch(one, { any: [], allOf: [[{ term: 'lora' }, { term: 'adapt' }]] })).toBe(false);
    expect(sameSearch(one, { any: [], allOf: [[{ term: 'rlhf' }]] })).toBe(false);
    expect(sameSearch(one, { any: [], allOf: [[{ term: 'lora', prefix: true }]] })).toBe(false);
    expect(sameSearch(one, { any: [{ term: 'lora', boost: 2 }] })).toBe(false);
  });
});
