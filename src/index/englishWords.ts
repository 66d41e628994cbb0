import { readFileSync } from 'node:fs';
import wordListPath from 'word-list';

/**
 * Whether a lower-cased word is an English dictionary word. A query word the papers never use
 * but the dictionary knows ("bread", "cooking") is what the user meant, not a slip of the keys:
 * it is not corrected to the nearest word papers use ("broad", "looking").
 */
export function isEnglishWord(word: string): boolean {
  words ??= new Set(readFileSync(wordListPath, 'utf8').split('\n'));
  return words.has(word);
}

let words: Set<string> | undefined;
