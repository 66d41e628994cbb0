import type { Paper } from '../model/paper.js';

/** A sentence quoted verbatim from a cited abstract: `offset` locates it there. */
export interface Quote {
  text: string;
  paperId: string;
  offset: number;
}

/**
 * One line of an answer. A quoted line is a claim taken from an abstract; a fact line is read
 * from the digest's data (dates, counts, upvotes). `cites` are 1-based citation numbers.
 */
export interface AnswerLine {
  /** Short label before the claim, e.g. the paper's short title. */
  lead?: string;
  quote?: Quote;
  text?: string;
  cites: number[];
}

export type AnswerKind =
  /** Sentences quoted from abstracts. */
  | 'quoted'
  /** Every paper on a topic, each with a quoted sentence: kept as a list, never rewritten. */
  | 'listed'
  /** Read from the digest's structure (counts, dates, organisations, authors, upvotes). */
  | 'facts'
  /** Written by the configured LLM from the cited passages. */
  | 'generated'
  /** The digest does not contain the answer; `citations` are the nearest papers. */
  | 'not_found'
  /** No question was asked: how to ask one. */
  | 'help';

export interface Answer {
  kind: AnswerKind;
  heading: string;
  lines: AnswerLine[];
  /** Citation n is `citations[n - 1]`. */
  citations: Paper[];
  /** One line under the answer: where it came from, or what was assumed. */
  note?: string;
  /** The thread's paper, when the question was asked in one. */
  threadPaper?: Paper;
  /** Matched question terms, marked in quotes. */
  terms?: ReadonlySet<string>;
}

/** Numbers papers in order of first use. */
export class CitationList {
  readonly papers: Paper[] = [];

  cite(paper: Paper): number {
    const i = this.papers.findIndex((p) => p.id === paper.id);
    if (i >= 0) return i + 1;
    this.papers.push(paper);
    return this.papers.length;
  }
}
