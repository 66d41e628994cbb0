import type { Paper, ParseIssue } from '../model/paper.js';

/** One digest (a scraped page or one API day) as read from one file. */
export interface DigestInfo {
  file: string;
  date: string;
  /** True when the page printed no year and the year was inferred. */
  yearInferred: boolean;
  entries: number;
}

/** A date whose year was not printed: where it was, what it said, what was chosen. */
export interface InferredDate {
  file: string;
  line: number;
  text: string;
  date: string;
}

/** What parsing one file gives: papers (one appearance each), problems, and what was guessed. */
export interface FileParseResult {
  /** The digests the file holds: one page or API day, or the corpus' daily listings. */
  digests: DigestInfo[];
  papers: Paper[];
  issues: ParseIssue[];
  inferred: InferredDate[];
}

export interface ParseOptions {
  /** Today, YYYY-MM-DD, from the injected clock: a digest cannot be dated after it. */
  today: string;
  /** Year for digest pages that print none; when unset it is inferred and reported. */
  digestYear?: number;
}
