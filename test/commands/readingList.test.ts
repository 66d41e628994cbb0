import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import type { CommandContext } from '../../src/commands/command.js';
import { readingListCommands } from '../../src/commands/readingList.js';
import { CommandRouter } from '../../src/commands/router.js';
import { PaperLibrary } from '../../src/index/library.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import type { Reply } from '../../src/model/reply.js';
import { seedIndex } from '../helpers/seeds.js';
import { cardIds, textOf, useTempStores } from '../scheduler/harness.js';

let index: PaperIndex;
beforeAll(async () => {
  index = await seedIndex();
});
const stores = useTempStores();
let r: CommandRouter;
let clock: FixedClock;
beforeEach(() => {
  clock = new FixedClock(new Date('2026-11-23T12:00:00Z'));
  r = new CommandRouter(readingListCommands({ store: stores.open(), library: new PaperLibrary(index), clock }));
});

const ada: CommandContext = { platform: 'slack', workspaceId: 'T1', channelId: 'C1', userId: 'UADA', userName: 'ada' };
const bob: CommandContext = { ...ada, userId: 'UBOB', userName: 'bob' };
const buttons = (reply: Reply) => reply.blocks.flatMap((b) => (b.kind === 'actions' ? b.buttons : []));

describe('save, saved, unsave, export', () => {
  it('a member’s list is private; the channel’s is shared and says who saved what', async () => {
    const [a, b] = index.papers();
    await r.handle(`save ${a!.id}`, ada);
    await r.handle(`save ${b!.id} --channel`, bob);
    expect(cardIds(await r.handle('saved', ada))).toEqual([a!.id]);
    expect(textOf(await r.handle('saved', bob))).toContain('Your reading list is empty');
    const shared = await r.handle('saved channel', ada);
    expect(cardIds(shared)).toEqual([b!.id]);
    expect(textOf(shared)).toContain('Saved by bob on 2026-11-23');
    // Another channel of the workspace has its own list.
    expect(textOf(await r.handle('saved channel', { ...ada, channelId: 'C2' }))).toContain("This channel's reading list is empty");
  });

  it('saving by another form of the id is the same paper, saved once', async () => {
    const arxiv = { id: '2511.05271', arxivId: '2511.05271', title: 'A paper with an arXiv id', abstract: 'About sparse attention.', authors: ['Ada Lovelace'], upvotes: 1, digests: [] };
    const own = new CommandRouter(readingListCommands({ store: stores.open(), library: new PaperLibrary(PaperIndex.build([arxiv])), clock }));
    expect(textOf(await own.handle('save 2511.05271v2', ada))).toContain('Saved to your reading list');
    const again = await own.handle('save https://arxiv.org/abs/2511.05271', ada);
    expect(textOf(again)).toContain('Already on your reading list');
    expect(textOf(again)).toContain('1 paper on the list');
    expect(textOf(await own.handle('unsave 2511.05271v1', ada))).toContain('Removed from your reading list');
  });

  it('pages newest first with Previous/Next buttons, and Undo/Unsave remove the paper', async () => {
    const papers = index.papers().slice(0, 7);
    for (const p of papers) {
      await r.handle(`save ${p.id}`, ada);
      clock.advance(1000);
    }
    const first = await r.handle('saved', ada);
    expect(cardIds(first)).toEqual(
      papers
        .slice(2)
        .map((p) => p.id)
        .reverse(),
    );
    expect(textOf(first)).toContain('page 1 of 2');
    const next = buttons(first).find((b) => b.label === 'Next page')!;
    expect(cardIds(await r.handle(next.command, ada))).toEqual([papers[1]!.id, papers[0]!.id]);
    const unsave = buttons(first).find((b) => b.label === 'Unsave')!;
    expect(textOf(await r.handle(unsave.command, ada))).toContain('Removed from your reading list');
    expect(textOf(await r.handle('saved', ada))).toContain('(6 papers)');
    expect((await r.handle(unsave.command, ada)).error?.code).toBe('not_found');
  });

  it('export names its file by list, format and day, and refuses an empty list or a wrong word', async () => {
    expect((await r.handle('export', ada)).error?.code).toBe('not_found');
    await r.handle(`save ${index.papers()[0]!.id}`, ada);
    const bib = await r.handle('export', ada);
    expect(bib.attachment?.name).toBe('paperbot-mine-2026-11-23.bib');
    expect(bib.attachment?.mimeType).toBe('application/x-bibtex');
    const md = await r.handle('export markdown mine', ada);
    expect(md.attachment?.name).toBe('paperbot-mine-2026-11-23.md');
    expect(Buffer.from(md.attachment!.bytes).toString('utf8')).toContain(index.papers()[0]!.title.slice(0, 20));
    expect(textOf(await r.handle('export mine pdf', ada))).toMatch(/takes mine or channel, and bibtex or markdown \(got “pdf”\)/);
  });

  it('the command line has no member to keep a list for', async () => {
    expect(textOf(await r.handle(`save ${index.papers()[0]!.id}`, { platform: 'cli' }))).toMatch(/belong to a chat member/);
  });
});
