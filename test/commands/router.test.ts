import { beforeAll, describe, expect, it } from 'vitest';
import type { CommandRouter } from '../../src/commands/router.js';
import { CommandRouter as Router } from '../../src/commands/router.js';
import { coreCommands } from '../../src/coreCommands.js';
import { PaperLibrary } from '../../src/index/library.js';
import type { PaperIndex } from '../../src/index/paperIndex.js';
import { markedToPlain, type Block, type Reply } from '../../src/model/reply.js';
import { fixedClock, seedRouter } from '../helpers/seeds.js';

let router: CommandRouter;
let index: PaperIndex;
beforeAll(async () => ({ router, index } = await seedRouter()));

const ctx = { platform: 'console' as const, channelId: 'c1', userId: 'u1' };
const run = (text: string) => router.handle(text, ctx);
const textOf = (reply: Reply) =>
  reply.blocks.map((b: Block) => (b.kind === 'text' ? markedToPlain(b.text) : b.kind === 'heading' || b.kind === 'context' ? b.text : b.kind === 'paper' ? b.card.title : '')).join('\n');
const cards = (reply: Reply) => reply.blocks.flatMap((b) => (b.kind === 'paper' ? [b.card] : []));
const buttons = (reply: Reply) => reply.blocks.flatMap((b) => (b.kind === 'actions' ? b.buttons : []));

describe('find', () => {
  it('returns paper cards with title, id, link, snippet and buttons, privately by default', async () => {
    const reply = await run('/paper find moe routing');
    expect(reply.error).toBeUndefined();
    expect(reply.visibility).toBe('ephemeral');
    const found = cards(reply);
    expect(found).toHaveLength(5);
    expect(found.map((c) => c.id)).toEqual(index.search('moe routing', { limit: 5 }).map((h) => h.paper.id));
    for (const c of found) {
      expect(c.links.primary).toMatch(/^https:\/\//);
      expect(c.snippet.some((r) => r.mark)).toBe(true);
    }
    const labels = buttons(reply).map((b) => b.label);
    expect(labels.filter((l) => l === 'Summary')).toHaveLength(5);
    expect(labels).toContain('Next page');
    expect(labels).toContain('Share to channel');
  });

  it('the same text gives the same result with or without the /paper prefix', async () => {
    expect(cards(await run('find kv cache'))).toEqual(cards(await run('/paper find kv cache')));
  });

  it('“Next page” replays as the next five results, none repeated', async () => {
    const first = await run('find language model');
    const next = buttons(first).find((b) => b.label === 'Next page')!;
    const second = await run(next.command);
    const ids = (r: Reply) => cards(r).map((c) => c.id);
    expect(ids(second)).toHaveLength(5);
    expect(ids(second).filter((id) => ids(first).includes(id))).toEqual([]);
    expect(textOf(second)).toMatch(/page 2 of/);
  });

  it('--share makes the results visible to the channel, --limit bounds them', async () => {
    const reply = await run('find diffusion --share --limit 2');
    expect(reply.visibility).toBe('channel');
    expect(cards(reply)).toHaveLength(2);
  });

  it.each([
    ['find', /needs a query, e\.g\. `\/paper find moe routing`.*Usage: `\/paper find <query> \[--limit 1-10\]/s],
    ['find moe --limit 50', /--limit takes a whole number from 1 to 10/],
    ['find moe --limit abc', /--limit takes a whole number/],
    ['find moe --page 999', /only \d+ pages? of results/],
  ])('“%s” explains what to type instead', async (text, message) => {
    const reply = await run(text);
    expect(reply.error).toBeDefined();
    expect(reply.visibility).toBe('ephemeral');
    expect(textOf(reply)).toMatch(message);
  });

  it('says how many papers have all the words and how many only some, and where the second kind starts', async () => {
    const reply = await run('find speculative decoding --limit 10');
    const page = index.searchPage('speculative decoding');
    expect(page.allWords).toBeGreaterThan(0);
    expect(page.someWords).toBeGreaterThan(0);
    const text = textOf(reply);
    expect(text).toContain(`${page.allWords} paper${page.allWords === 1 ? ' has' : 's have'} all the words, ${page.someWords} only some`);
    const shown = cards(reply).map((c) => c.title);
    const divider = text.indexOf('With only some of the words:');
    expect(divider).toBeGreaterThan(-1);
    // Papers before the divider have every word, those after it do not.
    for (const [i, title] of shown.entries()) expect(text.indexOf(title) < divider, title).toBe(i < page.allWords);
  });

  it('a query no paper answers says so, names the words no paper uses and labels the few partial matches', async () => {
    const reply = await run('find banana bread recipe');
    const text = textOf(reply);
    expect(text).toMatch(/No paper matches “banana bread recipe”/);
    expect(text).toMatch(/No paper uses “banana” or “bread”\. Partial matches, with only some of the words:/);
    expect(cards(reply).length).toBeGreaterThan(0);
    expect(cards(reply).length).toBeLessThanOrEqual(3);
  });

  it('says how it read a slip of the keys', async () => {
    expect(textOf(await run('find speculative decodng'))).toContain('Read “decodng” as “decoding”.');
  });

  it('a query that matches nothing says so and suggests a spelling when one is close', async () => {
    const none = await run('find zzqxv');
    expect(textOf(none)).toMatch(/No paper matches “zzqxv”/);
    const typo = await run('find yolp');
    expect(textOf(typo)).toMatch(/Did you mean “yolo”\?/);
    expect(buttons(typo).map((b) => b.command)).toEqual(['find yolo --limit 5']);
    // The suggestion replays the command as it was asked, with another spelling.
    expect(buttons(await run('find yolp --limit 3 --share')).map((b) => b.command)).toEqual(['find yolo --limit 3 --share']);
  });
});

describe('show, summary and like', () => {
  it('show gives the full abstract, the digests it appeared in, and buttons', async () => {
    const paper = index.papers().find((p) => p.digests.length > 1)!;
    const reply = await run(`show ${paper.id}`);
    expect(cards(reply)[0]!.title).toBe(paper.title);
    expect(markedToPlain(cards(reply)[0]!.snippet)).toBe(paper.abstract);
    expect(textOf(reply).match(/#\d+/g)).toHaveLength(paper.digests.length);
    expect(buttons(reply).map((b) => b.command)).toContain(`summary ${paper.id}`);
  });

  it('show accepts title words that clearly point to one paper', async () => {
    const reply = await run('show kinetics test-time scaling laws');
    expect(cards(reply)[0]!.title).toBe('Kinetics: Rethinking Test-Time Scaling Laws');
  });

  it('an unknown id is a friendly not-found, never an exception', async () => {
    const reply = await run('show 2405.99999');
    expect(reply.error?.code).toBe('not_found');
    expect(textOf(reply)).toMatch(/No paper with id or title “2405\.99999”/);
  });

  it('summary quotes two or three sentences of the abstract and asks for a thread', async () => {
    const paper = index.papers()[3]!;
    const reply = await run(`summary ${paper.id}`);
    expect(reply.thread).toEqual({ key: paper.id, title: paper.title });
    const bullets = textOf(reply)
      .split('\n')
      .filter((l) => l.startsWith('• '));
    expect(bullets.length).toBeGreaterThanOrEqual(2);
    expect(bullets.length).toBeLessThanOrEqual(3);
    for (const b of bullets) expect(paper.abstract).toContain(b.slice(2));
  });

  it('summary without an id inside a paper thread summarises that paper', async () => {
    const paper = index.papers()[5]!;
    const reply = await router.handle('summary', { ...ctx, threadPaperId: paper.id });
    expect(reply.thread?.key).toBe(paper.id);
  });

  it('like finds other papers, never the paper itself', async () => {
    const paper = index.papers().find((p) => /Mixture-of-Experts/.test(p.title))!;
    const reply = await run(`like ${paper.id}`);
    const ids = cards(reply).map((c) => c.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).not.toContain(paper.id);
  });
});

describe('trending, help and mistakes', () => {
  it('trending week lists papers of the latest week with a dated heading', async () => {
    const reply = await run('trending week');
    expect(reply.visibility).toBe('channel');
    expect(textOf(reply)).toMatch(/Trending this week: Dec 4, 2025 – Dec 10, 2025/);
    expect(cards(reply).length).toBe(5);
  });

  it('a bad period is explained', async () => {
    expect(textOf(await run('trending year'))).toMatch(/Period must be day, week or month/);
  });

  it('help lists every command; help <command> gives its usage', async () => {
    const help = textOf(await run('help'));
    for (const name of ['find', 'show', 'trending', 'summary', 'like', 'help']) expect(help).toContain(`/paper ${name}`);
    expect(textOf(await run('help find'))).toMatch(/\/paper find <query>/);
    expect(textOf(await run(''))).toMatch(/paperbot: search and discuss/);
  });

  it('an unknown command suggests the closest one', async () => {
    const reply = await run('fnd moe');
    expect(reply.error?.code).toBe('usage');
    expect(textOf(reply)).toMatch(/Unknown command “fnd”\. Did you mean `find`\?/);
  });

  it('a command run before the index is ready says to wait', async () => {
    const waiting = new Router(coreCommands({ library: new PaperLibrary(), clock: fixedClock() }));
    const reply = await waiting.handle('find moe', ctx);
    expect(reply.error?.code).toBe('index_not_ready');
    expect(textOf(reply)).toMatch(/still loading/);
  });

  it('a bug in a command becomes an apology, not an exception', async () => {
    const broken = new Router([
      {
        name: 'boom',
        summary: 'x',
        options: [],
        visibility: 'ephemeral',
        run: () => {
          throw new Error('secret stack detail');
        },
      },
    ]);
    const reply = await broken.handle('boom', ctx);
    expect(reply.error?.code).toBe('internal');
    expect(textOf(reply)).toMatch(/something went wrong/);
    expect(textOf(reply)).not.toMatch(/secret stack detail/);
  });
});
