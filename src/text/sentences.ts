export interface Sentence {
  text: string;
  /** Character offset in the source text, so every quoted sentence is traceable. */
  offset: number;
}

/**
 * A sentence runs to a `.`, `!` or `?` followed by a space and a capital, digit or bracket (or the
 * end). Full stops inside numbers ("2.11x"), before lower-case words, and in "e.g." / "et al."
 * do not end it.
 */
const SENTENCE = /(?:\b(?:e\.g|i\.e|et al|vs|Fig|Eq|approx|cf)\.|[^.!?]|[.!?](?!\s+[A-Z(\d"“]|\s*$))+(?:[.!?]+(?=\s+[A-Z(\d"“]|\s*$)|$)/g;

export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  for (const m of text.matchAll(SENTENCE)) {
    const raw = m[0];
    if (!raw.trim()) continue;
    const lead = raw.length - raw.trimStart().length;
    out.push({ text: raw.trim(), offset: m.index! + lead });
  }
  return out.length > 0 ? out : [{ text: text.trim(), offset: 0 }];
}
