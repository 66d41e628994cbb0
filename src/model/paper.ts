import { z } from 'zod';

/** ISO calendar date, YYYY-MM-DD. Dates are calendar days, not instants: digests are per day. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a YYYY-MM-DD date');
export type IsoDate = z.infer<typeof IsoDate>;

/** One appearance of a paper in one digest (a scraped page or one API day). */
export const DigestAppearance = z.object({
  date: IsoDate,
  file: z.string(),
  /** 1-based position in that digest; the page order is the community's ranking. */
  rank: z.number().int().positive(),
});
export type DigestAppearance = z.infer<typeof DigestAppearance>;

export const Organization = z.object({
  handle: z.string().min(1),
  name: z.string().min(1),
});
export type Organization = z.infer<typeof Organization>;

export const Paper = z.object({
  /** The arXiv id when known, else `t-` plus a hash of the normalised title (stable across runs). */
  id: z.string().min(1),
  arxivId: z.string().optional(),
  title: z.string().min(1),
  abstract: z.string(),
  authors: z.array(z.string()),
  /** The digests only give a count ("• 5 authors"); the API gives names. */
  authorCount: z.number().int().nonnegative().optional(),
  organization: Organization.optional(),
  published: IsoDate.optional(),
  /** True when the year of `published` was inferred rather than printed. */
  publishedYearInferred: z.boolean().optional(),
  upvotes: z.number().int().nonnegative(),
  numComments: z.number().int().nonnegative().optional(),
  /** Every digest this paper appeared in, oldest first. */
  digests: z.array(DigestAppearance),
  aiSummary: z.string().optional(),
  keywords: z.array(z.string()).optional(),
  githubRepo: z.string().optional(),
  /** The repository's stars when the digest was captured. */
  githubStars: z.number().int().nonnegative().optional(),
  projectPage: z.string().optional(),
});
export type Paper = z.infer<typeof Paper>;

/** A problem found in an input file. Parsers report these instead of throwing. */
export interface ParseIssue {
  file: string;
  /** 1-based line; 0 when the problem concerns the whole file. */
  line: number;
  message: string;
  /** 'error' skips the entry or file; 'warning' keeps it but says what was guessed. */
  severity: 'error' | 'warning';
}

export function formatIssue(issue: ParseIssue): string {
  return `${issue.file}:${issue.line}: ${issue.severity}: ${issue.message}`;
}
