import { beforeAll, describe, expect, it } from 'vitest';
import { PaperIndex } from '../../src/index/paperIndex.js';
import { toTerms } from '../../src/index/terms.js';
import type { Paper } from '../../src/model/paper.js';
import { loadSeeds, seedIndex } from '../helpers/seeds.js';

let seeds: PaperIndex;
let papers: readonly Paper[];
beforeAll(async () => {
  seeds = await seedIndex();
  papers = (await loadSeeds()).papers;
});

/** Index terms of everything a paper's search sees: title, abstract and people. */
const termsOf = (p: Paper) => new Set(toTerms([p.title, p.abstract, p.organization?.name ?? '', p.organization?.handle ?? '', ...p.authors].join(' ')));
const hasAll = (p: Paper, query: string) => toTerms(query).every((t) => termsOf(p).has(t));
const hasAny = (p: Paper, query: string) => toTerms(query).some((t) => termsOf(p).has(t));
const ids = (index: PaperIndex, query: string) => index.search(query, { limit: 50 }).map((h) => h.paper.id);

let next = 0;
function paper(title: string, abstract: string, more: Partial<Paper> = {}): Paper {
  return { id: `p${++next}`, title, abstract, authors: [], upvotes: 0, digests: [], ...more };
}

describe('how many papers match, on the seeds', () => {
  it('counts papers with every word apart from papers with only some, and lists the first ones first', () => {
    const query = 'speculative decoding';
    const page = seeds.searchPage(query, { limit: 10 });
    const all = papers.filter((p) => hasAll(p, query)).length;
    expect(all).toBeGreaterThan(0);
    expect(page.allWords).toBe(all);
    expect(page.someWords).toBe(papers.filter((p) => hasAny(p, query)).length - all);
    expect(page.hits.length).toBeGreaterThan(all);
    page.hits.forEach((hit, i) => {
      expect(hit.allWords, hit.paper.title).toBe(i < all);
      expect(hasAll(hit.paper, query), hit.paper.title).toBe(i < all);
    });
  });

  it('lists nothing for a query no paper answers, and offers a few partial matches apart', () => {
    const page = seeds.searchPage('banana bread recipe');
    expect(page.hits).toEqual([]);
    expect(page.total).toBe(0);
    expect(page.allWords).toBe(0);
    expect(page.unknownWords).toEqual(['banana', 'bread']);
    expect(page.partial.length).toBeGreaterThan(0);
    expect(page.partial.length).toBeLessThanOrEqual(3);
    for (const hit of page.partial) expect(termsOf(hit.paper).has('recip'), hit.paper.title).toBe(true);
    expect(seeds.search('banana bread recipe')).toEqual([]);
  });

  it('lists papers having most words of a longer description, even when none has them all', () => {
    const page = seeds.searchPage('tumor segmentation in MRI scans');
    expect(page.allWords).toBe(0);
    expect(page.hits.length).toBeGreaterThan(0);
    expect(hasAll(page.hits[0]!.paper, 'tumor segmentation')).toBe(true);
  });
});

describe('partial matches that answer in part', () => {
  it('a title carrying part of the query as a phrase answers it, where the same words scattered in abstracts do not', () => {
    const soccer = paper('Towards soccer video understanding', 'We parse matches into events.');
    const scattered = Array.from({ length: 6 }, (_, i) => paper(`Clip study ${i}`, 'Understanding of scenes, and video of scenes, for robots.'));
    const index = PaperIndex.build([soccer, ...scattered, paper('Football club finances', 'Money in sport.')]);
    const page = index.searchPage('football video understanding');
    expect(page.allWords).toBe(0);
    expect(page.hits.length).toBeGreaterThan(0);
    expect(page.hits[0]!.paper.id).toBe(soccer.id);
    // The scattered words alone answer nothing: without the titled paper the query has no answer.
    expect(PaperIndex.build([...scattered, paper('Football club finances', 'Money in sport.')]).search('football video understanding')).toEqual([]);
  });
});

describe('spelling variants', () => {
  it('a word written as one finds papers writing it as two, and counts each paper once', () => {
    const index = PaperIndex.build([
      paper('Fine-tuning small models', 'We fine-tune.'),
      paper('Finetuning large models', 'We finetune.'),
      paper('Fine art', 'Paintings.'),
      paper('Tuning forks', 'Music.'),
    ]);
    const page = index.searchPage('finetuning');
    expect(page.hits.map((h) => h.paper.title).sort()).toEqual(['Fine-tuning small models', 'Finetuning large models']);
    expect(page.allWords).toBe(2);
    expect(page.someWords).toBe(0);
  });

  it.each([
    ['quantisation', 'quantization'],
    ['optimisation', 'optimization'],
    ['modelling', 'modeling'],
    ['quantised weights', 'quantized weights'],
  ])('“%s” finds what “%s” finds', (british, american) => {
    const found = ids(seeds, american);
    expect(found.length).toBeGreaterThan(0);
    expect(ids(seeds, british)).toEqual(found);
  });

  it('British spellings in papers are found by American queries', () => {
    const index = PaperIndex.build([
      paper('Image colourisation with diffusion', 'We colourise grey photographs.'),
      paper('Behavioural cloning', 'Agents learn by imitation.'),
      paper('Unrelated', 'Nothing here.'),
    ]);
    expect(index.search('colorization').map((h) => h.paper.title)).toEqual(['Image colourisation with diffusion']);
    expect(index.search('behavioral').map((h) => h.paper.title)).toEqual(['Behavioural cloning']);
  });

  it.each([
    ['speculative decodng', 'speculative decoding'],
    ['gausian splatting', 'gaussian splatting'],
    ['mixture of exprts', 'mixture of experts'],
    ['kv cahce', 'kv cache'],
  ])('a slip of the keys in any word, “%s”, finds what “%s” finds and says how it was read', (typed, meant) => {
    const found = ids(seeds, meant);
    expect(found.length).toBeGreaterThan(0);
    expect(ids(seeds, typed)).toEqual(found);
    expect(seeds.searchPage(typed).corrections.length).toBe(1);
  });

  it('reads a word one paper misspelt as the word the others use', () => {
    const spelt = Array.from({ length: 25 }, (_, i) => paper(`Transformer study ${i}`, 'A transformer model.'));
    const slip = paper('Tranformer slip', 'A tranformer model, misspelt.');
    const index = PaperIndex.build([...spelt, slip, paper('Convolutions', 'Nothing else.')]);
    const page = index.searchPage('tranformer', { limit: 50 });
    expect(page.corrections).toEqual([{ from: 'tranformer', to: 'transformer' }]);
    expect(page.hits.map((h) => h.paper.id)).toEqual(index.search('transformer', { limit: 50 }).map((h) => h.paper.id));
    expect(page.hits).toHaveLength(25);
  });

  it('does not read a dictionary word no paper uses as a slip for one papers use', () => {
    const page = seeds.searchPage('bread recipe');
    expect(page.corrections).toEqual([]);
    expect(page.hits).toEqual([]);
  });
});

describe('people and titles lead', () => {
  const byTriDao = paper('Faster attention on GPUs', 'We make attention use less memory.', { authors: ['Tri Dao', 'Albert Gu'] });
  const aboutDaos = paper('Governing a DAO with language models', 'A DAO votes on proposals; tri-partite voting splits power three ways, and each DAO member votes.');
  const nvidiaPaper = paper('A small reasoning model', 'We train a model to reason.', { organization: { handle: 'nvidia', name: 'NVIDIA' } });
  const usesNvidia = paper('Benchmarking NVIDIA GPUs', 'We run NVIDIA H100 and NVIDIA A100 GPUs on NVIDIA software.');
  const titlePhrase = paper('Text-to-video generation with motion priors', 'A model for making clips.');
  const wordsApart = paper('Generation of video from text', 'Generation of text, video generation and video text generation, over and over: video, text, generation.');
  let index: PaperIndex;
  beforeAll(() => {
    index = PaperIndex.build([aboutDaos, byTriDao, usesNvidia, nvidiaPaper, wordsApart, titlePhrase]);
  });

  it('an author’s name finds the author’s paper ahead of papers using the words', () => {
    const hits = index.search('Tri Dao');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]!.paper.id).toBe(byTriDao.id);
  });

  it('an organisation’s name finds its papers ahead of papers mentioning it', () => {
    const hits = index.search('nvidia');
    expect(hits.map((h) => h.paper.id)).toEqual([nvidiaPaper.id, usesNvidia.id]);
  });

  it('a title holding the query as a phrase ranks ahead of papers repeating its words', () => {
    const hits = index.search('text-to-video generation');
    expect(hits.map((h) => h.paper.id)).toEqual([titlePhrase.id, wordsApart.id]);
  });
});
