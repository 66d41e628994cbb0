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
  /** For a scraped page whose date prints no year: the year it was given, and from what. */
  pageYear?: PageYear;
}

/**
 * How a page date without a year got its year: from the page's own printed years, from
 * DIGEST_YEAR, or (no evidence on the page) from the clock, shared by every such page of a set.
 */
export interface PageYear {
  year: number;
  source: 'page' | 'setting' | 'clock';
  month: number;
  day: number;
}

export interface ParseOptions {
  /** Today, YYYY-MM-DD, from the injected clock: a digest cannot be dated after it. */
  today: string;
  /** Year for digest pages that print none (DIGEST_YEAR); when unset it is inferred and reported. */
  digestYear?: number;
  /**
   * Year for pages without any printed year to go by, chosen for the whole set of digests
   * (yearForUndatedPages); unset, such a page takes the latest year not putting it after today.
   */
  undatedYear?: number;
}
