import { z } from 'zod';
import type { Paper } from './paper.js';

/** What a reading list keeps of a paper: enough to list and cite it without the index. */
export const SavedPaperRecord = z.object({
  id: z.string().min(1),
  arxivId: z.string().optional(),
  title: z.string().min(1),
  authors: z.array(z.string()),
  authorCount: z.number().int().nonnegative().optional(),
  published: z.string().optional(),
  githubRepo: z.string().optional(),
  url: z.string().optional(),
});
export type SavedPaperRecord = z.infer<typeof SavedPaperRecord>;

export function savedRecordOf(paper: Paper, url: string): SavedPaperRecord {
  const record: SavedPaperRecord = { id: paper.id, title: paper.title, authors: [...paper.authors], url };
  if (paper.arxivId) record.arxivId = paper.arxivId;
  if (paper.authorCount !== undefined) record.authorCount = paper.authorCount;
  if (paper.published) record.published = paper.published;
  if (paper.githubRepo) record.githubRepo = paper.githubRepo;
  return record;
}
