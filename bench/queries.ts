import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { REPO_ROOT } from './corpus.js';

/**
 * Graded query sets (bench/queries/*.json). Grades: 3 exact, 2 relevant, 1 marginal; a paper
 * not listed is 0. A query of type `empty` lists nothing: the right answer is no results.
 */

export const QUERY_TYPES = ['keyword', 'paraphrase', 'acronym', 'typo', 'question', 'organization', 'empty'] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

const Grade = z.union([z.literal(1), z.literal(2), z.literal(3)]);

export const GradedQuery = z.object({
  id: z.string().min(1),
  query: z.string().min(1),
  type: z.enum(QUERY_TYPES),
  relevant: z.record(z.string(), Grade),
  note: z.string().optional(),
});
export type GradedQuery = z.infer<typeof GradedQuery>;

export const QuerySet = z
  .object({
    corpus: z.enum(['seeds', 'corpus']),
    description: z.string(),
    queries: z.array(GradedQuery).min(1),
  })
  .superRefine((set, ctx) => {
    for (const q of set.queries) {
      const graded = Object.values(q.relevant);
      if (q.type === 'empty' && graded.length > 0) ctx.addIssue({ code: 'custom', message: `${q.id}: an empty query lists relevant papers` });
      if (q.type !== 'empty' && !graded.some((g) => g >= 2)) ctx.addIssue({ code: 'custom', message: `${q.id}: no paper graded 2 or 3` });
    }
  });
export type QuerySet = z.infer<typeof QuerySet>;

export async function loadQuerySet(name: 'seeds' | 'corpus'): Promise<QuerySet> {
  const raw = await readFile(join(REPO_ROOT, 'bench', 'queries', `${name}.json`), 'utf8');
  return QuerySet.parse(JSON.parse(raw));
}
