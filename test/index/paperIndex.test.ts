import { beforeAll, describe, expect, it } from 'vitest';
import { learnAcronyms, matchLongForm } from '../../src/index/acronyms.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import { markedToPlain } from '../../src/model/reply.js';
import type { Paper } from '../../src/model/paper.js';
import { loadSeeds, seedIndex } from '../helpers/seeds.js';

let index: PaperIndex;
let papers: Paper[];
beforeAll(async () => {
  index = await seedIndex();
  papers = (await loadSeeds()).papers;
});

/** Papers that are about mixture-of-experts by their own title: the answer a reader expects. */
const isMoeTitle = (p: Paper) => /mixture[- ]of[- ]experts|\bMoE\b/i.test(p.title);
const top = (query: string, n: number) => index.search(query, { limit: n }).map((h) => h.paper);

describe('search quality a user notices', () => {
  it.each(['moe routing', 'mixture of experts', 'MoE'])('“%s” ranks the mixture-of-experts papers first', (query) => {
    const moe = papers.filter(isMoeTitle);
    expect(moe.length).toBeGreaterThanOrEqual(3);
    const first = top(query, 3);
    expect(first.every(isMoeTitle)).toBe(true);
  });

  it('a misspelt “trasnformer” still finds transformer papers', () => {
    const hits = top('trasnformer', 5);
    expect(hits).toHaveLength(5);
    for (const p of hits) expect(`${p.title} ${p.abstract}`).toMatch(/transformer/i);
  });

  it('morphological variants meet: “quantized” finds quantization papers', () => {
    const hits = top('quantized', 5);
    expect(hits.length).toBeGreaterThan(0);
    for (const p of hits) expect(`${p.title} ${p.abstract}`).toMatch(/quantiz/i);
  });

  it('“kv cache” ranks papers about the key-value cache first', () => {
    const hits = top('kv cache', 5);
    expect(hits).toHaveLength(5);
    for (const p of hits) expect(`${p.title} ${p.abstract}`).toMatch(/\bKV\b|key-value cache/i);
  });

  it('an acronym finds a paper that only spells it out, and the other way round', () => {
    const paper = (id: string, title: string, abstract: string): Paper => ({ id, title, abstract, authors: [], upvotes: 0, digests: [] });
    const small = PaperIndex.build([
      paper('a', 'Adapters for language models', 'We study Low-Rank Adaptation (LoRA) for cheap fine-tuning.'),
      paper('b', 'Cheap tuning', 'Our method applies LoRA to every attention layer.'),
      paper('c', 'Tuning with low rank updates', 'A low-rank adaptation of the weights is learned per task.'),
      paper('d', 'Unrelated', 'Graph neural networks for molecules.'),
    ]);
    expect(
      small
        .search('low-rank adaptation')
        .map((h) => h.paper.id)
        .sort(),
    ).toEqual(['a', 'b', 'c']);
    expect(
      small
        .search('lora')
        .map((h) => h.paper.id)
        .sort(),
    ).toEqual(['a', 'b', 'c']);
  });

  it('a title match outranks a passing mention in an abstract', () => {
    const hits = top('object detection', 3);
    for (const p of hits) expect(p.title).toMatch(/object detection/i);
  });

  it('finds nothing for words that are in no paper', () => {
    expect(index.search('zzqxv wqpfk', { limit: 5 })).toEqual([]);
    expect(index.search('the of and', { limit: 5 })).toEqual([]);
  });

  it('marks the matched words in a snippet taken from the abstract', () => {
    const [hit] = index.search('kv cache', { limit: 1 });
    const marked = hit!.snippet.filter((r) => r.mark).map((r) => r.text.toLowerCase());
    expect(marked.some((t) => t.includes('kv') || t.includes('cache'))).toBe(true);
    const plainText = markedToPlain(hit!.snippet).replace(/^… | …$/g, '');
    expect(hit!.paper.abstract).toContain(plainText);
    expect(plainText.length).toBeLessThanOrEqual(260);
  });
});

describe('acronyms learned from the corpus', () => {
  it('learns MoE, KV and LoRA from the seed abstracts', () => {
    const table = index.acronyms();
    expect(table.get('moe')).toContain('mixture of experts');
    expect(table.get('kv')).toContain('key value');
    expect(table.get('lora')).toContain('low rank adaptation');
  });

  it('matches long forms letter by letter (Schwartz–Hearst)', () => {
    expect(matchLongForm('MoE', 'Sparse Mixture-of-Experts')).toBe('Mixture-of-Experts');
    expect(matchLongForm('RLHF', 'we use reinforcement learning from human feedback')).toBe('reinforcement learning from human feedback');
    expect(matchLongForm('XYZ', 'nothing that fits here')).toBeUndefined();
  });

  it('ignores parentheses that are not acronyms', () => {
    const table = learnAcronyms(['We train models (see appendix) and achieve 3x (relative) gains.']);
    expect(table.expansions.size).toBe(0);
  });
});

describe('lookup, pages and persistence', () => {
  it('finds a paper by id in any case, and by exact title', () => {
    const p = papers[7]!;
    expect(index.get(p.id)).toBe(index.get(p.id.toUpperCase()));
    expect(index.get(p.id)!.title).toBe(p.title);
    expect(index.get(`  ${p.title.toLowerCase()} `)!.id).toBe(p.id);
  });

  it('pages through results without repeats and counts them all', () => {
    const all = index.searchPage('language models', { limit: 50 });
    const pages = [0, 1, 2].map((i) => index.searchPage('language models', { limit: 5, offset: i * 5 }));
    expect(pages.every((p) => p.total === all.total)).toBe(true);
    expect(pages.flatMap((p) => p.hits.map((h) => h.paper.id))).toEqual(all.hits.slice(0, 15).map((h) => h.paper.id));
  });

  it('answers the same after a save and load, with every paper intact', async () => {
    const saved = index.save();
    const copy = await PaperIndex.load({ catalog: Buffer.from(saved.catalog), engine: Buffer.from(saved.engine) }, { pausing: true });
    for (const q of ['moe routing', 'trasnformer', 'kv cache', 'nvidia']) {
      const hits = index.search(q);
      expect(hits.length, q).toBeGreaterThan(0);
      expect(copy.search(q).map((h) => [h.paper.id, h.score])).toEqual(hits.map((h) => [h.paper.id, h.score]));
    }
    expect(copy.trending('week', '2026-11-23').hits.map((h) => h.paper.id)).toEqual(index.trending('week', '2026-11-23').hits.map((h) => h.paper.id));
    expect(copy.acronyms()).toEqual(index.acronyms());
    expect(copy.didYouMean('trasnformer')).toBe(index.didYouMean('trasnformer'));
    expect(copy.papers()).toEqual(index.papers());
  });

  it('refuses a saved index whose parts do not fit', async () => {
    const saved = index.save();
    const fewer = PaperIndex.build(papers.slice(1)).save();
    await expect(PaperIndex.load({ ...saved, engine: fewer.engine })).rejects.toThrow(/papers/);
    await expect(PaperIndex.load({ ...saved, catalog: Buffer.from('{"papers": 3}') })).rejects.toThrow(/catalog/);
    await expect(PaperIndex.load({ ...saved, engine: saved.engine.subarray(0, 1000) })).rejects.toThrow();
  });
});

describe('trending', () => {
  it('ranks the latest digest day on or before the date by upvotes, then page position', () => {
    const result = index.trending('day', '2026-11-23', 10);
    expect(result.anchor).toBe('2025-12-10');
    for (const h of result.hits) expect(h.paper.digests.some((d) => d.date === '2025-12-10')).toBe(true);
    const upvotes = result.hits.map((h) => h.paper.upvotes);
    expect(upvotes).toEqual([...upvotes].sort((a, b) => b - a));
  });

  it('a week spans every digest of the seven days before the latest one', () => {
    const result = index.trending('week', '2026-11-23', 200);
    const days = new Set(result.hits.flatMap((h) => h.paper.digests.map((d) => d.date)).filter((d) => d >= result.from! && d <= result.anchor!));
    expect([...days].sort()).toEqual(['2025-12-09', '2025-12-10']);
  });

  it('knows nothing before the first digest', () => {
    expect(index.trending('month', '2020-01-01').hits).toEqual([]);
  });

  it('moves with the clock: an earlier date gives that day’s digest', () => {
    expect(index.trending('day', '2025-12-09').anchor).toBe('2025-12-09');
  });
});
