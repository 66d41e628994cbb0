import { editDistance } from '../text/editDistance.js';
import { FIELDS, type Field, type SearchEngine } from './engine.js';
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
  engine: SearchEngine,
  word: string,
  term: string,
  textOf: (doc: number, field: Field) => string,
  distanceOf: (a: string, b: string) => number = editDistance,
): string | undefined {
  const candidates = new Set(engine.termsNear(term, Math.min(3, Math.round(term.length * 0.4))).keys());
  for (const t of engine.termsWithPrefix(term)) candidates.add(t);
  let best: { word: string; distance: number; papers: number } | undefined;
  for (const candidate of candidates) {
    const papers = engine.documentFrequency(candidate);
    for (const written of writtenWords(engine, candidate, textOf)) {
      // The word itself, in the few papers that use it, is no correction.
      if (written === word) continue;
      const distance = distanceOf(word, written);
      if (!best || distance < best.distance || (distance === best.distance && papers > best.papers)) best = { word: written, distance, papers };
    }
  }
  return best?.word;
}

/** The words (lower-cased) a few papers wrote that became index term `term`, from the first field that has it. */
function writtenWords(engine: SearchEngine, term: string, textOf: (doc: number, field: Field) => string): Set<string> {
  const words = new Set<string>();
  for (const field of FIELDS) {
    if (words.size > 0) break;
    for (const doc of engine.documentsWith(term, field, SAMPLE)) {
      for (const token of tokenize(textOf(doc, field))) {
        // Stemming leaves a word's first letter alone: most tokens are ruled out without it.
        if (token[0]!.toLowerCase() === term[0] && toTerm(token) === term) words.add(token.toLowerCase());
      }
    }
  }
  return words;
}
