import { paperLinks } from '../present/links.js';
import { markTerms } from '../index/snippet.js';
import type { Block, Button, Citation, MarkedText, Reply } from '../model/reply.js';
import { truncate } from '../text/truncate.js';
import type { Answer, AnswerLine } from './answer.js';

const MAX_BUTTONS = 3;
/** Characters of answer text per block, below Slack's 3,000 per section with room for markup. */
const MAX_TEXT_CHARS = 2400;

/**
 * The neutral reply for an answer: the question, the answer lines with [n] markers, where the
 * answer came from, and the numbered citations with links. Quotes are in “…” so a reader can
 * tell the abstract's words from the bot's.
 */
export function renderAnswer(answer: Answer): Reply {
  const blocks: Block[] = [{ kind: 'heading', text: truncate(answer.heading, 150) }];
  const bullets = answer.lines.length > 1;
  // A long answer (a list of ten quotes) is split at line ends: chat platforms cap one block's text.
  let runs: { text: string; mark?: boolean }[] = [];
  let length = 0;
  for (const line of answer.lines) {
    const lineRunsOf = lineRuns(line, bullets && line.cites.length > 0, answer.terms);
    const lineLength = lineRunsOf.reduce((n, r) => n + r.text.length, 0);
    if (runs.length > 0 && length + lineLength > MAX_TEXT_CHARS) {
      blocks.push({ kind: 'text', text: mergeRuns(runs) });
      runs = [];
      length = 0;
    }
    if (runs.length > 0) runs.push({ text: '\n' });
    runs.push(...lineRunsOf);
    length += lineLength + 1;
  }
  blocks.push({ kind: 'text', text: mergeRuns(runs) });
  if (answer.note) blocks.push({ kind: 'context', text: answer.note });
  const items = citationsShown(answer);
  if (items.length > 0) blocks.push({ kind: 'citations', items });
  const buttons: Button[] = items.slice(0, MAX_BUTTONS).map((c) => ({ label: `Show [${c.n}]`, command: `show ${c.paperId}` }));
  if (buttons.length > 0) blocks.push({ kind: 'actions', buttons });
  const reply: Reply = { visibility: answer.kind === 'help' ? 'ephemeral' : 'channel', blocks };
  if (answer.threadPaper) reply.thread = { key: answer.threadPaper.id, title: answer.threadPaper.title };
  return reply;
}

function lineRuns(line: AnswerLine, bullet: boolean, terms: ReadonlySet<string> | undefined): MarkedText {
  const runs: { text: string; mark?: boolean }[] = [];
  if (bullet) runs.push({ text: '• ' });
  if (line.lead) runs.push({ text: `${line.lead}: ` });
  if (line.quote) runs.push({ text: '“' }, ...(terms && terms.size > 0 ? markTerms(line.quote.text, terms) : [{ text: line.quote.text }]), { text: '”' });
  else if (line.text) runs.push({ text: line.text });
  if (line.cites.length > 0) runs.push({ text: ` ${line.cites.map((n) => `[${n}]`).join('')}` });
  return runs;
}

/** Cited papers only; a "not found" answer lists its nearest papers instead. */
function citationsShown(answer: Answer): Citation[] {
  const cited = new Set(answer.lines.flatMap((l) => l.cites));
  return answer.citations.map((paper, i) => ({ n: i + 1, paperId: paper.id, title: paper.title, url: paperLinks(paper).primary })).filter((c) => answer.kind === 'not_found' || cited.has(c.n));
}

function mergeRuns(runs: { text: string; mark?: boolean }[]): MarkedText {
  const out: { text: string; mark?: boolean }[] = [];
  for (const r of runs) {
    const last = out.at(-1);
    if (last && !last.mark && !r.mark) last.text += r.text;
    else out.push({ ...r });
  }
  return out;
}
