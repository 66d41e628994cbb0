import type { Logger } from 'pino';
import type { Paper } from '../../model/paper.js';
import { tldr } from '../../summary/tldr.js';
import { splitSentences } from '../../text/sentences.js';
import type { Answer } from '../answer.js';
import type { ChatClient } from './chatClient.js';
import { checkReply } from './checkReply.js';
import { buildMessages, type LlmPassage } from './prompt.js';

const SENTENCES_PER_PAPER = 4;
const MAX_PASSAGE_CHARS = 2500;

/**
 * The abstracts an extractive answer quoted (a very long one cut to its key and quoted
 * sentences), numbered as the extractive answer numbered its citations.
 */
export function passagesFor(answer: Answer): LlmPassage[] {
  return answer.citations.map((paper, i) => {
    const quoted = answer.lines.filter((l) => l.quote?.paperId === paper.id).map((l) => l.quote!.offset);
    return { n: i + 1, title: paper.title, text: contextText(paper, quoted) };
  });
}

function contextText(paper: Paper, quotedOffsets: number[]): string {
  // Whole abstracts give the model the context around each quote; only very long ones are cut.
  if (quotedOffsets.length === 0 || paper.abstract.length <= MAX_PASSAGE_CHARS) return paper.abstract;
  const keep = new Map<number, string>();
  for (const s of tldr(paper, SENTENCES_PER_PAPER)) keep.set(s.offset, s.text);
  const all = splitSentences(paper.abstract);
  for (const offset of quotedOffsets) {
    const s = all.find((x) => x.offset === offset);
    if (s) keep.set(s.offset, s.text);
  }
  return [...keep]
    .sort((a, b) => a[0] - b[0])
    .map(([, t]) => t)
    .join(' … ');
}

/**
 * Asks the LLM to rewrite an extractive answer from the same passages. Any failure (timeout,
 * HTTP error, malformed JSON, a reply citing nothing or a passage that was not given) returns
 * undefined, and the caller keeps the extractive answer.
 */
export async function generateAnswer(llm: ChatClient, question: string, extractive: Answer, logger?: Logger): Promise<Answer | undefined> {
  const passages = passagesFor(extractive);
  if (passages.length === 0) return undefined;
  const threadIndex = extractive.threadPaper ? extractive.citations.findIndex((p) => p.id === extractive.threadPaper!.id) : -1;
  const threadPassage = threadIndex >= 0 ? threadIndex + 1 : undefined;
  let content: string;
  try {
    content = await llm.complete(buildMessages(question, passages, threadPassage));
  } catch (err) {
    logger?.warn({ err, model: llm.model }, 'LLM answer failed; using the extractive answer');
    return undefined;
  }
  const checked = checkReply(content, passages.length);
  if (checked.kind === 'rejected') {
    logger?.warn({ model: llm.model, reason: checked.reason }, 'LLM answer rejected; using the extractive answer');
    return undefined;
  }
  if (checked.kind === 'no_answer') {
    return {
      ...extractive,
      kind: 'not_found',
      lines: [{ text: 'The digest does not answer that. The papers closest to the question:', cites: [] }],
      note: `Checked by ${llm.model} against these abstracts; try other words, or /paper find <words>.`,
    };
  }
  return {
    ...extractive,
    kind: 'generated',
    lines: checked.sentences.map((s) => ({ text: s.text, cites: s.cites })),
    note: `Written by ${llm.model} from the cited abstracts only; [n] is the source.`,
  };
}
