import { readFileSync } from 'node:fs';
import wordListPath from 'word-list';

/**
 * Whether a lower-cased word is an English dictionary word. A query word the papers never use
 * but the dictionary knows ("bread", "cooking") is what the user meant, not a slip of the keys:
 * it is not corrected to the nearest word papers use ("broad", "looking").
 */
export function isEnglishWord(word: string): boolean {
  words ??= SortedWords.of(readFileSync(wordListPath, 'utf8'));
  return words.has(word);
}

let words: SortedWords | undefined;

/**
 * A word list (one word a line, sorted) looked up by binary search in its own text: a Set of
 * its quarter million words would take ten times the memory and longer to fill. A word out of
 * order in the file is kept aside, so the search only ever runs over sorted lines.
 */
export class SortedWords {
  private constructor(
    private readonly text: string,
    /** Where each sorted line starts in `text`. */
    private readonly starts: Uint32Array,
    private readonly count: number,
    private readonly outOfOrder: ReadonlySet<string>,
  ) {}

  static of(text: string): SortedWords {
    let lines = 1;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
    const starts = new Uint32Array(lines);
    const outOfOrder = new Set<string>();
    let count = 0;
    let last = '';
    for (let start = 0; start <= text.length; ) {
      const newline = text.indexOf('\n', start);
      const end = newline < 0 ? text.length : newline;
      const word = text.slice(start, end);
      if (word > last) {
        starts[count++] = start;
        last = word;
      } else if (word !== '') {
        outOfOrder.add(word);
      }
      start = end + 1;
    }
    return new SortedWords(text, starts, count, outOfOrder);
  }

  has(word: string): boolean {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const line = this.line(mid);
      if (line === word) return true;
      if (line < word) lo = mid + 1;
      else hi = mid - 1;
    }
    return this.outOfOrder.has(word);
  }

  private line(i: number): string {
    const start = this.starts[i]!;
    const newline = this.text.indexOf('\n', start);
    return this.text.slice(start, newline < 0 ? this.text.length : newline);
  }
}
