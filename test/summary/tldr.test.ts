import { beforeAll, describe, expect, it } from 'vitest';
import { summaryCommand } from '../../src/commands/summary.js';
import { parseCommandText } from '../../src/commands/parseCommand.js';
import { toTerms } from '../../src/index/terms.js';
import type { Paper } from '../../src/model/paper.js';
import { markedToPlain } from '../../src/model/reply.js';
import { tldr } from '../../src/summary/tldr.js';
import { seedLibrary } from '../answer/seedLibrary.js';

describe('TL;DR', () => {
  let seeds: Awaited<ReturnType<typeof seedLibrary>>;
  let papers: Paper[];
  beforeAll(async () => {
    seeds = await seedLibrary();
    papers = [...seeds.papers.values()];
  });

  it('is two or three sentences quoted verbatim from the abstract, none of them only the title again', () => {
    expect(papers.length).toBeGreaterThan(100);
    for (const p of papers) {
      const sentences = tldr(p);
      expect(sentences.length, p.id).toBeGreaterThanOrEqual(2);
      expect(sentences.length, p.id).toBeLessThanOrEqual(3);
      const title = new Set(toTerms(p.title));
      for (const s of sentences) {
        expect(p.abstract.slice(s.offset, s.offset + s.text.length), p.id).toBe(s.text);
        expect(toTerms(s.text).filter((t) => !title.has(t)).length, `${p.id}: ${s.text}`).toBeGreaterThanOrEqual(3);
      }
    }
  });

  it('says what the paper does and what it found, ahead of the background', () => {
    const exflow = seeds.papers.get('t-91e2b2567c')!;
    const text = tldr(exflow).map((s) => s.text);
    expect(text).toContain('In this paper, we propose a lightweight optimization technique called ExFlow, to largely accelerate the inference of these MoE models.');
    expect(text.some((s) => /2\.2x improvement/.test(s))).toBe(true);
    expect(text.some((s) => s.startsWith('In large language models like the Generative Pre-trained Transformer'))).toBe(false);
  });

  it('skips a sentence that restates the title', () => {
    const base = seeds.papers.get('t-91e2b2567c')!;
    const paper: Paper = { ...base, abstract: `${base.title}. ${base.abstract}` };
    expect(tldr(paper).map((s) => s.text)).not.toContain(`${base.title}.`);
  });

  it('the summary command shows the key sentences under a heading that does not repeat the title', async () => {
    const reply = await summaryCommand(seeds.library).run(parseCommandText('summary t-91e2b2567c'), { platform: 'console' });
    const heading = reply.blocks.find((b) => b.kind === 'heading');
    expect(heading?.kind === 'heading' ? heading.text : '').toBe('TL;DR (t-91e2b2567c)');
    const text = reply.blocks.flatMap((b) => (b.kind === 'text' ? markedToPlain(b.text).split('\n') : []));
    expect(text).toHaveLength(3);
    for (const line of text) expect(line).not.toContain('Exploiting Inter-Layer Expert Affinity');
    expect(reply.thread?.title).toBe('Exploiting Inter-Layer Expert Affinity for Accelerating Mixture-of-Experts Model Inference');
  });
});
