import { beforeAll, describe, expect, it } from 'vitest';
import { loadSeedPapers } from '../../bench/corpus.js';
import { minisearchDefault, paperbot } from '../../bench/engines.js';
import { evaluate, type Evaluation } from '../../bench/evaluate.js';
import { loadQuerySet } from '../../bench/queries.js';

/**
 * Ranking regressions fail here: the graded seed queries (bench/queries/seeds.json) are run on
 * paperbot's index and on MiniSearch with default options, and the metrics computed afresh.
 * `npm run eval` shows the same numbers per query type, with the other baselines.
 */

// Below the measured value with room for small, deliberate trade-offs; a real regression falls under it.
const MIN_OVERALL_NDCG = 0.75;

let ours: Evaluation;
let baseline: Evaluation;

beforeAll(async () => {
  const [papers, set] = await Promise.all([loadSeedPapers(), loadQuerySet('seeds')]);
  ours = evaluate(paperbot.build(papers), set);
  baseline = evaluate(minisearchDefault.build(papers), set);
});

describe('search quality on the graded seed queries', () => {
  it(`keeps overall nDCG@10 at or above ${MIN_OVERALL_NDCG}`, () => {
    expect(ours.overall.ndcg).toBeGreaterThanOrEqual(MIN_OVERALL_NDCG);
  });

  it('ranks better overall than MiniSearch with default options', () => {
    expect(ours.overall.ndcg).toBeGreaterThan(baseline.overall.ndcg);
    expect(ours.overall.mrr).toBeGreaterThanOrEqual(baseline.overall.mrr);
  });

  it('finds acronyms, their expansions and misspellings better than plain BM25', () => {
    for (const type of ['acronym', 'typo'] as const) {
      expect(ours.byType[type]!.ndcg, type).toBeGreaterThan(baseline.byType[type]!.ndcg);
    }
  });

  it('puts an exact match first for every plain keyword query', () => {
    const misses = ours.queries.filter((q) => q.type === 'keyword' && q.mrr < 1).map((q) => q.query);
    expect(misses).toEqual([]);
  });
});
