import type { Paper } from '../model/paper.js';
import { toTerms } from '../index/terms.js';
import { splitSentences, type Sentence } from '../text/sentences.js';
import { truncate } from '../text/truncate.js';

/** A sentence of the abstract with its offset there: every TL;DR line is traceable to it. */
export type TldrSentence = Sentence;

/** Phrases that introduce what a paper does; those sentences carry the gist. */
const CUE =
  /\b(we (propose|present|introduce|develop|design|build|release)(d|ed)?|this (paper|work) (propose|present|introduce)s?|(propose|present|introduce)s? (a|an|the)\b|our (method|approach|model|system|framework))/i;
/** What the paper found: a measured gain. */
const RESULT = /\b(achiev|outperform|improv|reduc|speed ?up|faster|surpass|we (show|find|demonstrate)|results? (show|demonstrate))/i;
const NUMBER_RESULT = /\d[\d.,]*\s*(%|×|x\b|times\b|points?\b|fold\b)/i;
/** Sentences that set the scene (the field, its problem) rather than say what the paper did. */
const BACKGROUND =
  /\b((has|have) (recently )?(emerged|become|gained|shown|attracted|achieved)|in recent years|recent (advances|progress|years)|however|remains? (a )?(challeng|difficult|open)|lack of|suffer|existing (methods|approaches|works?|systems)|is (a|an) (key|fundamental|critical|crucial|important)|(is|are) limited|bottleneck)\b/i;
const MAX_SENTENCES = 3;

/** What a sentence of an abstract does: say what the paper does, what it found, or set the scene. */
export type SentenceRole = 'proposal' | 'result' | 'background' | 'other';

export function sentenceRole(text: string): SentenceRole {
  if (CUE.test(text)) return 'proposal';
  if (NUMBER_RESULT.test(text) || RESULT.test(text)) return 'result';
  if (BACKGROUND.test(text)) return 'background';
  return 'other';
}
/** A sentence adding fewer new terms than this to the title only repeats it. */
const MIN_NEW_TERMS = 3;

/**
 * A TL;DR of two or three sentences picked verbatim from the abstract: what the paper does and
 * what it found, ahead of the background, weighted by how central their words are to the
 * abstract. A sentence that only repeats the title is never picked. Sentences stay in abstract
 * order so the summary reads as prose.
 */
export function tldr(paper: Paper, max = MAX_SENTENCES): TldrSentence[] {
  const titleTerms = new Set(toTerms(paper.title));
  const sentences = splitSentences(paper.abstract).filter((s) => s.text.length > 0 && toTerms(s.text).filter((t) => !titleTerms.has(t)).length >= MIN_NEW_TERMS);
  if (sentences.length <= max) return sentences;
  const freq = new Map<string, number>();
  for (const s of sentences) for (const t of new Set(toTerms(s.text))) freq.set(t, (freq.get(t) ?? 0) + 1);
  const raw = sentences.map((s) => {
    const terms = toTerms(s.text);
    return terms.length === 0 ? 0 : terms.reduce((sum, t) => sum + (freq.get(t) ?? 0) - 1, 0) / Math.sqrt(terms.length);
  });
  const maxCentrality = Math.max(1e-9, ...raw);
  const scored = sentences.map((s, i) => {
    const centrality = (2 * raw[i]!) / maxCentrality;
    const titleOverlap = Math.min(2, toTerms(s.text).filter((t) => titleTerms.has(t)).length) * 0.5;
    const cue = CUE.test(s.text) ? 2 : 0;
    const result = NUMBER_RESULT.test(s.text) ? 1.5 : RESULT.test(s.text) ? 1 : 0;
    const background = cue === 0 && BACKGROUND.test(s.text) ? -1.5 : 0;
    const tooLong = s.text.length > 400 ? -2 : 0;
    return { s, i, score: centrality + titleOverlap + cue + result + background + tooLong };
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
