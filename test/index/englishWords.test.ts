import { describe, expect, it } from 'vitest';
import { isEnglishWord, SortedWords } from '../../src/index/englishWords.js';

describe('isEnglishWord', () => {
  it('knows dictionary words and not the words of papers or slips of the keys', () => {
    for (const word of ['bread', 'cooking', 'broad', 'routing', 'aa', 'zzzs']) expect(isEnglishWord(word), word).toBe(true);
    for (const word of ['tranformer', 'qwen', 'llama3', '', 'zzzzz', 'a-b']) expect(isEnglishWord(word), word).toBe(false);
  });
});

describe('SortedWords', () => {
  it('finds every word of a list, those out of order in the file too, and nothing else', () => {
    const list = ['apple', 'banana', 'zebra', 'cherry', 'date', 'date', 'elder', 'aardvark', 'fig'];
    const words = SortedWords.of(`${list.join('\n')}\n`);
    for (const word of list) expect(words.has(word), word).toBe(true);
    for (const word of ['', 'appl', 'apples', 'b', 'coconut', 'zz', 'a']) expect(words.has(word), word).toBe(false);
  });

  it('copes with an empty list and one word', () => {
    expect(SortedWords.of('').has('a')).toBe(false);
    expect(SortedWords.of('solo').has('solo')).toBe(true);
  });
});
