import { TOKEN_SPLIT, toTerms } from './terms.js';

/**
 * Acronyms learned from the corpus itself: a text saying "Mixture-of-Experts (MoE)" teaches
 * that `moe` and "mixture of experts" mean the same thing, in both directions.
 * The matcher is the Schwartz–Hearst algorithm: each acronym letter, right to left, must be
 * found in the words before the parenthesis, and the first letter must start a word.
 */

export interface AcronymTable {
  /** acronym (lower case) → expansion phrases (lower case words), most frequent first. */
  expansions: Map<string, string[]>;
}

const PAREN = /\(([A-Za-z][A-Za-z0-9-]{1,11})\)/g;
const MAX_EXPANSIONS = 3;

export function learnAcronyms(texts: Iterable<string>): AcronymTable {
  const counts = new Map<string, Map<string, number>>();
  const all = [...texts];
  for (const text of all) {
    for (const m of text.matchAll(PAREN)) {
      const short = m[1]!;
      if ((short.match(/[A-Z]/g)?.length ?? 0) < 2) continue;
      const letters = short.replace(/s$/, '').replace(/[^A-Za-z0-9]/g, '');
      if (letters.length < 2) continue;
      const before = text.slice(Math.max(0, m.index! - 160), m.index!);
      const long = matchLongForm(letters, before);
      if (!long) continue;
      const key = letters.toLowerCase();
      const phrase = long
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, ' ')
        .trim();
      if (phrase.split(' ').length < 2) continue;
      let byPhrase = counts.get(key);
      if (!byPhrase) counts.set(key, (byPhrase = new Map()));
      byPhrase.set(phrase, (byPhrase.get(phrase) ?? 0) + 1);
    }
  }
  const expansions = new Map<string, string[]>();
  for (const [acronym, byPhrase] of counts) {
    const seen = new Set<string>();
    const list: string[] = [];
    for (const [phrase] of [...byPhrase].sort((a, b) => b[1] - a[1])) {
      const key = toTerms(phrase).join(' ');
      if (key.split(' ').length < 2 || seen.has(key)) continue;
      seen.add(key);
      list.push(phrase);
      if (list.length === MAX_EXPANSIONS) break;
    }
    if (list.length > 0) expansions.set(acronym, list);
  }
  for (const word of plainWords(expansions, all)) expansions.delete(word);
  return { expansions };
}

/**
 * Acronyms that the texts mostly use as ordinary lower-case words ("CoDe" once, "code"
 * everywhere): expanding them would turn every query about code into one about "collaborative
 * decoding".
 */
function plainWords(expansions: ReadonlyMap<string, string[]>, texts: readonly string[]): string[] {
  const plain = new Map<string, number>();
  const styled = new Map<string, number>();
  for (const text of texts) {
    for (const token of text.split(TOKEN_SPLIT)) {
      const lower = token.toLowerCase();
      if (!expansions.has(lower)) continue;
      const tally = token === lower ? plain : styled;
      tally.set(lower, (tally.get(lower) ?? 0) + 1);
    }
  }
  return [...expansions.keys()].filter((a) => (plain.get(a) ?? 0) > (styled.get(a) ?? 0));
}

/** Schwartz–Hearst: the shortest tail of `before` whose letters spell the acronym in order. */
export function matchLongForm(acronym: string, before: string): string | undefined {
  const words = before.trimEnd().split(/\s+/);
  const maxWords = Math.min(acronym.length + 5, acronym.length * 2);
  const candidate = words.slice(-maxWords).join(' ');
  const short = acronym.toLowerCase();
  const long = candidate.toLowerCase();
  let s = short.length - 1;
  let l = long.length - 1;
  while (s >= 0) {
    const c = short[s]!;
    if (!/[a-z0-9]/.test(c)) {
      s--;
      continue;
    }
    while (l >= 0 && (long[l] !== c || (s === 0 && l > 0 && /[a-z0-9]/.test(long[l - 1]!)))) l--;
    if (l < 0) return undefined;
    l--;
    s--;
  }
  const start = long.lastIndexOf(' ', l) + 1;
  const result = candidate.slice(start).trim();
  // The long form must be longer than the acronym and not swallow a whole sentence.
  if (result.length <= acronym.length || /[.;:]/.test(result)) return undefined;
  return result;
}

export function tableToJSON(table: AcronymTable): Record<string, string[]> {
  return Object.fromEntries(table.expansions);
}

export function tableFromJSON(json: Record<string, string[]>): AcronymTable {
  return { expansions: new Map(Object.entries(json)) };
}
