import { editDistance } from '../text/editDistance.js';
import type { Postings } from './postings.js';
import { tokenize, toTerm } from './terms.js';

/** Papers read per field for the words behind an index term: a few show how it is spelled. */
const SAMPLE = 8;

/**
 * The real word closest to `word`, a word the index does not know (`term` is its index term).
 * Index terms are stems ("diffus", "quantiz"), so each index term a few typos away from `term`,
 * or starting with it, stands for the words papers wrote with it ("diffusion", "diffused"), and
 * the one fewest edits from what the user typed wins (`distanceOf`, edits by default); ties go
 * to the word more papers use. `textOf(doc, field)` is a paper's text in an indexed field.
 */
export function closestWord(
  postings: Postings,
  word: string,
  term: string,
  textOf: (doc: number, field: number) => string,
  distanceOf: (a: string, b: string) => number = editDistance,
): string | undefined {
  const candidates = new Set(postings.fuzzy(term, Math.min(3, Math.round(term.length * 0.4))).keys());
  const [from, to] = postings.prefixRange(term);
  for (let id = from; id < to; id++) candidates.add(id);
  const fields = Array.from({ length: postings.data.fieldCount }, (_, f) => f);
  let best: { word: string; distance: number; papers: number } | undefined;
  for (const id of candidates) {
    const papers = postings.docFrequency(id, fields);
    for (const written of writtenWords(postings, id, textOf)) {
      // The word itself, in the few papers that use it, is no correction.
      if (written === word) continue;
      const distance = distanceOf(word, written);
      if (!best || distance < best.distance || (distance === best.distance && papers > best.papers)) best = { word: written, distance, papers };
    }
  }
  return best?.word;
}

/** The words (lower-cased) a few papers wrote that became index term `termId`, from the first field that has it. */
function writtenWords(postings: Postings, termId: number, textOf: (doc: number, field: number) => string): Set<string> {
  const term = postings.term(termId);
  const words = new Set<string>();
  for (let field = 0; field < postings.data.fieldCount && words.size === 0; field++) {
    const [start, end] = postings.range(termId, field);
    for (const doc of postings.data.docs.subarray(start, Math.min(end, start + SAMPLE))) {
      // Postings still in the file are checked only once loaded whole: never trust a number past the end.
      if (doc >= postings.docCount) continue;
      for (const token of tokenize(textOf(doc, field))) {
        // Stemming leaves a word's first letter alone: most tokens are ruled out without it.
        if (token[0]!.toLowerCase() === term[0] && toTerm(token) === term) words.add(token.toLowerCase());
      }
    }
  }
  return words;
}
