import type { Paper } from '../model/paper.js';
import { toTerms } from './terms.js';

/** A paper as the digest questions sort and filter it: its number, digest days (in its own order), date and upvotes. */
export interface PaperDates {
  n: number;
  dates: string[];
  published?: string;
  upvotes: number;
}

export interface PaperOrganisation {
  n: number;
  name: string;
  handle: string;
}

/**
 * What `ask` reads of the digests (src/answer/digestFacts.ts), each a narrow question the SQLite
 * catalog answers from its indexes, so no answer walks every paper. Papers are numbers (Catalog.paper).
 */
export interface DigestLookups {
  paper(n: number): Paper;
  /** Days some paper appears in a digest of, oldest first. */
  appearanceDays(): string[];
  /** How many papers the digests of `from` to `to` (ISO dates, both included) list. */
  windowCount(from: string, to: string): number;
  /** The papers of the digest of `date`, each once, in page order: by the rank of its first listing that day, then paper order. */
  dayPapers(date: string): number[];
  /** These papers' digest days, date and upvotes, in the order given. */
  datesOf(papers: readonly number[]): PaperDates[];
  /**
   * Papers whose people (organisation name and handle, authors: see peopleText) have, for each
   * group, one of its index terms (terms.ts), and whose authors `keep` accepts, in paper order;
   * with no group, every paper's authors go to `keep`. `keep` is called once per paper, in order.
   */
  withPeopleTerms(groups: readonly (readonly string[])[], keep: (authors: readonly string[]) => boolean): PaperDates[];
  /** The index terms of people that are more than plain a–z and 0–9 ("jégou"): the other spellings a typed name may stand for. */
  unusualPeopleTerms(): string[];
  /** The organisations of papers `from` to `to` - 1 that have one, in paper order. */
  organisations(from: number, to: number): PaperOrganisation[];
  /** The author lists of the papers that list authors, in paper order, read as far as the caller goes. */
  authorLists(): Iterable<readonly string[]>;
}

/** A paper's people as one text: what the search engine indexes as its `people` field. */
export function peopleText(p: Paper): string {
  return [p.organization?.name, p.organization?.handle, ...p.authors].filter(Boolean).join(' ');
}

/** Index terms of at least one character outside a–z and 0–9. */
export const UNUSUAL_TERM = /[^a-z0-9]/;

/** The lookups over papers in memory (the MiniSearch engine's): tables built on first use, as small as the library. */
export class MemoryDigestLookups implements DigestLookups {
  private days: Map<string, number[]> | undefined;
  private people: Map<string, number[]> | undefined;

  constructor(private readonly papers: readonly Paper[]) {}

  paper(n: number): Paper {
    return this.papers[n]!;
  }

  appearanceDays(): string[] {
    return [...this.byDay().keys()].sort();
  }

  windowCount(from: string, to: string): number {
    const seen = new Set<number>();
    for (const [date, papers] of this.byDay()) if (date >= from && date <= to) for (const n of papers) seen.add(n);
    return seen.size;
  }

  dayPapers(date: string): number[] {
    return this.byDay().get(date) ?? [];
  }

  datesOf(papers: readonly number[]): PaperDates[] {
    return papers.map((n) => datesOfPaper(n, this.papers[n]!));
  }

  withPeopleTerms(groups: readonly (readonly string[])[], keep: (authors: readonly string[]) => boolean): PaperDates[] {
    const people = this.byPeopleTerm();
    let found: Set<number> | undefined;
    for (const group of groups) {
      const any = new Set(group.flatMap((term) => people.get(term) ?? []));
      found = found ? new Set([...found].filter((n) => any.has(n))) : any;
    }
    const numbers = found ? [...found].sort((a, b) => a - b) : this.papers.map((_, n) => n);
    return numbers.filter((n) => keep(this.papers[n]!.authors)).map((n) => datesOfPaper(n, this.papers[n]!));
  }

  unusualPeopleTerms(): string[] {
    return [...this.byPeopleTerm().keys()].filter((t) => UNUSUAL_TERM.test(t));
  }

  organisations(from: number, to: number): PaperOrganisation[] {
    const out: PaperOrganisation[] = [];
    for (let n = from; n < Math.min(to, this.papers.length); n++) {
      const org = this.papers[n]!.organization;
      if (org) out.push({ n, name: org.name, handle: org.handle });
    }
    return out;
  }

  *authorLists(): Iterable<readonly string[]> {
    for (const p of this.papers) if (p.authors.length > 0) yield p.authors;
  }

  private byDay(): Map<string, number[]> {
    if (this.days) return this.days;
    const ranked = new Map<string, { n: number; rank: number }[]>();
    this.papers.forEach((p, n) => {
      for (const d of p.digests) {
        let day = ranked.get(d.date);
        if (!day) ranked.set(d.date, (day = []));
        if (day.at(-1)?.n !== n) day.push({ n, rank: d.rank });
      }
    });
    this.days = new Map([...ranked].map(([date, list]) => [date, list.sort((a, b) => a.rank - b.rank || a.n - b.n).map((x) => x.n)]));
    return this.days;
  }

  private byPeopleTerm(): Map<string, number[]> {
    if (this.people) return this.people;
    const people = new Map<string, number[]>();
    this.papers.forEach((p, n) => {
      for (const term of toTerms(peopleText(p))) {
        const list = people.get(term);
        if (!list) people.set(term, [n]);
        else if (list.at(-1) !== n) list.push(n);
      }
    });
    return (this.people = people);
  }
}

function datesOfPaper(n: number, p: Paper): PaperDates {
  return { n, dates: p.digests.map((d) => d.date), ...(p.published !== undefined ? { published: p.published } : {}), upvotes: p.upvotes };
}
