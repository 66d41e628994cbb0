import type { GradedQuery } from './queries.js';

/**
 * Relevance metrics over one ranked list. "Relevant" for MRR and recall means grade >= 2;
 * nDCG uses every grade with gain 2^grade - 1. For a query of type `empty` all three metrics
 * are 1 when the engine returns nothing and 0 otherwise: a list of unrelated papers is the
 * failure a user sees, whatever its scores were.
 */

export const CUTOFF = 10;

export interface QueryScores {
  ndcg: number;
  mrr: number;
  recall: number;
}

export function scoreRanking(query: GradedQuery, ranked: readonly string[]): QueryScores {
  if (query.type === 'empty') {
    const ok = ranked.length === 0 ? 1 : 0;
    return { ndcg: ok, mrr: ok, recall: ok };
  }
  const grade = (id: string): number => query.relevant[id] ?? 0;
  const top = ranked.slice(0, CUTOFF);
  const dcg = top.reduce((sum, id, i) => sum + gain(grade(id)) / Math.log2(i + 2), 0);
  const ideal = Object.values(query.relevant)
    .sort((a, b) => b - a)
    .slice(0, CUTOFF)
    .reduce((sum, g, i) => sum + gain(g) / Math.log2(i + 2), 0);
  const firstRelevant = top.findIndex((id) => grade(id) >= 2);
  const relevantCount = Object.values(query.relevant).filter((g) => g >= 2).length;
  const found = top.filter((id) => grade(id) >= 2).length;
  return {
    ndcg: ideal > 0 ? dcg / ideal : 0,
    mrr: firstRelevant < 0 ? 0 : 1 / (firstRelevant + 1),
    recall: relevantCount > 0 ? found / relevantCount : 0,
  };
}

function gain(grade: number): number {
  return 2 ** grade - 1;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

export function meanScores(scores: readonly QueryScores[]): QueryScores {
  return { ndcg: mean(scores.map((s) => s.ndcg)), mrr: mean(scores.map((s) => s.mrr)), recall: mean(scores.map((s) => s.recall)) };
}
