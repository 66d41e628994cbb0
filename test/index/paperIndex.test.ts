import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { learnAcronyms, matchLongForm } from '../../src/index/acronyms.js';
import { PaperIndex, type IndexSections, type LoadedSections } from '../../src/index/paperIndex.js';
import { LazyArray } from '../../src/index/lazyArray.js';
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
    expect(small.search('low-rank adaptation').map((h) => h.paper.id).sort()).toEqual(['a', 'b', 'c']);
    expect(small.search('lora').map((h) => h.paper.id).sort()).toEqual(['a', 'b', 'c']);
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

  it('answers the same after a snapshot round trip, with every paper intact', () => {
    const { header, sections } = index.toSnapshot();
    const copy = PaperIndex.fromSnapshot(JSON.parse(JSON.stringify(header)), loaded(sections));
    for (const q of ['moe routing', 'trasnformer', 'kv cache', 'nvidia']) {
      expect(copy.search(q).map((h) => [h.paper.id, h.score])).toEqual(index.search(q).map((h) => [h.paper.id, h.score]));
    }
    expect(copy.trending('week', '2026-11-23').hits.map((h) => h.paper.id)).toEqual(index.trending('week', '2026-11-23').hits.map((h) => h.paper.id));
    const some = index.papers()[7]!;
    expect(copy.get(some.id)).toEqual(some);
    expect(copy.papers()).toEqual(index.papers());
  });

  it('refuses a snapshot of another format or whose parts do not fit', () => {
    const { header, sections } = index.toSnapshot();
    expect(() => PaperIndex.fromSnapshot({ ...header, format: -1 }, loaded(sections))).toThrow(/format/);
    expect(() => PaperIndex.fromSnapshot({ ...header, docCount: header.docCount + 1 }, loaded(sections))).toThrow(/paper count/);
    expect(() => PaperIndex.fromSnapshot(header, loaded({ ...sections, docs: sections.docs.subarray(1) }))).toThrow(/postings/);
  });
});

describe('rebuilding from a previous index', () => {
  it('takes over unchanged papers and gives exactly the index a build from scratch gives', async () => {
    const { papers } = await loadSeeds();
    // The previous index: most papers, one with a different abstract, one that is gone now.
    const changed = { ...papers[3]!, abstract: `${papers[3]!.abstract} Revised.` };
    const previous = PaperIndex.build([...papers.slice(0, 3), changed, ...papers.slice(4, 150), { ...papers[0]!, id: 'gone', title: 'A paper no longer listed' }]);
    const scratch = PaperIndex.build(papers).toSnapshot();
    const rebuilt = PaperIndex.build(papers, undefined, previous).toSnapshot();
    expect(rebuilt.header).toEqual(scratch.header);
    for (const [name, bytes] of Object.entries(scratch.sections)) expect(Buffer.compare(Buffer.from(rebuilt.sections[name as keyof IndexSections]), Buffer.from(bytes)), name).toBe(0);
  });

  /** An index of `papers` whose first posting count reads 999: a build that takes rows over from it shows so. */
  function tampered(papers: readonly Paper[]): PaperIndex {
    const { header, sections } = PaperIndex.build(papers).toSnapshot();
    const freqs = sections.freqs.slice();
    freqs[0] = 999;
    return PaperIndex.fromSnapshot(header, loaded({ ...sections, freqs }));
  }

  it('really takes the rows over: a count tampered with in the previous index shows up', async () => {
    const { papers } = await loadSeeds();
    const previous = tampered(papers);
    expect(PaperIndex.build(papers, undefined, previous).toSnapshot().sections.freqs[0]).toBe(999);
    expect(PaperIndex.build(papers).toSnapshot().sections.freqs[0]).not.toBe(999);
  });

  it('takes nothing over from an index that was replaced meanwhile (its file may be closing)', async () => {
    const { papers } = await loadSeeds();
    const previous = tampered(papers);
    expect((await PaperIndex.buildAsync(papers, undefined, previous)).toSnapshot().sections.freqs[0]).toBe(999);
    previous.retire(0);
    expect((await PaperIndex.buildAsync(papers, undefined, previous)).toSnapshot().sections.freqs[0]).not.toBe(999);
  });
});

/** Copies of the saved sections, as a snapshot read back whole would give them. */
function loaded(s: IndexSections): LoadedSections {
  return {
    terms: s.terms.slice(),
    offsets: s.offsets.slice(),
    fieldLengths: s.fieldLengths.slice(),
    paperKeys: s.paperKeys.slice(),
    paperKeyOffsets: s.paperKeyOffsets.slice(),
    paperOffsets: s.paperOffsets.slice(),
    paperLookup: s.paperLookup.slice(),
    paperUpvotes: s.paperUpvotes.slice(),
    appearanceOffsets: s.appearanceOffsets.slice(),
    appearances: s.appearances.slice(),
    docs: LazyArray.of(s.docs.slice()),
    freqs: LazyArray.of(s.freqs.slice()),
    paperRecords: LazyArray.of(s.paperRecords.slice()),
  };
}

describe('a replaced index', () => {
  it('leaves memory once no command holds it, though its file closes only after the grace time', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let old: PaperIndex | undefined = PaperIndex.build(papers);
    const gone = new WeakRef(old);
    old.retire(60_000);
    old = undefined;
    // WeakRefs clear between jobs: let a few turns pass around each collection.
    for (let i = 0; i < 3 && gone.deref(); i++) {
      await new Promise((r) => setTimeout(r, 0));
      gc();
    }
    expect(gone.deref()).toBeUndefined();
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
