import type { Block, Button, MarkedText, PaperCard, Reply } from '../model/reply.js';
import { cardFacts, FACT_SEPARATOR } from '../present/cards.js';

/** ANSI styles on a terminal; plain text when piped, so transcripts and tests read cleanly. */
export interface TextStyle {
  bold(s: string): string;
  dim(s: string): string;
  mark(s: string): string;
  link(s: string): string;
}

export const plainStyle: TextStyle = { bold: (s) => s, dim: (s) => s, mark: (s) => s, link: (s) => s };
export const ansiStyle: TextStyle = {
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  mark: (s) => `\x1b[1;33m${s}\x1b[22;39m`,
  link: (s) => `\x1b[4;36m${s}\x1b[24;39m`,
};

export interface RenderedText {
  text: string;
  /** Buttons numbered in the order shown; typing the number replays the command. */
  buttons: Button[];
}

export function renderReply(reply: Reply, style: TextStyle = plainStyle): RenderedText {
  const lines: string[] = [];
  const buttons: Button[] = [];
  let cardNo = 0;
  if (reply.thread) lines.push(style.dim(`── thread: ${reply.thread.title} ──`));
  for (const block of reply.blocks) {
    if (block.kind === 'paper') cardNo++;
    lines.push(...renderBlock(block, style, buttons, cardNo));
  }
  return { text: lines.join('\n'), buttons };
}

function renderBlock(block: Block, style: TextStyle, buttons: Button[], cardNo: number): string[] {
  switch (block.kind) {
    case 'heading':
      return [style.bold(block.text)];
    case 'text':
      return [marked(block.text, style)];
    case 'context':
      return [style.dim(block.text)];
    case 'paper':
      return renderCard(block.card, style, cardNo);
    case 'citations':
      return block.items.map((c) => `[${c.n}] ${c.title} (${c.paperId}) ${style.link(c.url)}`);
    case 'actions': {
      const labels = block.buttons.map((b) => {
        buttons.push(b);
        return `[${buttons.length}] ${b.label}`;
      });
      return [style.dim(`   ${labels.join('  ')}`)];
    }
  }
}

function renderCard(card: PaperCard, style: TextStyle, n: number): string[] {
  const facts = cardFacts(card)
    .map((f) => f.text)
    .join(FACT_SEPARATOR);
  const lines = [``, `${n}. ${style.bold(card.title)}`, `   ${style.dim(facts)}`];
  const snippet = marked(card.snippet, style);
  if (snippet) lines.push(`   ${snippet}`);
  if (card.aiSummary) lines.push(`   AI summary: ${card.aiSummary}`);
  lines.push(`   ${style.link(card.links.primary)}`);
  const artifacts = [
    card.code && `Code: ${style.link(card.code.repo)}${card.code.stars === undefined ? '' : ` ★ ${card.code.stars.toLocaleString('en-US')}`}`,
    card.projectPage && `Project page: ${style.link(card.projectPage)}`,
  ].filter(Boolean);
  if (artifacts.length > 0) lines.push(`   ${artifacts.join(' · ')}`);
  if (card.keywords?.length) lines.push(`   ${style.dim(`Keywords: ${card.keywords.join(', ')}`)}`);
  return lines;
}

function marked(text: MarkedText, style: TextStyle): string {
  return text.map((r) => (r.mark ? style.mark(r.text) : r.text)).join('');
}
