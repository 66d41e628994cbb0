import type { types as slack } from '@slack/bolt';
import type { Block, Button, Citation, PaperCard, Reply, ThreadHint } from '../../model/reply.js';
import { codeLabel, markedToPlain } from '../../model/reply.js';
import { type CardFact, cardFacts, FACT_SEPARATOR } from '../../present/cards.js';
import { fitMessage, LIMITS, truncate, truncateEscaped } from './limits.js';
import { escapeMrkdwn, markedMrkdwn, mrkdwnCode, mrkdwnLink } from './mrkdwn.js';
import { plural } from '../../text/plural.js';

export type SlackBlock = slack.KnownBlock;

/** What chat.postMessage, chat.postEphemeral and response_url take. */
export interface SlackMessage {
  /** Notification and screen-reader text; mrkdwn, so escaped like the blocks. */
  text: string;
  blocks: SlackBlock[];
}

/** Every button shares one listener; the suffix only keeps action_ids unique within a message. */
export const ACTION_ID_PREFIX = 'paperbot:cmd:';
/** Marks a block as being about one paper, so a thread's paper can be read back from Slack itself. */
export const PAPER_BLOCK_PREFIX = 'paper:';

/** The neutral reply as Block Kit, within every Slack limit. */
export function renderReply(reply: Reply): SlackMessage {
  const ids = new BlockIds();
  const blocks: SlackBlock[] = [];
  let actionNo = 0;
  for (const block of reply.blocks) {
    const rendered = renderBlock(block, ids, () => actionNo++);
    if (rendered) blocks.push(rendered);
  }
  // The thread's paper is marked even when the reply shows no card (a TL;DR), so a later
  // mention in the thread knows what "it" is.
  if (reply.thread && !ids.has(paperBlockId(reply.thread.key))) {
    const unmarked = blocks.find((b) => b.block_id === undefined);
    if (unmarked) unmarked.block_id = ids.claim(paperBlockId(reply.thread.key));
  }
  return { text: fallbackText(reply), blocks: fitMessage(blocks, shortenedNote) };
}

/** The channel message a thread hangs under when there is none yet: the paper's title. */
export function renderThreadParent(thread: ThreadHint, askedBy?: string): SlackMessage {
  const title = truncateEscaped(thread.title, LIMITS.sectionText - 20, escapeMrkdwn);
  const blocks: SlackBlock[] = [{ type: 'section', block_id: paperBlockId(thread.key), text: { type: 'mrkdwn', text: `:page_facing_up: *${title}*` } }];
  if (askedBy) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncateEscaped(`TL;DR asked by ${askedBy}`, LIMITS.contextText, escapeMrkdwn) }] });
  return { text: title, blocks };
}

export function paperBlockId(paperId: string): string {
  return (PAPER_BLOCK_PREFIX + paperId).slice(0, LIMITS.blockId);
}

function renderBlock(block: Block, ids: BlockIds, nextAction: () => number): SlackBlock | undefined {
  switch (block.kind) {
    case 'heading': {
      const text = truncate(block.text.trim(), LIMITS.headerText);
      return text ? { type: 'header', text: { type: 'plain_text', text, emoji: true } } : undefined;
    }
    case 'text': {
      const text = markedMrkdwn(block.text, LIMITS.sectionText);
      return text.trim() ? { type: 'section', text: { type: 'mrkdwn', text } } : undefined;
    }
    case 'context': {
      const text = truncateEscaped(block.text, LIMITS.contextText, escapeMrkdwn);
      return text.trim() ? { type: 'context', elements: [{ type: 'mrkdwn', text }] } : undefined;
    }
    case 'paper':
      return { type: 'section', block_id: ids.claim(paperBlockId(block.card.id)), text: { type: 'mrkdwn', text: cardText(block.card) } };
    case 'citations': {
      const text = citationsText(block.items);
      return text ? { type: 'section', text: { type: 'mrkdwn', text } } : undefined;
    }
    case 'actions': {
      const elements = block.buttons
        .filter((b) => b.command.length <= LIMITS.actionValue)
        .slice(0, LIMITS.actionsElements)
        .map((b) => button(b, `${ACTION_ID_PREFIX}${nextAction()}`));
      return elements.length > 0 ? { type: 'actions', elements } : undefined;
    }
  }
}

/**
 * A button's value is the command it replays. A command longer than Slack allows is left out
 * rather than cut: a shortened query would run a different search than the label promises.
 */
function button(b: Button, actionId: string): slack.Button {
  const el: slack.Button = {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: truncate(b.label, LIMITS.buttonText), emoji: true },
    value: b.command,
  };
  if (b.style === 'primary') el.style = 'primary';
  return el;
}

/** Linked title, facts line, snippet: the snippet gives way first when the section is full. */
function cardText(card: PaperCard): string {
  const title = `*${mrkdwnLink(card.links.primary, truncateEscaped(card.title, 500, escapeMrkdwn))}*`;
  const facts = cardFacts(card).map(factMrkdwn).join(FACT_SEPARATOR);
  const head = `${title}\n${facts}`;
  const artifacts = [card.code && mrkdwnLink(card.code.repo, escapeMrkdwn(codeLabel(card.code))), card.projectPage && mrkdwnLink(card.projectPage, 'Project page')].filter(Boolean).join(' · ');
  const keywords = card.keywords?.length ? `_${truncateEscaped(card.keywords.join(', '), 300, escapeMrkdwn)}_` : '';
  const summary = card.aiSummary ? `AI summary: ${truncateEscaped(card.aiSummary, 500, escapeMrkdwn)}` : '';
  const tail = [summary, artifacts, keywords].filter(Boolean).join('\n');
  const snippet = markedMrkdwn(card.snippet, LIMITS.sectionText - head.length - tail.length - 2);
  return [head, snippet.trim() ? snippet : '', tail].filter(Boolean).join('\n');
}

/** The id as code so it copies cleanly; a long byline is cut before it crowds out the snippet. */
function factMrkdwn(fact: CardFact): string {
  if (fact.kind === 'id') return mrkdwnCode(fact.text);
  if (fact.kind === 'byline') return truncateEscaped(fact.text, 300, escapeMrkdwn);
  return fact.text;
}

/** One line per citation; lines that do not fit are dropped whole so no link is cut in half. */
function citationsText(items: readonly Citation[]): string {
  const lines: string[] = [];
  let length = 0;
  for (const c of items) {
    const line = `[${c.n}] ${mrkdwnLink(c.url, truncateEscaped(c.title, 300, escapeMrkdwn))} · ${mrkdwnCode(c.paperId)}`;
    if (length + line.length + 1 > LIMITS.sectionText - 2) {
      lines.push('…');
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}

function fallbackText(reply: Reply): string {
  for (const block of reply.blocks) {
    const text = block.kind === 'heading' || block.kind === 'context' ? block.text : block.kind === 'text' ? markedToPlain(block.text) : undefined;
    if (text?.trim()) return truncateEscaped(text.trim(), LIMITS.fallbackText, escapeMrkdwn);
    if (block.kind === 'paper') return truncateEscaped(block.card.title, LIMITS.fallbackText, escapeMrkdwn);
  }
  return 'paperbot';
}

function shortenedNote(dropped: number): SlackBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: `${plural(dropped, 'more block')} not shown: Slack limits the size of one message.` }] };
}

/** block_ids must be unique within a message; a second card for the same paper gets a suffix. */
class BlockIds {
  private readonly used = new Set<string>();
  has(id: string): boolean {
    return this.used.has(id);
  }
  claim(id: string): string {
    let candidate = id;
    for (let n = 2; this.used.has(candidate); n++) candidate = `${id.slice(0, LIMITS.blockId - 6)}:${n}`;
    this.used.add(candidate);
    return candidate;
  }
}
