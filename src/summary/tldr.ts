import type { Paper } from '../model/paper.js';
import { toTerms } from '../index/terms.js';
import { splitSentences, type Sentence } from '../text/sentences.js';
import { truncate } from '../text/truncate.js';

/** A sentence of the abstract with its offset there: every TL;DR line is traceable to it. */
export type TldrSentence = Sentence;

/** Phrases that introduce what a paper does or found; those sentences carry the gist. */
const CUE = /\b(we (propose|present|introduce|develop|show|find|demonstrate|design)|this (paper|work)|our (method|approach|model|results?)|achiev|outperform|improv|reduc|speed ?up|faster)/i;
const MAX_SENTENCES = 3;

/**
 * A TL;DR of two or three sentences picked verbatim from the abstract: the ones that say what
 * the paper does and what it found, weighted by how central their words are to the abstract.
 * Sentences stay in abstract order so the summary reads as prose.
 */
export function tldr(paper: Paper, max = MAX_SENTENCES): TldrSentence[] {
  const sentences = splitSentences(paper.abstract).filter((s) => s.text.length > 0);
  if (sentences.length <= max) return sentences;
  const freq = new Map<string, number>();
  for (const s of sentences) for (const t of new Set(toTerms(s.text))) freq.set(t, (freq.get(t) ?? 0) + 1);
  const titleTerms = new Set(toTerms(paper.title));
  const scored = sentences.map((s, i) => {
    const terms = toTerms(s.text);
    if (terms.length === 0) return { s, i, score: -Infinity };
    const centrality = terms.reduce((sum, t) => sum + (freq.get(t) ?? 0) - 1, 0) / Math.sqrt(terms.length);
    const titleOverlap = terms.filter((t) => titleTerms.has(t)).length;
    const cue = CUE.test(s.text) ? 2 : 0;
    const results = /\d/.test(s.text) && /(%|×|x faster|times|points?|accuracy|speedup)/i.test(s.text) ? 1 : 0;
    const tooLong = s.text.length > 400 ? -2 : 0;
    return { s, i, score: centrality + titleOverlap + cue + results + tooLong };
  });
  return scored
    .sort((a, b) => b.score - a.score)
    .slice(0, max)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.s);
}

/** One line for lists: the API's own one-line summary when there is one, else the key sentence. */
export function firstSentence(paper: Paper, maxChars = 240): string {
  if (paper.aiSummary) return truncate(paper.aiSummary, maxChars);
  return truncate(tldr(paper, 1)[0]?.text ?? '', maxChars);
}
