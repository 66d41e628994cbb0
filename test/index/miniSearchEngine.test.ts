import { describe, expect, it } from 'vitest';
import type { EngineDocument, EngineSearchOptions } from '../../src/index/engine.js';
import { miniSearchEngine } from '../../src/index/miniSearchEngine.js';
import { toTerm } from '../../src/index/terms.js';
import { runEngineContract } from './engineContract.js';

runEngineContract(miniSearchEngine);

describe('the saved MiniSearch index', () => {
  const OPTIONS: EngineSearchOptions = { boost: { title: 3, abstract: 1, people: 1.5 }, weights: { prefix: 0.4, fuzzy: 0.3 }, limit: 1000 };
  // Enough distinct words, and a word in every document, for the saved index to span many lines.
  const words = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}x`);
  const docs: EngineDocument[] = Array.from({ length: 400 }, (_, d) => ({
    title: `survey ${words[d]!}`,
    abstract: words.filter((_, i) => i % 400 === d || i % 7 === d % 7).join(' '),
    people: d % 2 === 0 ? 'Ada Lovelace' : '',
  }));

  it.each([false, true])('loads over many lines with every term, document and frequency in place (pausing: %s)', async (pausing) => {
    const engine = miniSearchEngine.build(docs);
    const saved = engine.save();
    expect(Buffer.from(saved).toString('utf8').split('\n').length).toBeGreaterThan(3);
    const loaded = await miniSearchEngine.load(saved, { pausing });
    expect(loaded.termsWithPrefix('w').sort()).toEqual(engine.termsWithPrefix('w').sort());
    expect(loaded.termsWithPrefix('w').length).toBeGreaterThanOrEqual(words.length);
    for (const term of [toTerm('survey')!, toTerm('Lovelace')!, words[0]!, words[1234]!, words[2999]!]) {
      const before = engine.search({ any: [{ term }] }, OPTIONS);
      expect(before.total, term).toBeGreaterThan(0);
      expect(loaded.search({ any: [{ term }] }, OPTIONS)).toEqual(before);
    }
  });

  it('refuses a saved index with a line of terms missing', async () => {
    const lines = Buffer.from(miniSearchEngine.build(docs).save()).toString('utf8').split('\n');
    const short = Buffer.from([...lines.slice(0, 2), ...lines.slice(3)].join('\n'));
    await expect(miniSearchEngine.load(short)).rejects.toThrow(/terms/);
  });
});
