import { splitSentences } from '../../text/sentences.js';

export type CheckedReply = { kind: 'answer'; sentences: { text: string; cites: number[] }[] } | { kind: 'no_answer' } | { kind: 'rejected'; reason: string };

const MAX_CHARS = 1500;
const CITE = /\[(\d+(?:\s*,\s*\d+)*)\]/g;

/**
 * Accepts an LLM reply only when every sentence cites a passage that was given: a reply that
 * cites nothing, cites a passage that does not exist, or rambles is rejected (and the caller
 * falls back to the extractive answer).
 */
export function checkReply(content: string, passageCount: number): CheckedReply {
  const text = content
    .replace(/\*\*|__|`/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (/^NO_ANSWER\b/.test(text)) return { kind: 'no_answer' };
  if (text.length === 0) return { kind: 'rejected', reason: 'empty reply' };
  if (text.length > MAX_CHARS) return { kind: 'rejected', reason: `reply longer than ${MAX_CHARS} characters` };
  const sentences: { text: string; cites: number[] }[] = [];
  for (const s of splitSentences(text)) {
    const cites = [...s.text.matchAll(CITE)].flatMap((m) => m[1]!.split(',').map((x) => Number(x.trim())));
    const bare = s.text
      .replace(CITE, '')
      .replace(/\s+([.,;:!?])/g, '$1')
      .replace(/\s+/g, ' ')
      .trim();
    const bad = cites.find((n) => !Number.isInteger(n) || n < 1 || n > passageCount);
    if (bad !== undefined) return { kind: 'rejected', reason: `cites [${bad}], but only ${passageCount} passages were given` };
    const previous = sentences.at(-1);
    // "… is faster. [2]": a citation standing alone belongs to the sentence before it.
    if (!/[\p{L}\p{N}]/u.test(bare)) {
      if (previous) previous.cites.push(...cites.filter((n) => !previous.cites.includes(n)));
      continue;
    }
    sentences.push({ text: bare, cites: [...new Set(cites)] });
  }
  const uncited = sentences.find((s) => s.cites.length === 0);
  if (uncited) return { kind: 'rejected', reason: `sentence without a citation: “${uncited.text.slice(0, 80)}”` };
  if (sentences.length === 0) return { kind: 'rejected', reason: 'no sentences' };
  return { kind: 'answer', sentences };
}
