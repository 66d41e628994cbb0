import type { BuiltEngine } from './engines.js';
import { CUTOFF, meanScores, scoreRanking, type QueryScores } from './metrics.js';
import { QUERY_TYPES, type GradedQuery, type QuerySet, type QueryType } from './queries.js';

export interface QueryResult extends QueryScores {
  id: string;
  query: string;
  type: QueryType;
  top: string[];
}

export interface Evaluation {
  overall: QueryScores;
  byType: Partial<Record<QueryType, QueryScores & { queries: number }>>;
  queries: QueryResult[];
}

/** Runs every query of a set on one engine and averages the metrics per type and overall. */
export function evaluate(engine: BuiltEngine, set: QuerySet): Evaluation {
  const queries = set.queries.map((q: GradedQuery): QueryResult => {
    const top = engine.search(q.query, CUTOFF);
    return { id: q.id, query: q.query, type: q.type, top, ...scoreRanking(q, top) };
  });
  const byType: Evaluation['byType'] = {};
  for (const type of QUERY_TYPES) {
    const ofType = queries.filter((r) => r.type === type);
    if (ofType.length > 0) byType[type] = { ...meanScores(ofType), queries: ofType.length };
  }
  return { overall: meanScores(queries), byType, queries };
}
