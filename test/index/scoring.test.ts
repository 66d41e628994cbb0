import MiniSearch from 'minisearch';
import { beforeAll, describe, expect, it } from 'vitest';
import { PostingsBuilder, type Postings } from '../../src/index/postings.js';
import { runQuery, type Query } from '../../src/index/scoring.js';
import { toTerm, tokenize } from '../../src/index/terms.js';
import type { Paper } from '../../src/model/paper.js';
import { loadSeeds } from '../helpers/seeds.js';

/**
 * The ranking was tuned on MiniSearch 7's scoring; the compact engine must score exactly as it
 * does, so the same index options are run through both on the real seed papers.
 */
let papers: Paper[];
let postings: Postings;
let ms: MiniSearch<{ id: number; title: string; abstract: string }>;

beforeAll(async () => {
  papers = (await loadSeeds()).papers;
  const builder = new PostingsBuilder(2);
  for (const p of papers) builder.add([p.title, p.abstract]);
  postings = builder.finish();
  ms = new MiniSearch({ fields: ['title', 'abstract'], tokenize, processTerm: (t: string) => toTerm(t) });
  ms.addAll(papers.map((p, id) => ({ id, title: p.title, abstract: p.abstract })));
});

const options = {
  boosts: [3, 1],
  prefix: (t: string) => t.length >= 4,
  fuzzy: (t: string) => (t.length >= 5 ? 0.2 : (false as const)),
  maxFuzzy: 2,
  weights: { fuzzy: 0.3, prefix: 0.4 },
  combineWith: 'OR' as const,
};

function both(query: Query) {
  const ours = runQuery(postings, query, options).map((m) => ({ id: m.doc, score: m.score, terms: [...m.terms].sort(), queryTerms: [...m.queryTerms].sort() }));
  const theirs = ms
    .search(query, { boost: { title: 3, abstract: 1 }, prefix: options.prefix, fuzzy: options.fuzzy, maxFuzzy: 2, weights: options.weights, combineWith: 'OR' })
    .map((r) => ({ id: r.id as number, score: r.score, terms: [...r.terms].sort(), queryTerms: [...r.queryTerms].sort() }));
  return { ours, theirs };
}

describe('scoring', () => {
  it.each(['mixture of experts routing', 'difusion video generaton', 'agent', 'kv cache compression for long context', 'quantisation', 'nothingmatcheshere'])(
    'ranks and scores "%s" as MiniSearch does',
    (query) => {
      const { ours, theirs } = both(query);
      expect(ours.map((r) => r.id)).toEqual(theirs.map((r) => r.id));
      ours.forEach((r, i) => {
        expect(r.score).toBeCloseTo(theirs[i]!.score, 9);
        expect(r.terms).toEqual(theirs[i]!.terms);
        expect(r.queryTerms).toEqual(theirs[i]!.queryTerms);
      });
    },
  );

  it('combines sub-queries as MiniSearch does: an AND phrase OR-ed with the words', () => {
    const query: Query = { combineWith: 'OR', queries: ['moe', { combineWith: 'AND', queries: ['mixture of experts'] }] };
    const { ours, theirs } = both(query);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.map((r) => [r.id, r.score.toFixed(9)])).toEqual(theirs.map((r) => [r.id, r.score.toFixed(9)]));
  });

  it('keeps only the documents the filter accepts', () => {
    const all = runQuery(postings, 'diffusion', options);
    const kept = runQuery(postings, 'diffusion', options, (doc) => doc % 2 === 0);
    expect(kept.map((m) => m.doc)).toEqual(all.filter((m) => m.doc % 2 === 0).map((m) => m.doc));
  });
});
