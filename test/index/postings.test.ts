import { beforeAll, describe, expect, it } from 'vitest';
import { Postings, PostingsBuilder } from '../../src/index/postings.js';
import { toTerms, tokenize } from '../../src/index/terms.js';
import type { Paper } from '../../src/model/paper.js';
import { editDistance } from '../../src/text/editDistance.js';
import { loadSeeds } from '../helpers/seeds.js';

let papers: Paper[];
let postings: Postings;

beforeAll(async () => {
  papers = (await loadSeeds()).papers;
  const builder = new PostingsBuilder(2);
  for (const p of papers) builder.add([p.title, p.abstract]);
  postings = builder.finish();
});

describe('postings built from the seed papers', () => {
  it('lists every term once, sorted, and finds each by lookup', () => {
    const terms = postings.data.terms;
    expect(new Set(terms).size).toBe(terms.length);
    expect([...terms].sort()).toEqual(terms);
    expect(terms.every((t, i) => postings.lookup(t) === i)).toBe(true);
    expect(postings.lookup('zzzz-not-a-term')).toBe(-1);
  });

  it('holds, per term and field, exactly the papers and counts the text has', () => {
    for (const word of ['diffus', 'model', 'agent', 'video', 'moe', 'quantiz']) {
      const id = postings.lookup(word);
      expect(id, word).toBeGreaterThanOrEqual(0);
      papers.forEach((p, doc) => {
        const expected = toTerms(p.abstract).filter((t) => t === word).length;
        const run = postings.run(id, 1);
        const at = [...run.docs].indexOf(doc);
        expect(at >= 0 ? run.freqs[at] : 0, `${word} in paper ${doc}`).toBe(expected);
      });
    }
  });

  it('counts distinct tokens per field and averages them', () => {
    const lengths = papers.map((p) => new Set(tokenize(p.title)).size);
    expect(papers.map((_, doc) => postings.data.fieldLengths[doc * 2])).toEqual(lengths);
    expect(postings.data.avgFieldLengths[0]).toBeCloseTo(lengths.reduce((a, b) => a + b, 0) / lengths.length, 9);
  });

  it('finds exactly the terms within the allowed edits, as a scan of every term would', () => {
    for (const [word, max] of [['difusion', 2], ['transfomer', 2], ['agnet', 1], ['rl', 1], ['quantisation', 3], ['xqzv', 1]] as const) {
      const brute = postings.data.terms.flatMap((t, id) => (editDistance(word, t) <= max ? [[id, editDistance(word, t)]] : []));
      expect([...postings.fuzzy(word, max)].sort((a, b) => a[0] - b[0]), word).toEqual(brute);
    }
  });

  it('finds the same terms next to a pathologically long one, at the edge of each allowed distance', () => {
    const builder = new PostingsBuilder(1);
    // Terms one edit apart around the longest a match can be (word length + distance), and one token of 100,000 letters.
    builder.add(['model modelz modelzz modelzzz modelzzzz mode mod m ' + 'modelz'.repeat(20_000)]);
    const long = builder.finish();
    for (const max of [0, 1, 2, 3]) {
      const brute = long.data.terms.flatMap((t, id) => (editDistance('model', t) <= max ? [[id, editDistance('model', t)]] : []));
      expect([...long.fuzzy('model', max)].sort((a, b) => a[0] - b[0]), `distance ${max}`).toEqual(brute);
    }
  });

  it('gives the range of terms starting with a prefix', () => {
    for (const prefix of ['diff', 'a', 'zzz', 'model']) {
      const [from, to] = postings.prefixRange(prefix);
      const expected = postings.data.terms.flatMap((t, id) => (t.startsWith(prefix) ? [id] : []));
      expect(Array.from({ length: to - from }, (_, i) => from + i), prefix).toEqual(expected);
    }
  });

  it('counts a paper once when the term is in several fields', () => {
    const id = postings.lookup('diffus');
    const expected = papers.filter((p) => toTerms(`${p.title} ${p.abstract}`).includes('diffus')).length;
    expect(postings.docFrequency(id, [0, 1])).toBe(expected);
  });

  it('builds an empty index that finds nothing', () => {
    const empty = new PostingsBuilder(3).finish();
    expect(empty.docCount).toBe(0);
    expect(empty.lookup('model')).toBe(-1);
    expect(empty.fuzzy('model', 2).size).toBe(0);
  });
});
