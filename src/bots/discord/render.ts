import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord.js';
import type { Button, Citation, MarkedText, PaperCard, Reply } from '../../model/reply.js';
import { codeLabel, markedToPlain } from '../../model/reply.js';
import { cardFacts, FACT_SEPARATOR } from '../../present/cards.js';
import { encodeCustomId } from './customId.js';
import { escapeText, linkTarget, neutralizeMentions } from './escape.js';
import { ELLIPSIS, LIMITS, truncate, truncateEscaped } from './limits.js';

/** A reply as Discord wants it; `ephemeral` becomes the Ephemeral flag on interaction replies. */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  ephemeral: boolean;
  /** Uploaded with the message (multipart `files[n]`). */
  files?: { name: string; attachment: Buffer; contentType: string }[];
}

const BRAND = 0x5865f2;
const ERROR = 0xed4245;
/** A field needs a name; a zero-width space renders as none. */
const NO_NAME = '\u200b';

/** One embed per paper card, text and citations as embeds, headings as content, actions as button rows. */
export function renderReply(reply: Reply): DiscordMessage {
  const lines: string[] = [];
  const embeds: APIEmbed[] = [];
  /** Re-renders an embed's description for a smaller budget, so shrinking never breaks markup. */
  const descriptions = new Map<APIEmbed, (max: number) => string>();
  const buttonGroups: Button[][] = [];
  const cards = reply.blocks.filter((b) => b.kind === 'paper').length;
  let cardNo = 0;
  let current: APIEmbed | undefined;
  let lastWasCard = false;

  const addEmbed = (embed: APIEmbed, description?: (max: number) => string): APIEmbed => {
    if (description) {
      embed.description = description(LIMITS.embedDescription);
      descriptions.set(embed, description);
    }
    embeds.push(embed);
    return embed;
  };

  for (const block of reply.blocks) {
    switch (block.kind) {
      case 'heading':
        lines.push(`**${escapeText(block.text)}**`);
        break;
      case 'text':
        current = addEmbed({ color: reply.error ? ERROR : BRAND }, (max) => renderMarked(block.text, max));
        break;
      case 'context':
        if (current) addContextField(current, block.text);
        else lines.push(`-# ${escapeText(block.text)}`);
        break;
      case 'paper':
        cardNo++;
        current = addEmbed(cardEmbed(block.card, cards > 1 ? cardNo : undefined), (max) => cardDescription(block.card, max));
        break;
      case 'citations':
        current = addEmbed({ color: BRAND, title: 'Sources' }, (max) => citationLines(block.items, max));
        break;
      case 'actions':
        buttonGroups.push(lastWasCard && cards > 1 ? block.buttons.map((b) => ({ ...b, label: `${cardNo} · ${b.label}` })) : block.buttons);
        break;
    }
    lastWasCard = block.kind === 'paper' || (lastWasCard && block.kind === 'context');
  }

  const shown = embeds.slice(0, LIMITS.embeds);
  if (embeds.length > shown.length) lines.push(`-# Showing ${shown.length} of ${embeds.length} results.`);
  fitEmbedTotal(shown, descriptions);

  const message: DiscordMessage = { embeds: shown, components: buttonRows(buttonGroups), ephemeral: reply.visibility === 'ephemeral' || reply.error !== undefined };
  const attachment = reply.attachment;
  if (attachment && attachment.bytes.length <= LIMITS.attachmentBytes) {
    message.files = [{ name: attachment.name, attachment: Buffer.from(attachment.bytes), contentType: attachment.mimeType }];
  } else if (attachment) {
    lines.push(
      `-# The file ${escapeText(attachment.name)} is ${Math.ceil(attachment.bytes.length / 1024 / 1024)} MB, more than Discord's ${LIMITS.attachmentBytes / 1024 / 1024} MB upload limit; export a shorter list.`,
    );
  }
  const content = truncate(lines.join('\n'), LIMITS.content);
  if (content) message.content = content;
  else if (shown.length === 0) message.content = 'Done.';
  return message;
}

/** Thread names are plain text, at most 100 characters. */
export function threadName(title: string): string {
  return truncate(neutralizeMentions(title.replace(/\s+/g, ' ').trim()), LIMITS.threadName) || 'Paper';
}

/** Marked runs in bold; when the text is too long it is cut at a word and ends with an ellipsis. */
export function renderMarked(text: MarkedText, max: number): string {
  const full = markedRuns(text);
  if (full.length <= max) return full;
  const whole = markedToPlain(text);
  let budget = Math.min(whole.length, max);
  while (budget > 0) {
    const cut = truncate(whole, budget);
    const keep = cut.endsWith(ELLIPSIS) ? cut.length - ELLIPSIS.length : cut.length;
    const rendered = markedRuns(prefixRuns(text, keep)) + ELLIPSIS;
    if (rendered.length <= max) return rendered;
    budget -= rendered.length - max;
  }
  return '';
}

function markedRuns(text: MarkedText): string {
  return text.map((r) => (r.mark && r.text.trim() ? `**${escapeText(r.text)}**` : escapeText(r.text))).join('');
}

function prefixRuns(text: MarkedText, length: number): MarkedText {
  const out: { text: string; mark?: boolean }[] = [];
  let left = length;
  for (const run of text) {
    if (left <= 0) break;
    out.push({ ...run, text: run.text.slice(0, left) });
    left -= run.text.length;
  }
  return out;
}

function cardEmbed(card: PaperCard, n: number | undefined): APIEmbed {
  const facts = cardFacts(card)
    .map((f) => f.text)
    .join(FACT_SEPARATOR);
  const number = n === undefined ? '' : `${n}. `;
  return {
    color: BRAND,
    title: number + truncateEscaped(card.title, LIMITS.embedTitle - number.length, escapeText),
    url: card.links.primary,
    footer: { text: truncate(neutralizeMentions(facts), LIMITS.footer) },
  };
}

function cardDescription(card: PaperCard, max: number): string {
  const links = [
    card.links.arxiv && `[arXiv](${linkTarget(card.links.arxiv)})`,
    card.links.huggingface && `[Hugging Face](${linkTarget(card.links.huggingface)})`,
    card.code && `[${escapeText(codeLabel(card.code))}](${linkTarget(card.code.repo)})`,
    card.projectPage && `[Project page](${linkTarget(card.projectPage)})`,
  ]
    .filter(Boolean)
    .join(' · ');
  // Extras give way before the snippet when the budget is small (many cards in one message).
  const summary = card.aiSummary ? `\n*AI summary:* ${truncateEscaped(card.aiSummary, Math.floor(max / 4), escapeText)}` : '';
  const linkLine = links && links.length + 1 < max / 2 ? `\n${links}` : '';
  const keywords = card.keywords?.length ? `\n-# ${escapeText(card.keywords.join(', '))}` : '';
  const extras = [summary, linkLine, keywords].filter((_part, i, all) => all.slice(0, i + 1).join('').length < max / 2).join('');
  return renderMarked(card.snippet, max - extras.length) + extras;
}

function citationLines(items: readonly Citation[], max: number): string {
  const lines = items.map((c) => `[${c.n}] [${escapeText(c.title)}](${linkTarget(c.url)}) · ${escapeText(c.paperId)}`);
  const out: string[] = [];
  let length = 0;
  for (const line of lines) {
    if (length + line.length + 1 > max) break;
    out.push(line);
    length += line.length + 1;
  }
  return out.join('\n');
}

/** "Authors: A, B" becomes a field named Authors; other context lines go in an unnamed field. */
function addContextField(embed: APIEmbed, text: string): void {
  const fields = (embed.fields ??= []);
  for (const line of text.split('\n').filter((l) => l.trim())) {
    if (fields.length >= LIMITS.fields) return;
    const m = /^([A-Za-z][\w ]{0,24}): (.+)$/.exec(line);
    const name = m ? m[1]! : NO_NAME;
    fields.push({ name: truncate(neutralizeMentions(name), LIMITS.fieldName), value: truncateEscaped(m ? m[2]! : line, LIMITS.fieldValue, escapeText) || NO_NAME });
  }
}

function embedLength(e: APIEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}

/**
 * The 6000-character budget is shared by all embeds: shorten the longest descriptions first,
 * then drop trailing detail fields, then trailing embeds.
 */
function fitEmbedTotal(embeds: APIEmbed[], descriptions: Map<APIEmbed, (max: number) => string>): void {
  const MIN_DESCRIPTION = 200;
  const total = () => embeds.reduce((n, e) => n + embedLength(e), 0);
  for (let excess = total() - LIMITS.embedsTotal; excess > 0 && embeds.length > 0; excess = total() - LIMITS.embedsTotal) {
    const longest = embeds.reduce((a, b) => ((b.description?.length ?? 0) > (a.description?.length ?? 0) ? b : a));
    const render = descriptions.get(longest);
    const length = longest.description?.length ?? 0;
    const withFields = [...embeds].reverse().find((e) => (e.fields?.length ?? 0) > 0);
    if (render && length > MIN_DESCRIPTION) longest.description = render(Math.max(MIN_DESCRIPTION, length - excess));
    else if (withFields) withFields.fields!.pop();
    else embeds.pop();
  }
}

/** One row per actions block; when that needs more than 5 rows the buttons are packed 5 to a row. */
function buttonRows(groups: Button[][]): APIActionRowComponent<APIButtonComponent>[] {
  const seen = new Set<string>();
  const toButton = (b: Button): APIButtonComponent | undefined => {
    const customId = encodeCustomId(b.command);
    // Discord rejects a message with two components sharing a custom id.
    if (!customId || seen.has(customId)) return undefined;
    seen.add(customId);
    return { type: ComponentType.Button, custom_id: customId, label: truncate(b.label, LIMITS.buttonLabel), style: b.style === 'primary' ? ButtonStyle.Primary : ButtonStyle.Secondary };
  };
  const built = groups.map((g) => g.map(toButton).filter((b): b is APIButtonComponent => b !== undefined)).filter((g) => g.length > 0);
  let rows = built.flatMap((g) => chunk(g, LIMITS.buttonsPerRow));
  if (rows.length > LIMITS.rows) rows = packWhole(built);
  return rows.slice(0, LIMITS.rows).map((components) => ({ type: ComponentType.ActionRow, components }));
}

/** Groups share rows when there are too many for one each, but a card's buttons never straddle two rows. */
function packWhole(groups: APIButtonComponent[][]): APIButtonComponent[][] {
  const rows: APIButtonComponent[][] = [];
  for (const group of groups.flatMap((g) => chunk(g, LIMITS.buttonsPerRow))) {
    const last = rows.at(-1);
    if (last && last.length + group.length <= LIMITS.buttonsPerRow) last.push(...group);
    else rows.push([...group]);
  }
  return rows;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
