import type { MarkedText } from '../model/reply.js';
import { splitSentences } from '../text/sentences.js';
import { toTerm } from './terms.js';

const SNIPPET_CHARS = 240;

/**
 * The part of `text` that best shows why it matched: the sentence holding the most distinct
 * matched terms, trimmed around them, with each matching word marked.
 */
export function makeSnippet(text: string, matched: ReadonlySet<string>, maxChars = SNIPPET_CHARS): MarkedText {
  if (text.length === 0) return [];
  const sentences = splitSentences(text);
  let best = sentences[0]!;
  let bestScore = -1;
  for (const s of sentences) {
    const score = distinctMatches(s.text, matched);
    if (score > bestScore) {
      best = s;
      bestScore = score;
    }
  }
  let start = best.offset;
  let end = best.offset + best.text.length;
  if (end - start > maxChars) {
    // Centre the window on the first match so the reader sees it.
    const firstHit = firstMatchOffset(best.text, matched);
    const lead = Math.max(0, firstHit - Math.floor(maxChars / 4));
    start = best.offset + wordStart(best.text, lead);
    end = Math.min(end, start + maxChars);
    end = start + wordEnd(text.slice(start, end));
  }
  const prefix = start > 0 ? '… ' : '';
  const suffix = end < text.length ? ' …' : '';
  return markTerms(prefix + text.slice(start, end).trim() + suffix, matched);
}

/** Splits into runs, marking the words whose index term is in `matched`. */
export function markTerms(text: string, matched: ReadonlySet<string>): MarkedText {
  const out: { text: string; mark?: boolean }[] = [];
  let plainRun = '';
  for (const piece of text.split(/([\p{L}\p{N}]+)/u)) {
    const term = /^[\p{L}\p{N}]+$/u.test(piece) ? toTerm(piece) : null;
    if (term && matched.has(term)) {
      if (plainRun) out.push({ text: plainRun });
      plainRun = '';
      out.push({ text: piece, mark: true });
    } else {
      plainRun += piece;
    }
  }
  if (plainRun) out.push({ text: plainRun });
  return mergeAdjacentMarks(out);
}

/** "mixture of experts" reads better bold as one run than as three. */
function mergeAdjacentMarks(runs: { text: string; mark?: boolean }[]): MarkedText {
  const out: { text: string; mark?: boolean }[] = [];
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    const prev = out.at(-1);
    const next = runs[i + 1];
    if (!run.mark && prev?.mark && next?.mark && /^[\s-]$/.test(run.text)) {
      prev.text += run.text + next.text;
      i++;
      continue;
    }
    out.push({ ...run });
  }
  return out;
}

function distinctMatches(text: string, matched: ReadonlySet<string>): number {
  const seen = new Set<string>();
  for (const w of text.split(/[^\p{L}\p{N}]+/u)) {
    const t = toTerm(w);
    if (t && matched.has(t)) seen.add(t);
  }
  return seen.size;
}

function firstMatchOffset(text: string, matched: ReadonlySet<string>): number {
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const t = toTerm(m[0]);
    if (t && matched.has(t)) return m.index!;
  }
  return 0;
}

function wordStart(text: string, at: number): number {
  if (at <= 0) return 0;
  const space = text.indexOf(' ', at);
  return space === -1 ? at : space + 1;
}

function wordEnd(text: string): number {
  const space = text.lastIndexOf(' ');
  return space > text.length / 2 ? space : text.length;
}
