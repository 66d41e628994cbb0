import { describe, expect, it } from 'vitest';
import { decodeCustomId, encodeCustomId } from '../../../src/bots/discord/customId.js';
import { escapeText } from '../../../src/bots/discord/escape.js';
import { ELLIPSIS, LIMITS, truncate, truncateEscaped } from '../../../src/bots/discord/limits.js';
import { renderReply, threadName } from '../../../src/bots/discord/render.js';
import type { Block, Button, PaperCard, Reply } from '../../../src/model/reply.js';
import { plain } from '../../../src/model/reply.js';
import { loadSeeds } from '../../helpers/seeds.js';

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i % 10}`).join(' ');
const card = (over: Partial<PaperCard> = {}): PaperCard => ({
  id: '2405.14906',
  title: 'A paper',
  links: { primary: 'https://huggingface.co/papers/2405.14906' },
  upvotes: 3,
  snippet: plain('text'),
  ...over,
});
const reply = (blocks: Block[], over: Partial<Reply> = {}): Reply => ({ visibility: 'channel', blocks, ...over });
const embedTotal = (r: ReturnType<typeof renderReply>) =>
  r.embeds.reduce((n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((m, f) => m + f.name.length + f.value.length, 0), 0);

describe('truncate', () => {
  it('leaves text at the limit alone and cuts one over it at a word, with an ellipsis', () => {
    const text = 'alpha beta gamma delta';
    expect(truncate(text, text.length)).toBe(text);
    const cut = truncate(text, text.length - 1);
    expect(cut).toBe(`alpha beta gamma${ELLIPSIS}`);
    expect(cut.length).toBeLessThanOrEqual(text.length - 1);
  });

  it('cuts inside a very long word rather than returning almost nothing', () => {
    const cut = truncate(`a ${'x'.repeat(300)}`, 100);
    expect(cut).toHaveLength(100);
    expect(cut.endsWith(ELLIPSIS)).toBe(true);
  });

  it('never splits an emoji in half', () => {
    const cut = truncate('😀'.repeat(10), 6);
    expect(cut).toBe(`😀😀${ELLIPSIS}`);
  });

  it('fits escaped text whose escapes would push it over the limit', () => {
    const raw = '*'.repeat(50);
    const out = truncateEscaped(raw, 40, escapeText);
    expect(out.length).toBeLessThanOrEqual(40);
    expect(out).toMatch(/^(\\\*)+…$/);
  });
});

describe('renderReply limits', () => {
  it('keeps message content at 2000 characters', () => {
    const r = renderReply(reply([{ kind: 'heading', text: words(600) }]));
    expect(r.content!.length).toBeLessThanOrEqual(LIMITS.content);
    expect(r.content!.endsWith(ELLIPSIS)).toBe(true);
  });

  it('keeps an embed title at 256 characters and the full title when it fits exactly', () => {
    const exact = 'T'.repeat(LIMITS.embedTitle);
    expect(renderReply(reply([{ kind: 'paper', card: card({ title: exact }) }])).embeds[0]!.title).toBe(exact);
    const long = renderReply(reply([{ kind: 'paper', card: card({ title: words(100) }) }])).embeds[0]!.title!;
    expect(long.length).toBeLessThanOrEqual(LIMITS.embedTitle);
    expect(long.endsWith(ELLIPSIS)).toBe(true);
  });

  it('keeps a description at 4096 characters without breaking bold markup', () => {
    const snippet = Array.from({ length: 800 }, (_, i) => ({ text: i % 2 ? 'routing' : ' and more ', mark: i % 2 === 1 }));
    const d = renderReply(reply([{ kind: 'text', text: snippet }])).embeds[0]!.description!;
    expect(d.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(d.endsWith(ELLIPSIS)).toBe(true);
    expect((d.match(/\*\*/g) ?? []).length % 2).toBe(0);
    const exact = 'x'.repeat(LIMITS.embedDescription);
    expect(renderReply(reply([{ kind: 'text', text: plain(exact) }])).embeds[0]!.description).toBe(exact);
  });

  it('keeps field values at 1024 and at most 25 fields', () => {
    const many = Array.from({ length: 40 }, (_, i) => `Line${i}: short`).join('\n');
    const e = renderReply(
      reply([
        { kind: 'paper', card: card() },
        { kind: 'context', text: many },
      ]),
    ).embeds[0]!;
    expect(e.fields).toHaveLength(LIMITS.fields);
    expect(e.fields![0]).toEqual({ name: 'Line0', value: 'short' });
    const long = renderReply(
      reply([
        { kind: 'paper', card: card() },
        { kind: 'context', text: `Authors: ${words(300)}` },
      ]),
    ).embeds[0]!;
    expect(long.fields![0]!.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    expect(long.fields![0]!.value.endsWith(ELLIPSIS)).toBe(true);
  });

  it('drops detail fields before cards when fields alone would pass 6000 characters', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `Line${i}: ${words(300)}`).join('\n');
    const r = renderReply(
      reply([
        { kind: 'paper', card: card() },
        { kind: 'context', text: lines },
      ]),
    );
    expect(r.embeds).toHaveLength(1);
    expect(embedTotal(r)).toBeLessThanOrEqual(LIMITS.embedsTotal);
    expect(r.embeds[0]!.fields!.length).toBeLessThan(10);
  });

  it('keeps a footer at 2048', () => {
    const footer = renderReply(reply([{ kind: 'paper', card: card({ byline: words(500) }) }])).embeds[0]!.footer!.text;
    expect(footer.length).toBeLessThanOrEqual(LIMITS.footer);
    expect(footer.startsWith('2405.14906 · ▲ 3 · word0')).toBe(true);
  });

  it('keeps all embeds together under 6000 characters and at most 10 embeds', () => {
    const blocks: Block[] = Array.from({ length: 12 }, (_, i) => ({ kind: 'paper' as const, card: card({ id: `p${i}`, title: words(40), snippet: plain(words(300)) }) }));
    const r = renderReply(reply(blocks));
    expect(r.embeds.length).toBeLessThanOrEqual(LIMITS.embeds);
    expect(embedTotal(r)).toBeLessThanOrEqual(LIMITS.embedsTotal);
    expect(r.content).toContain('Showing 10 of 12');
    // Shortening spreads over the cards instead of dropping them.
    expect(r.embeds).toHaveLength(10);
  });

  it('puts at most 5 buttons in a row and 5 rows in a message, packing rows when needed', () => {
    const many: Button[] = Array.from({ length: 7 }, (_, i) => ({ label: `B${i}`, command: `show p${i}` }));
    const one = renderReply(reply([{ kind: 'actions', buttons: many }]));
    expect(one.components.map((r) => r.components.length)).toEqual([5, 2]);

    const blocks: Block[] = [];
    for (let i = 0; i < 6; i++)
      blocks.push(
        { kind: 'paper', card: card({ id: `p${i}` }) },
        {
          kind: 'actions',
          buttons: [
            { label: 'Summary', command: `summary p${i}` },
            { label: 'More like this', command: `like p${i}` },
          ],
        },
      );
    const packed = renderReply(reply(blocks));
    expect(packed.components.length).toBeLessThanOrEqual(LIMITS.rows);
    expect(packed.components.flatMap((r) => r.components)).toHaveLength(12);
    // With several cards, a button says which card it belongs to.
    expect(packed.components[0]!.components[0]).toMatchObject({ label: '1 · Summary', custom_id: 'pb:summary p0' });
    // A card's buttons share one row, so a row never starts with the second half of a card.
    for (const row of packed.components) {
      const card = (b: unknown) => (b as { label: string }).label.split(' · ')[0];
      for (const b of row.components) expect(row.components.filter((x) => card(x) === card(b))).toHaveLength(2);
    }
  });

  it('leaves out a button whose command does not fit a 100-character custom id, and duplicates', () => {
    const fits = 'x'.repeat(LIMITS.customId - 'pb:'.length);
    const r = renderReply(
      reply([
        {
          kind: 'actions',
          buttons: [
            { label: 'ok', command: fits },
            { label: 'too long', command: `${fits}y` },
            { label: 'again', command: fits },
          ],
        },
      ]),
    );
    expect(r.components[0]!.components).toHaveLength(1);
    expect(encodeCustomId(fits)).toHaveLength(LIMITS.customId);
    expect(encodeCustomId(`${fits}y`)).toBeUndefined();
    expect(decodeCustomId(encodeCustomId('find moe --page 2')!)).toBe('find moe --page 2');
    expect(decodeCustomId('someone-else:1')).toBeUndefined();
  });

  it('names threads within 100 characters', () => {
    expect(threadName('x'.repeat(100))).toHaveLength(100);
    const long = threadName(words(40));
    expect(long.length).toBeLessThanOrEqual(LIMITS.threadName);
    expect(long.endsWith(ELLIPSIS)).toBe(true);
  });

  it('renders every seed paper as a card within every limit', async () => {
    const { papers } = await loadSeeds();
    const blocks: Block[] = papers.slice(0, 10).map((p) => ({ kind: 'paper', card: card({ id: p.id, title: p.title, snippet: plain(p.abstract) }) }));
    const r = renderReply(reply(blocks));
    expect(r.embeds).toHaveLength(10);
    expect(embedTotal(r)).toBeLessThanOrEqual(LIMITS.embedsTotal);
    for (const e of r.embeds) expect(e.description!.length).toBeLessThanOrEqual(LIMITS.embedDescription);
  });
});

describe('escaping digest text', () => {
  it('renders markdown and mentions literally', () => {
    const r = renderReply(reply([{ kind: 'paper', card: card({ title: '**Bold** @everyone <@123> __x__', snippet: plain('@here look <@&55> <#66> `code`') }) }]));
    const e = r.embeds[0]!;
    expect(e.title).toContain('\\*\\*Bold\\*\\*');
    expect(e.title).not.toMatch(/@everyone|<@\d+>/);
    expect(e.description).not.toMatch(/@here|<@&\d+>|<#\d+>/);
    expect(e.description).toContain('\\`code\\`');
    // What a reader sees once Discord drops the escapes: the original characters.
    expect(e.title!.replace(/\\/g, '').replace(/\u200b/g, '')).toBe('**Bold** @everyone <@123> __x__');
  });

  it('keeps links intact while escaping the text around them', () => {
    expect(escapeText('see https://example.org/a_b_c and a_b')).toBe('see https://example.org/a_b_c and a\\_b');
  });
});
