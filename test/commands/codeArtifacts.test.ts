import { describe, expect, it } from 'vitest';
import { renderReply } from '../../src/render/text.js';
import { coreCommands } from '../../src/coreCommands.js';
import { CommandRouter } from '../../src/commands/router.js';
import { PaperLibrary } from '../../src/index/library.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import type { Paper } from '../../src/model/paper.js';
import { fixedClock } from '../helpers/seeds.js';

const paper = (n: number, code: boolean): Paper => ({
  id: `2512.0000${n}`,
  arxivId: `2512.0000${n}`,
  title: `Sparse diffusion sampler number ${n}`,
  abstract: `We study sparse diffusion sampling, variant ${n}, for image synthesis at scale.`,
  authors: ['Ada Lovelace'],
  upvotes: 10 - n,
  digests: [{ date: '2025-12-01', file: 'd.json', rank: n }],
  aiSummary: `A one-line summary of sampler ${n}.`,
  keywords: ['diffusion', 'sparse sampling'],
  ...(code ? { githubRepo: `https://github.com/lab/sampler-${n}`, githubStars: 1234 * n, projectPage: `https://lab.github.io/sampler-${n}/` } : {}),
});
const papers = [paper(1, false), paper(2, true), paper(3, false), paper(4, true), paper(5, false)];
const router = new CommandRouter(coreCommands({ library: new PaperLibrary(PaperIndex.build(papers)), clock: fixedClock() }));
const screen = async (text: string) => renderReply(await router.handle(text, { platform: 'console', channelId: 'console', userId: 'local' })).text;

describe('code and artifacts on paper cards', () => {
  it('a card shows the repository with its stars, the project page, the AI summary and keywords', async () => {
    const text = await screen('show 2512.00004');
    expect(text).toContain('Code: https://github.com/lab/sampler-4 ★ 4,936 · Project page: https://lab.github.io/sampler-4/');
    expect(text).toContain('Keywords: diffusion, sparse sampling');
    const list = await screen('find sparse diffusion sampler');
    expect(list).toContain('AI summary: A one-line summary of sampler 1.');
    expect(text).toContain('AI summary: A one-line summary of sampler 4.');
    expect(list).not.toContain('https://github.com/lab/sampler-1');
  });

  it('find --has code lists only papers with a repository, counted and paged as such', async () => {
    const text = await screen('find sparse diffusion sampler --has code --limit 1');
    expect(text).toContain('Papers about “sparse diffusion sampler” with code');
    expect(text).toContain('2 papers have all the words · page 1 of 2');
    const reply = await router.handle('find sparse diffusion sampler --has code --limit 1', { platform: 'console' });
    const cards = reply.blocks.filter((b) => b.kind === 'paper');
    expect(cards.length).toBe(1);
    for (const b of cards) expect(b.kind === 'paper' && b.card.code?.repo).toMatch(/^https:\/\/github\.com\//);
    const next = reply.blocks.flatMap((b) => (b.kind === 'actions' ? b.buttons : [])).find((b) => b.label === 'Next page');
    expect(next?.command).toBe('find sparse diffusion sampler --limit 1 --page 2 --has code');
  });

  it('--has takes only code', async () => {
    expect(await screen('find sampler --has docs')).toMatch(/--has takes “code” \(got “docs”\)/);
  });
});
