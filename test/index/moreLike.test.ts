import { beforeAll, describe, expect, it } from 'vitest';
import type { PaperIndex } from '../../src/index/paperIndex.js';
import { toTerms } from '../../src/index/terms.js';
import { seedIndex } from '../helpers/seeds.js';

let index: PaperIndex;
beforeAll(async () => {
  index = await seedIndex();
});

describe('more like this', () => {
  it('lists other papers sharing the paper’s telling words, never the paper itself', () => {
    const papers = index.search('language models', { limit: 8 }).map((h) => h.paper);
    expect(papers.length).toBeGreaterThan(0);
    for (const paper of papers) {
      const hits = index.moreLike(paper, 5);
      expect(hits.length, paper.title).toBeGreaterThan(0);
      const own = new Set(toTerms(`${paper.title} ${paper.abstract}`));
      for (const hit of hits) {
        expect(hit.paper.id).not.toBe(paper.id);
        expect(
          [...hit.matched].some((t) => own.has(t)),
          `${hit.paper.title} like ${paper.title}`,
        ).toBe(true);
      }
    }
  });

  it('a mixture-of-experts paper finds mixture-of-experts papers first', () => {
    const moe = index.search('mixture of experts', { limit: 1 })[0]!.paper;
    const hits = index.moreLike(moe, 5);
    expect(hits.length).toBeGreaterThan(2);
    const aboutExperts = hits.filter((h) => /expert|moe/i.test(`${h.paper.title} ${h.paper.abstract}`));
    expect(aboutExperts.length).toBe(hits.length);
  });
});
