import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineDocument, EngineKind, EngineQuery, EngineSearchOptions, SearchEngine, TermQuery } from '../../src/index/engine.js';
import { toTerm } from '../../src/index/terms.js';
import { editDistance } from '../../src/text/editDistance.js';

/**
 * What every SearchEngine must do, as the relevance layer relies on it. Each engine's test file
 * calls this with its kind (as Hono runs one router suite against every router).
 */

const DOCS: EngineDocument[] = [
  { title: 'Mixture of Experts routing at scale', abstract: 'We route tokens to experts with a learned gate.', people: 'Ada Lovelace' },
  { title: 'Quantized transformers', abstract: 'Quantization of transformer weights to four bits keeps accuracy.', people: 'Alan Turing NVIDIA' },
  { title: 'A survey of diffusion models', abstract: 'Diffusion models generate images; we also cover mixture models briefly.', people: 'Grace Hopper' },
  { title: 'Key value cache compression', abstract: 'The KV cache of a transformer grows with the context; we compress it.', people: 'Edsger Dijkstra' },
  { title: 'Routing networks', abstract: 'Routing without experts, for comparison with mixture of experts layers.', people: 'Barbara Liskov' },
];

const OPTIONS: EngineSearchOptions = { boost: { title: 3, abstract: 1, people: 1.5 }, weights: { prefix: 0.4, fuzzy: 0.3 }, limit: 100 };

/** A query word as an index term (the layer above stems before it asks). */
const term = (word: string, loose: Omit<TermQuery, 'term'> = {}): TermQuery => ({ term: toTerm(word)!, ...loose });
const any = (...terms: TermQuery[]): EngineQuery => ({ any: terms });

export function runEngineContract(kind: EngineKind): void {
  describe(`the ${kind.name} engine`, () => {
    let engine: SearchEngine;
    beforeAll(() => {
      engine = kind.build(DOCS);
    });
    const docs = (query: EngineQuery, options: Partial<EngineSearchOptions> = {}) => engine.search(query, { ...OPTIONS, ...options }).matches.map((m) => m.doc);

    it('numbers documents in the order given and counts them', () => {
      expect(engine.name).toBe(kind.name);
      expect(engine.documentCount).toBe(DOCS.length);
    });

    it('finds documents by any query term, best first, with the terms each matched', () => {
      const { total, matches } = engine.search(any(term('routing'), term('experts')), OPTIONS);
      expect(total).toBe(2);
      expect(matches.map((m) => m.doc).sort()).toEqual([0, 4]);
      expect(matches[0]!.score).toBeGreaterThanOrEqual(matches[1]!.score);
      for (const m of matches) {
        expect([...m.queryTerms].sort()).toEqual([toTerm('experts'), toTerm('routing')].sort());
        expect([...m.terms].sort()).toEqual([toTerm('experts'), toTerm('routing')].sort());
      }
      expect(docs(any(term('zebra')))).toEqual([]);
    });

    it('ranks a title match above a mention in the abstract, by the field boosts', () => {
      // Both say "transformer"; only paper 1 in its title.
      expect(docs(any(term('transformer')))).toEqual([1, 3]);
      const score = (boost: EngineSearchOptions['boost']) => new Map(engine.search(any(term('transformer')), { ...OPTIONS, boost }).matches.map((m) => [m.doc, m.score]));
      const [titled, untitled] = [score(OPTIONS.boost), score({ ...OPTIONS.boost, title: 0.01 })];
      expect(untitled.get(1)).toBeLessThan(titled.get(1)!);
      expect(untitled.get(3)).toBeCloseTo(titled.get(3)!, 9);
      // People are indexed too.
      expect(docs(any(term('nvidia')))).toEqual([1]);
    });

    it('matches a typo only when allowed, and weights it below an exact match', () => {
      const typo = term('transfromer');
      expect(docs(any(typo))).toEqual([]);
      const loose = engine.search(any({ ...typo, fuzzy: 2 }), OPTIONS);
      expect(loose.matches.map((m) => m.doc).sort()).toEqual([1, 3]);
      expect(loose.matches[0]!.terms).toEqual(new Set([toTerm('transformer')]));
      const exact = engine.search(any(term('transformer')), OPTIONS);
      expect(exact.matches[0]!.score).toBeGreaterThan(loose.matches.find((m) => m.doc === exact.matches[0]!.doc)!.score);
    });

    it('matches longer terms by prefix only when asked', () => {
      expect(docs(any({ term: 'compr' }))).toEqual([]);
      const found = engine.search(any({ term: 'compr', prefix: true }), OPTIONS);
      expect(found.matches.map((m) => m.doc)).toEqual([3]);
      expect([...found.matches[0]!.terms][0]!.startsWith('compr')).toBe(true);
    });

    it('matches a group (an acronym expansion) only where every term of it is', () => {
      const group = [term('mixture'), term('experts')];
      const { matches } = engine.search({ any: [term('kv')], allOf: [group] }, OPTIONS);
      // Doc 2 says "mixture" but not "experts": not a match for the group.
      expect(matches.map((m) => m.doc).sort()).toEqual([0, 3, 4]);
      expect(docs({ any: [], allOf: [[term('mixture'), term('zebra')]] })).toEqual([]);
    });

    it('boosts a term by its own boost', () => {
      const cacheFirst = docs(any({ ...term('routing'), boost: 0.01 }, { ...term('cache'), boost: 100 }));
      const routingFirst = docs(any({ ...term('routing'), boost: 100 }, { ...term('cache'), boost: 0.01 }));
      expect(cacheFirst[0]).toBe(3);
      expect([0, 4]).toContain(routingFirst[0]);
    });

    it('leaves out what the filter refuses, in the total too, and stops at the limit', () => {
      const all = engine.search(any(term('routing'), term('transformer')), OPTIONS);
      expect(all.total).toBe(4);
      const kept = engine.search(any(term('routing'), term('transformer')), { ...OPTIONS, filter: (doc) => doc !== 0 });
      expect(kept.total).toBe(3);
      expect(kept.matches.map((m) => m.doc)).not.toContain(0);
      const one = engine.search(any(term('routing'), term('transformer')), { ...OPTIONS, limit: 1 });
      expect(one.total).toBe(4);
      expect(one.matches.map((m) => m.doc)).toEqual([all.matches[0]!.doc]);
      // A deep page asks for any number of results, odd ones too.
      for (const limit of [201, 333, 1001]) expect(engine.search(any(term('routing'), term('transformer')), { ...OPTIONS, limit }).matches).toEqual(all.matches);
    });

    it('answers the vocabulary questions typo handling and "did you mean" ask', () => {
      expect(engine.has(toTerm('diffusion')!)).toBe(true);
      expect(engine.has('zebra')).toBe(false);
      expect(engine.documentFrequency(toTerm('experts')!)).toBe(2);
      expect(engine.documentFrequency(toTerm('experts')!, ['title'])).toBe(1);
      expect(engine.documentFrequency(toTerm('mixture')!, ['title', 'abstract'])).toBe(3);
      expect(engine.documentFrequency('zebra')).toBe(0);
      expect(engine.termsWithPrefix('rout').sort()).toEqual([toTerm('routing')]);
      expect(engine.termsWithPrefix('zz')).toEqual([]);
      const near = engine.termsNear('transfom', 2);
      expect(near.get(toTerm('transformer')!)).toBe(1);
      // Only terms within the edits, and every one that keeps the first letter: as a walk over the whole vocabulary finds them.
      const vocabulary = engine.termsWithPrefix('');
      expect(vocabulary.length).toBeGreaterThan(40);
      for (const [word, edits] of [
        ['transfom', 2],
        ['rout', 1],
        ['mixtur', 2],
        ['ransform', 1],
        ['zzzz', 1],
      ] as const) {
        const brute = new Map(vocabulary.flatMap((t) => (editDistance(word, t) <= edits ? [[t, editDistance(word, t)] as const] : [])));
        const near = engine.termsNear(word, edits);
        for (const [t, distance] of near) expect(brute.get(t), `${word} → ${t}`).toBe(distance);
        for (const [t, distance] of brute) if (t[0] === word[0] || t.slice(1).startsWith(word.slice(0, 1))) expect(near.get(t), `${word} → ${t}`).toBe(distance);
      }
      // A slip in the first letter too.
      expect(engine.termsNear('ransform', 1).get(toTerm('transformer')!)).toBe(1);
      expect(engine.documentsWith(toTerm('transformer')!, 'abstract', 10).sort()).toEqual([1, 3]);
      expect(engine.documentsWith(toTerm('transformer')!, 'abstract', 1)).toHaveLength(1);
      expect(engine.documentsWith('zebra', 'title', 10)).toEqual([]);
      const frequent = engine.frequentTerms(2, ['title', 'abstract']);
      expect(frequent.get(toTerm('mixture')!)).toBe(3);
      expect([...frequent.values()].every((n) => n > 2)).toBe(true);
    });

    it('gives nothing for an empty query or an empty index', () => {
      expect(engine.search({ any: [] }, OPTIONS)).toEqual({ total: 0, matches: [] });
      expect(engine.search({ any: [], allOf: [[]] }, OPTIONS)).toEqual({ total: 0, matches: [] });
      const empty = kind.build([]);
      expect(empty.documentCount).toBe(0);
      expect(empty.search(any(term('routing')), OPTIONS)).toEqual({ total: 0, matches: [] });
      expect(empty.has('rout')).toBe(false);
      expect(empty.frequentTerms(0, ['title'])).toEqual(new Map());
    });

    it('copes with huge inputs: a long document and a query of hundreds of terms', () => {
      const long = `${Array.from({ length: 50_000 }, (_, i) => `word${i % 5000}`).join(' ')} needle`;
      const big = kind.build([...DOCS, { title: 'Long', abstract: long, people: '' }]);
      expect(big.search(any({ term: 'needl' }), OPTIONS).matches.map((m) => m.doc)).toEqual([DOCS.length]);
      const many = Array.from({ length: 500 }, (_, i) => ({ term: `word${i}` }));
      const found = big.search(any(...many, term('routing')), OPTIONS);
      expect(found.total).toBe(3);
      expect(found.matches[0]!.doc).toBe(DOCS.length);
    });

    it.each([false, true])('answers the same after a save and load (pausing: %s)', async (pausing) => {
      const loaded = await kind.load(engine.save(), { pausing });
      expect(loaded.documentCount).toBe(engine.documentCount);
      const queries: EngineQuery[] = [any(term('routing'), term('experts')), any({ ...term('transfromer'), fuzzy: 2 }), { any: [term('kv')], allOf: [[term('mixture'), term('experts')]] }];
      for (const q of queries) {
        const before = engine.search(q, OPTIONS);
        expect(before.total).toBeGreaterThan(0);
        expect(loaded.search(q, OPTIONS)).toEqual(before);
      }
      expect(loaded.termsWithPrefix('rout')).toEqual(engine.termsWithPrefix('rout'));
    });

    it('refuses a saved state that is damaged or not its own', async () => {
      const saved = engine.save();
      await expect(kind.load(saved.subarray(0, Math.floor(saved.length / 2)))).rejects.toThrow();
      for (const garbage of ['not a saved index', '', '{}']) await expect(kind.load(Buffer.from(garbage)), garbage).rejects.toThrow();
    });
  });
}
