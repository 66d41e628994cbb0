import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { coreCommands } from '../../src/coreCommands.js';
import { CommandRouter } from '../../src/commands/router.js';
import { PaperLibrary } from '../../src/index/library.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import { markedToPlain, type Block, type Reply } from '../../src/model/reply.js';
import type { Paper } from '../../src/model/paper.js';
import { loadDigests } from '../../src/parser/loadDigests.js';
import { RAW_DIR, SEEDS_DIR, TODAY, fixedClock } from '../helpers/seeds.js';

/** The seeds plus one API day, so arXiv ids are there too. */
let router: CommandRouter;
let index: PaperIndex;
let arxivPaper: Paper;
beforeAll(async () => {
  const load = await loadDigests([SEEDS_DIR, join(RAW_DIR, '2025-11-10.json')], { today: TODAY });
  index = PaperIndex.build(
    load.papers,
    load.digests.map((d) => d.date),
  );
  router = new CommandRouter(coreCommands({ library: new PaperLibrary(index), clock: fixedClock() }));
  arxivPaper = index.get('2511.05271')!;
});

const run = (text: string) => router.handle(text, { platform: 'console', channelId: 'c1', userId: 'u1' });
const textOf = (reply: Reply) =>
  reply.blocks.map((b: Block) => (b.kind === 'text' ? markedToPlain(b.text) : b.kind === 'heading' || b.kind === 'context' ? b.text : b.kind === 'paper' ? b.card.title : '')).join('\n');
const cards = (reply: Reply) => reply.blocks.flatMap((b) => (b.kind === 'paper' ? [b.card] : []));

describe('an id that does not exist', () => {
  it.each(['show', 'summary', 'like'])('%s never answers with another paper: it says the id is unknown', async (command) => {
    for (const typed of ['nonexistent-id', 't-ffffffffff', '2405.99999', 'https://arxiv.org/abs/2401.00001v2']) {
      const reply = await run(`${command} ${typed}`);
      expect(reply.error?.code, `${command} ${typed}`).toBe('not_found');
      expect(cards(reply), `${command} ${typed}`).toEqual([]);
      expect(reply.thread).toBeUndefined();
      expect(textOf(reply)).toContain(`No paper with id or title “${typed}”`);
      expect(textOf(reply)).not.toMatch(/Closest titles/);
    }
  });

  it('suggests the id one slip away (a letter missing, changed, or two swapped)', async () => {
    const id = 't-91e2b2567c';
    expect(index.get(id)).toBeDefined();
    for (const slip of ['t-91e2b2567', 't-91e2b2567d', 't-91e2b2576c']) {
      const shown = textOf(await run(`show ${slip}`));
      expect(shown, slip).toContain(`Closest ids:\n• ${id}: ${index.get(id)!.title}`);
    }
    const arxiv = textOf(await run('summary 2511.05217'));
    expect(arxiv).toContain(`• 2511.05271: ${arxivPaper.title}`);
  });

  it('an arXiv id not in the digests says so', async () => {
    expect(textOf(await run('show 2401.00001'))).toContain('arXiv 2401.00001 is not in the digests');
  });

  it('title words that lead to no one title get the closest titles, never a paper', async () => {
    const reply = await run('show kinetcs test-time scaling');
    expect(cards(reply)).toEqual([]);
    expect(textOf(reply)).toMatch(/Closest titles:\n• t-dbcaff2444: Kinetics: Rethinking Test-Time Scaling Laws/);
    expect(textOf(await run('show banana bread recipe'))).toMatch(/No title has these words/);
    // Several titles with every word: the user picks.
    const several = await run('show mixture-of-experts');
    expect(cards(several)).toEqual([]);
    expect((textOf(several).match(/^• /gm) ?? []).length).toBe(3);
  });
});

describe('arXiv ids and paper URLs', () => {
  const forms = (id: string) => [id, `${id}v2`, `arXiv:${id}`, `https://arxiv.org/abs/${id}v1`, `https://arxiv.org/pdf/${id}v2.pdf`, `https://huggingface.co/papers/${id}`];

  it('show, summary and like find the paper by any of them', async () => {
    for (const typed of forms(arxivPaper.id)) {
      expect(cards(await run(`show ${typed}`))[0]?.id, typed).toBe(arxivPaper.id);
      expect((await run(`summary ${typed}`)).thread?.key, typed).toBe(arxivPaper.id);
      expect(textOf(await run(`like ${typed}`)), typed).toContain(`More like “${arxivPaper.title}”`);
    }
  });

  it('find with an arXiv id the digests do not have says so, and lists no paper', async () => {
    const reply = await run('find https://arxiv.org/abs/2401.00001v3');
    expect(reply.error).toBeUndefined();
    expect(cards(reply)).toEqual([]);
    expect(textOf(reply)).toContain('arXiv 2401.00001 is not in the digests');
  });

  it('find gives exactly that paper', async () => {
    for (const typed of forms(arxivPaper.id)) {
      const reply = await run(`find ${typed}`);
      expect(
        cards(reply).map((c) => c.id),
        typed,
      ).toEqual([arxivPaper.id]);
    }
  });
});

describe('show lists authors', () => {
  it('at most ten, then how many more', async () => {
    const many = index.papers().find((p) => p.authors.length > 10);
    const few = index.papers().find((p) => p.authors.length > 0 && p.authors.length <= 10)!;
    expect(many).toBeDefined();
    const shown = textOf(await run(`show ${many!.id}`));
    expect(shown).toContain(`Authors: ${many!.authors.slice(0, 10).join(', ')} and ${many!.authors.length - 10} more`);
    expect(shown).not.toContain(many!.authors[10]!);
    expect(textOf(await run(`show ${few.id}`))).toContain(`Authors: ${few.authors.join(', ')}\n`);
  });
});
