import MiniSearch from 'minisearch';
import { beforeAll, describe, expect, it } from 'vitest';
import { BOOSTS, FIELDS, fieldsOf } from '../../src/index/paperIndex.js';
import { PostingsBuilder, type Postings } from '../../src/index/postings.js';
import { runQuery } from '../../src/index/scoring.js';
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
};

type MiniQuery = Parameters<typeof ms.search>[0];

function both(query: { words: string; phrases?: string[] }) {
  const asMiniSearch: MiniQuery = query.phrases ? { combineWith: 'OR', queries: [query.words, ...query.phrases.map((p) => ({ combineWith: 'AND' as const, queries: [p] }))] } : query.words;
  const ours = runQuery(postings, query, options, { top: 10_000 }).top.map((m) => ({ id: m.doc, score: m.score, terms: [...m.terms].sort(), queryTerms: [...m.queryTerms].sort() }));
  const theirs = ms
    .search(asMiniSearch, { boost: { title: 3, abstract: 1 }, prefix: options.prefix, fuzzy: options.fuzzy, maxFuzzy: 2, weights: options.weights, combineWith: 'OR' })
    .map((r) => ({ id: r.id as number, score: r.score, terms: [...r.terms].sort(), queryTerms: [...r.queryTerms].sort() }));
  return { ours, theirs };
}

describe('scoring', () => {
  it.each(['mixture of experts routing', 'difusion video generaton', 'agent', 'kv cache compression for long context', 'quantisation', 'nothingmatcheshere'])(
    'ranks and scores "%s" as MiniSearch does',
    (query) => {
      const { ours, theirs } = both({ words: query });
      expect(ours.length).toBe(theirs.length);
      expect(ours.map((r) => r.id)).toEqual(theirs.map((r) => r.id));
      ours.forEach((r, i) => {
        expect(r.score).toBeCloseTo(theirs[i]!.score, 9);
        expect(r.terms).toEqual(theirs[i]!.terms);
        expect(r.queryTerms).toEqual(theirs[i]!.queryTerms);
      });
    },
  );

  it('combines sub-queries as MiniSearch does: an AND phrase OR-ed with the words', () => {
    const { ours, theirs } = both({ words: 'moe', phrases: ['mixture of experts', 'mixtures of expert routers'] });
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.map((r) => [r.id, r.score.toFixed(9)])).toEqual(theirs.map((r) => [r.id, r.score.toFixed(9)]));
  });

  it('keeps only the documents the filter accepts, and counts them all while returning the best', () => {
    const all = runQuery(postings, { words: 'diffusion' }, options, { top: 10_000 });
    const kept = runQuery(postings, { words: 'diffusion' }, options, { top: 10_000, keep: (doc) => doc % 2 === 0 });
    expect(kept.top.map((m) => m.doc)).toEqual(all.top.filter((m) => m.doc % 2 === 0).map((m) => m.doc));
    const best = runQuery(postings, { words: 'diffusion' }, options, { top: 5 });
    expect(best.total).toBe(all.total);
    expect(best.top.map((m) => m.doc)).toEqual(all.top.slice(0, 5).map((m) => m.doc));
  });

  it('scores as MiniSearch does with the fields and boosts search uses, for a "more like this" query of over 32 words', () => {
    const builder = new PostingsBuilder(FIELDS.length);
    for (const p of papers) builder.add(fieldsOf(p));
    const production = builder.finish();
    const mini = new MiniSearch<Record<string, string | number>>({ fields: [...FIELDS], tokenize, processTerm: (t: string) => toTerm(t) });
    mini.addAll(papers.map((p, id) => ({ id, ...Object.fromEntries(FIELDS.map((f, i) => [f, fieldsOf(p)[i]!])) })));
    const boost = Object.fromEntries(FIELDS.map((f, i) => [f, BOOSTS[i]!]));
    // What "more like this" asks: a paper's title and opening sentences.
    const source = papers.find((p) => new Set(toTermsOf(`${p.title} ${p.abstract.split(/(?<=\.)\s/).slice(0, 2).join(' ')}`)).size > 40)!;
    const query = `${source.title} ${source.abstract.split(/(?<=\.)\s/).slice(0, 2).join(' ')}`;
    expect(new Set(toTermsOf(query)).size).toBeGreaterThan(32);
    for (const q of [{ words: query }, { words: query, phrases: ['mixture of experts', 'large language model'] }]) {
      const ours = runQuery(production, q, { ...options, boosts: BOOSTS }, { top: 10_000 }).top;
      const asMiniSearch: MiniQuery = { combineWith: 'OR', queries: [q.words, ...(q.phrases ?? []).map((p) => ({ combineWith: 'AND' as const, queries: [p] }))] };
      const theirs = mini.search(asMiniSearch, { boost, prefix: options.prefix, fuzzy: options.fuzzy, maxFuzzy: 2, weights: options.weights, combineWith: 'OR' });
      expect(ours.length).toBeGreaterThan(100);
      expect(ours.map((m) => m.doc)).toEqual(theirs.map((r) => r.id));
      ours.forEach((m, i) => {
        expect(m.score).toBeCloseTo(theirs[i]!.score, 9);
        expect([...m.queryTerms].sort()).toEqual([...theirs[i]!.queryTerms].sort());
      });
    }
  });

  it('returns the same best matches however many are asked for, ties in first-matched order', () => {
    const all = runQuery(postings, { words: 'model' }, options, { top: 10_000 }).top.map((m) => m.doc);
    for (const k of [1, 3, 17, 40]) expect(runQuery(postings, { words: 'model' }, options, { top: k }).top.map((m) => m.doc)).toEqual(all.slice(0, k));
  });
});

function toTermsOf(text: string): string[] {
  return tokenize(text).flatMap((w) => toTerm(w) ?? []);
}
