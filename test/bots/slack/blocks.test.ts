import { describe, expect, it } from 'vitest';
import { renderReply, renderThreadParent } from '../../../src/bots/slack/blocks.js';
import { LIMITS } from '../../../src/bots/slack/limits.js';
import type { Block, Button, PaperCard, Reply } from '../../../src/model/reply.js';
import { blockKitProblem } from '../../fakes/slack/blockKitRules.js';
import { buttonsOf, headerOf, paperIdsOf, sectionTexts, type SentBlocks } from './slackMessage.js';

const card = (over: Partial<PaperCard> = {}): PaperCard => ({
  id: '2405.14906',
  title: 'A Paper',
  links: { primary: 'https://huggingface.co/papers/2405.14906' },
  published: '2024-05-23',
  upvotes: 12,
  byline: 'NVIDIA',
  snippet: [{ text: 'We route ' }, { text: 'experts', mark: true }, { text: ' sparsely.' }],
  ...over,
});
const reply = (blocks: Block[], extra: Partial<Reply> = {}): Reply => ({ visibility: 'ephemeral', blocks, ...extra });
const render = (r: Reply) => renderReply(r) as unknown as SentBlocks & { text: string };
const valid = (r: Reply) => expect(blockKitProblem(render(r))).toBeUndefined();

describe('mrkdwn escaping', () => {
  const evil = '<!channel> Attention & <@U123> <https://evil.test|click>';

  it('a title, byline and snippet with mentions ping nobody and render literally', () => {
    const message = render(reply([{ kind: 'paper', card: card({ title: evil, byline: '<!here>', snippet: [{ text: '<!everyone> hi' }] }) }]));
    const json = JSON.stringify(message);
    expect(json).not.toMatch(/<!channel>|<@U123>|<!here>|<!everyone>|<https:\/\/evil/);
    const text = sectionTexts(message)[0]!;
    expect(text).toContain('&lt;!channel&gt; Attention &amp; &lt;@U123&gt; &lt;https://evil.test|click&gt;');
    expect(text).toContain('&lt;!here&gt;');
    expect(text).toContain('&lt;!everyone&gt; hi');
  });

  it('text, context, citations and the notification text are escaped too', () => {
    const message = render(
      reply([
        { kind: 'text', text: [{ text: evil }] },
        { kind: 'context', text: evil },
        { kind: 'citations', items: [{ n: 1, paperId: 'x', title: evil, url: 'https://a.test/?q=a|b' }] },
      ]),
    );
    expect(JSON.stringify(message)).not.toMatch(/<!channel>|<@U123>/);
    expect(message.text).toBe('&lt;!channel&gt; Attention &amp; &lt;@U123&gt; &lt;https://evil.test|click&gt;');
    expect(sectionTexts(message)[1]).toBe('[1] <https://a.test/?q=a%7Cb|&lt;!channel&gt; Attention &amp; &lt;@U123&gt; &lt;https://evil.test|click&gt;> · `x`');
  });

  it('a heading is plain text, which Slack never turns into a mention', () => {
    const message = render(reply([{ kind: 'heading', text: '<!channel> news' }]));
    expect((message['blocks'] as Array<{ text: { type: string; text: string } }>)[0]!.text).toEqual({ type: 'plain_text', text: '<!channel> news', emoji: true });
  });
});

describe('paper cards', () => {
  it('show the linked title, id, date, upvotes, byline and the snippet with matches in bold', () => {
    const [text] = sectionTexts(render(reply([{ kind: 'paper', card: card() }])));
    expect(text).toBe('*<https://huggingface.co/papers/2405.14906|A Paper>*\n`2405.14906` · 2024-05-23 · ▲ 12 · NVIDIA\nWe route *experts* sparsely.');
  });

  it('keep spaces outside the asterisks so Slack renders the bold', () => {
    const [text] = sectionTexts(render(reply([{ kind: 'paper', card: card({ snippet: [{ text: 'a' }, { text: ' moe ', mark: true }, { text: 'b' }] }) }])));
    expect(text!.endsWith('a *moe* b')).toBe(true);
  });

  it('mark each card with its paper id, unique even when a paper appears twice', () => {
    const message = render(
      reply([
        { kind: 'paper', card: card() },
        { kind: 'paper', card: card() },
      ]),
    );
    expect((message['blocks'] as Array<{ block_id: string }>).map((b) => b.block_id)).toEqual(['paper:2405.14906', 'paper:2405.14906:2']);
    expect(paperIdsOf(message)).toEqual(['2405.14906', '2405.14906']);
  });

  it('give way in the snippet when the section would pass 3000 characters, keeping the title link whole', () => {
    const long = card({ snippet: [{ text: 'word '.repeat(1000) }, { text: 'end', mark: true }] });
    const [text] = sectionTexts(render(reply([{ kind: 'paper', card: long }])));
    expect(text!.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(text!.length).toBeGreaterThan(LIMITS.sectionText - 10);
    expect(text).toMatch(/^\*<https:\/\/huggingface\.co\/papers\/2405\.14906\|A Paper>\*\n/);
    expect(text!.endsWith('word…')).toBe(true);
    valid(reply([{ kind: 'paper', card: long }]));
  });
});

describe('limits at each edge', () => {
  it('header: 150 characters kept, 151 cut at a word with an ellipsis', () => {
    const at = 'h'.repeat(150);
    expect(headerOf(render(reply([{ kind: 'heading', text: at }])))).toBe(at);
    const over = `${'word '.repeat(30)}x`;
    expect(over.length).toBe(151);
    const cut = headerOf(render(reply([{ kind: 'heading', text: over }])))!;
    expect(cut.length).toBeLessThanOrEqual(150);
    expect(cut).toMatch(/word…$/);
  });

  it('section text: 3000 characters kept, 3001 cut to 3000', () => {
    const at = 'x'.repeat(3000);
    expect(sectionTexts(render(reply([{ kind: 'text', text: [{ text: at }] }])))[0]).toBe(at);
    const cut = sectionTexts(render(reply([{ kind: 'text', text: [{ text: at + 'y' }] }])))[0]!;
    expect(cut).toHaveLength(3000);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('section text counts the escaped characters', () => {
    const text = '<'.repeat(1000);
    const out = sectionTexts(render(reply([{ kind: 'text', text: [{ text }] }])))[0]!;
    expect(out.length).toBeLessThanOrEqual(3000);
    expect(out.replace(/&lt;/g, '')).toBe('…');
  });

  it('button text: 75 characters kept, 76 cut', () => {
    const b = (label: string): Block => ({ kind: 'actions', buttons: [{ label, command: 'help' }] });
    expect(buttonsOf(render(reply([b('l'.repeat(75))])))[0]!.label).toBe('l'.repeat(75));
    expect(buttonsOf(render(reply([b('l'.repeat(76))])))[0]!.label).toHaveLength(75);
  });

  it('action value: a 2000-character command kept, a 2001-character one left out rather than cut', () => {
    const cmd = (n: number) => `find ${'q'.repeat(n - 5)}`;
    const buttons: Button[] = [
      { label: 'fits', command: cmd(2000) },
      { label: 'too long', command: cmd(2001) },
    ];
    const shown = buttonsOf(render(reply([{ kind: 'actions', buttons }])));
    expect(shown).toEqual([{ label: 'fits', value: cmd(2000) }]);
    const none = render(
      reply([
        { kind: 'heading', text: 'h' },
        { kind: 'actions', buttons: [buttons[1]!] },
      ]),
    );
    expect((none['blocks'] as unknown[]).length).toBe(1);
  });

  it('50 blocks kept; more become 49 and a note saying how many were left out', () => {
    const fifty: Block[] = Array.from({ length: 50 }, (_, i) => ({ kind: 'context', text: `line ${i}` }));
    expect((render(reply(fifty))['blocks'] as unknown[]).length).toBe(50);
    const message = render(reply([...fifty, { kind: 'context', text: 'line 50' }, { kind: 'context', text: 'line 51' }]));
    const blocks = message['blocks'] as Array<{ elements: Array<{ text: string }> }>;
    expect(blocks).toHaveLength(50);
    expect(blocks[48]!.elements[0]!.text).toBe('line 48');
    expect(blocks[49]!.elements[0]!.text).toBe('3 more blocks not shown: Slack limits the size of one message.');
    valid(reply([...fifty, { kind: 'context', text: 'line 50' }]));
  });

  it('a message of long cards stays within about 40k characters', () => {
    const cards: Block[] = Array.from({ length: 20 }, (_, i) => ({ kind: 'paper', card: card({ id: `p${i}`, snippet: [{ text: 'long '.repeat(700) }] }) }));
    const message = render(reply(cards));
    expect(JSON.stringify(message['blocks']).length).toBeLessThanOrEqual(LIMITS.messageChars);
    expect(paperIdsOf(message).length).toBeLessThan(20);
    valid(reply(cards));
  });

  it('every action_id in a message is unique, so Slack accepts many cards with buttons', () => {
    const blocks: Block[] = Array.from({ length: 10 }, (_, i) => [
      { kind: 'paper', card: card({ id: `p${i}` }) } as Block,
      {
        kind: 'actions',
        buttons: [
          { label: 'Summary', command: `summary p${i}`, style: 'primary' },
          { label: 'More like this', command: `like p${i}` },
        ],
      } as Block,
    ]).flat();
    valid(reply(blocks));
  });
});

describe('threads', () => {
  it('a reply meant for a thread marks its first block with the paper, so the thread knows its subject', () => {
    const message = render(
      reply(
        [
          { kind: 'heading', text: 'TL;DR: A Paper' },
          { kind: 'text', text: [{ text: '• It works.' }] },
        ],
        { visibility: 'channel', thread: { key: '2405.14906', title: 'A Paper' } },
      ),
    );
    expect(paperIdsOf(message)).toEqual(['2405.14906']);
  });

  it('the parent of a new thread names the paper, escaped, and carries its id', () => {
    const parent = renderThreadParent({ key: 't-abc', title: 'Fast <@U1> & slow' }) as unknown as SentBlocks;
    expect(paperIdsOf(parent)).toEqual(['t-abc']);
    expect(sectionTexts(parent)[0]).toBe(':page_facing_up: *Fast &lt;@U1&gt; &amp; slow*');
  });
});
