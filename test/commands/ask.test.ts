import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { coreCommands } from '../../src/coreCommands.js';
import { CommandRouter } from '../../src/commands/router.js';
import { PaperLibrary } from '../../src/index/library.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import type { Paper } from '../../src/model/paper.js';
import type { Reply } from '../../src/model/reply.js';
import { renderReply } from '../../src/render/text.js';
import { gradeReply } from '../answer/grade.js';
import { seedLibrary } from '../answer/seedLibrary.js';

const NEMOTRON = 't-e025832f55';
const text = (reply: Reply) => renderReply(reply).text;
const citedIds = (reply: Reply) => reply.blocks.flatMap((b) => (b.kind === 'citations' ? b.items.map((c) => c.paperId) : []));

describe('/paper ask over the seed digests', () => {
  let seeds: Awaited<ReturnType<typeof seedLibrary>>;
  let router: CommandRouter;
  const ask = (question: string, threadPaperId?: string) => router.handle(`/paper ask ${question}`, { platform: 'console', ...(threadPaperId ? { threadPaperId } : {}) });

  beforeAll(async () => {
    seeds = await seedLibrary();
    router = new CommandRouter(coreCommands({ library: seeds.library, clock: seeds.clock }));
  });

  it('is listed by help', async () => {
    expect(text(await router.handle('help', { platform: 'console' }))).toContain('/paper ask <question>');
  });

  it('asks for the question when there is none, with an example, privately', async () => {
    const reply = await ask('');
    expect(reply.error?.code).toBe('usage');
    expect(reply.visibility).toBe('ephemeral');
    expect(text(reply)).toMatch(/needs a question, e\.g\. `\/paper ask which papers make mixture-of-experts inference faster\?`/);
  });

  it('answers a greeting with how to ask, not with a search', async () => {
    const reply = await ask('hi!');
    expect(text(reply)).toContain('For example:');
    expect(citedIds(reply)).toEqual([]);
  });

  it('answers "what\'s new?" with the latest digest in page order', async () => {
    const reply = await ask("what's new?");
    const latest = [...seeds.papers.values()]
      .filter((p) => p.digests.some((d) => d.date === '2025-12-10'))
      .sort((a, b) => a.digests.find((d) => d.date === '2025-12-10')!.rank - b.digests.find((d) => d.date === '2025-12-10')!.rank);
    expect(citedIds(reply).slice(0, 3)).toEqual(latest.slice(0, 3).map((p) => p.id));
  });

  it('answers an open question with quotes from the cited abstracts, visible to the channel', async () => {
    const reply = await ask('how does ShadowKV handle long-context inference?');
    expect(reply.visibility).toBe('channel');
    expect(citedIds(reply)[0]).toBe('t-de5c21e66c');
    const graded = gradeReply(reply, seeds.papers);
    expect(graded.lines.some((l) => l.includes('“'))).toBe(true);
    expect(graded.untraceable).toEqual([]);
    expect(reply.blocks.some((b) => b.kind === 'actions' && b.buttons.some((x) => x.command === 'show t-de5c21e66c'))).toBe(true);
  });

  describe('in a paper thread', () => {
    it('reads "it" as the thread paper and replies in its thread', async () => {
      const reply = await ask('what does it propose?', NEMOTRON);
      expect(reply.thread?.key).toBe(NEMOTRON);
      expect(citedIds(reply)).toEqual([NEMOTRON]);
      expect(gradeReply(reply, seeds.papers).untraceable).toEqual([]);
    });

    it('answers who the authors are from the data, saying when names are not given', async () => {
      const reply = await ask('who are the authors?', 't-60af758e58');
      const count = seeds.papers.get('t-60af758e58')!.authorCount!;
      expect(text(reply)).toContain(`The digest lists ${count} authors but not their names.`);
    });

    it('answers when it was published and where it appeared', async () => {
      const paper = seeds.papers.get(NEMOTRON)!;
      const shown = text(await ask('when was this paper published?', NEMOTRON));
      expect(shown).toContain(new Date(`${paper.published}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' }));
    });

    it('still answers a structural question asked in the thread from the whole digest', async () => {
      const reply = await ask('what did ByteDance Seed publish?', NEMOTRON);
      expect(citedIds(reply)).toEqual(['t-de5c21e66c']);
    });

    it('says so when the thread paper is no longer in the digest', async () => {
      expect(text(await ask('what does it propose?', 't-0000000000'))).toContain("cannot find this thread's paper (t-0000000000)");
    });
  });

  it('asks which paper is meant when "this paper" is used outside a thread', async () => {
    expect(text(await ask('what does this paper propose?'))).toContain('Which paper do you mean?');
  });

  it('counts the papers of a digest day from the data, with the year inferred from today', async () => {
    const count = [...seeds.papers.values()].filter((p) => p.digests.some((d) => d.date === '2025-12-09')).length;
    expect(text(await ask('how many papers on Dec 9?'))).toContain(`Dec 9, 2025: ${count} papers`);
  });

  it('says there is no digest today and uses the latest one', async () => {
    const shown = text(await ask('how many papers today?'));
    expect(shown).toContain('There is no digest for today (Nov 23, 2026).');
    expect(shown).toContain('Dec 10, 2025 (the latest digest)');
  });

  it('matches organisations by handle or name, in any case', async () => {
    expect(citedIds(await ask('what did nvidia publish?'))).toEqual([NEMOTRON]);
  });

  it('explains that the seed digests carry no author names', async () => {
    expect(text(await ask('papers by Geoffrey Hinton'))).toContain('list only how many authors each paper has');
  });

  it('names an unknown id in a comparison instead of guessing', async () => {
    expect(text(await ask('compare t-fdd6f37f66 and t-ffffffffff'))).toContain('no paper with id t-ffffffffff');
  });

  it('ranks "most upvoted this week" by upvotes in the latest week of digests', async () => {
    const reply = await ask('most upvoted this week');
    const inWeek = [...seeds.papers.values()].filter((p) => p.digests.some((d) => d.date >= '2025-12-04' && d.date <= '2025-12-10'));
    const top = Math.max(...inWeek.map((p) => p.upvotes));
    expect(seeds.papers.get(citedIds(reply)[0]!)!.upvotes).toBe(top);
  });
});

describe('/paper ask over corpus-style data (author names, organisation handles)', () => {
  const paper = (id: string, over: Partial<Paper>): Paper => ({
    id,
    arxivId: id,
    title: `Paper ${id}`,
    abstract: 'We study things. Our method improves results.',
    authors: [],
    upvotes: 0,
    digests: [{ date: '2026-08-20', file: 'days.jsonl#2026-08-20', rank: 1 }],
    ...over,
  });
  let router: CommandRouter;

  beforeAll(() => {
    const papers = [
      paper('2608.00001', { authors: ['Tri Dao', 'Albert Gu'], organization: { handle: 'togethercomputer', name: 'Together AI' }, upvotes: 40 }),
      paper('2608.00002', { authors: ['Albert Gu'], digests: [{ date: '2026-08-13', file: 'days.jsonl#2026-08-13', rank: 2 }] }),
      paper('2608.00003', { authors: ['Someone Else'], organization: { handle: 'nvidia', name: 'NVIDIA' } }),
    ];
    const library = new PaperLibrary(PaperIndex.build(papers));
    router = new CommandRouter(coreCommands({ library, clock: new FixedClock(new Date('2026-08-24T09:00:00Z')) }));
  });
  const ask = (q: string) => router.handle(`ask ${q}`, { platform: 'slack' });

  it('finds papers by an author name, newest first', async () => {
    expect(citedIds(await ask('papers by Albert Gu'))).toEqual(['2608.00001', '2608.00002']);
  });

  it('limits to the week asked about', async () => {
    expect(citedIds(await ask('papers by Albert Gu this week'))).toEqual(['2608.00001']);
  });

  it('says when no paper has that author', async () => {
    expect(text(await ask('papers by Ada Lovelace'))).toContain('The digest has no papers by Ada Lovelace.');
  });

  it('finds an organisation by its full name or its handle', async () => {
    expect(citedIds(await ask('what did Together AI publish?'))).toEqual(['2608.00001']);
    expect(citedIds(await ask('papers from togethercomputer'))).toEqual(['2608.00001']);
  });
});
