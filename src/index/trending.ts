import type { Paper } from '../model/paper.js';
import { addDays } from '../time/days.js';

export type TrendingPeriod = 'day' | 'week' | 'month';
export const TRENDING_PERIODS: readonly TrendingPeriod[] = ['day', 'week', 'month'];
const PERIOD_DAYS: Record<TrendingPeriod, number> = { day: 1, week: 7, month: 30 };

export interface TrendingHit {
  paper: Paper;
  score: number;
  /** Best (lowest) position the paper had in a digest inside the window. */
  bestRank: number;
}

export interface TrendingResult {
  period: TrendingPeriod;
  /** The latest digest day on or before `asOf`: the window ends there. */
  anchor?: string;
  from?: string;
  hits: TrendingHit[];
}

/** The window a trending period covers: it ends at the latest digest day on or before `asOf` (undefined: none). */
export function trendingWindow(digestDates: readonly string[], period: TrendingPeriod, asOf: string): { anchor: string; from: string } | undefined {
  const anchor = [...digestDates].reverse().find((d) => d <= asOf);
  return anchor === undefined ? undefined : { anchor, from: addDays(anchor, 1 - PERIOD_DAYS[period]) };
}

/** A paper's trending score: position only breaks ties between equal upvotes, so it stays below one upvote. */
export function trendingScore(upvotes: number, position: number): number {
  return upvotes + 0.9 * position;
}

/** Trending order: score, then best rank, then title. */
export function byTrending<T extends { score: number; bestRank: number }>(title: (x: T) => string): (a: T, b: T) => number {
  return (a, b) => b.score - a.score || a.bestRank - b.bestRank || title(a).localeCompare(title(b));
}

/** A trending table's arrays. */
interface TrendingData {
  /** Every digest date a paper appeared on, sorted. */
  dates: string[];
  upvotes: Uint32Array;
  /** Paper i's appearances are triples appearanceOffsets[i] up to appearanceOffsets[i+1] of `appearances`. */
  appearanceOffsets: Uint32Array;
  /** Per appearance: index into `dates`, rank on the page, and the page's length (its largest rank). */
  appearances: Uint32Array;
}

/** What trending ranks by, for every paper, in flat arrays: upvotes and digest appearances. */
export class TrendingTable {
  private constructor(private readonly data: TrendingData) {}

  static of(papers: readonly Paper[]): TrendingTable {
    const dates = [...new Set(papers.flatMap((p) => p.digests.map((d) => d.date)))].sort();
    const dateIndex = new Map(dates.map((d, i) => [d, i]));
    const sizes = new Map<string, number>();
    for (const p of papers) {
      for (const d of p.digests) sizes.set(d.file, Math.max(sizes.get(d.file) ?? 0, d.rank));
    }
    const appearanceOffsets = new Uint32Array(papers.length + 1);
    const appearances: number[] = [];
    for (const [i, p] of papers.entries()) {
      for (const d of p.digests) appearances.push(dateIndex.get(d.date)!, d.rank, sizes.get(d.file)!);
      appearanceOffsets[i + 1] = appearances.length / 3;
    }
    return new TrendingTable({ dates, upvotes: Uint32Array.from(papers, (p) => p.upvotes), appearanceOffsets, appearances: Uint32Array.from(appearances) });
  }

  /**
   * Papers that appeared in the digests of the window, ranked by upvotes, then by their
   * position on the page (the page order is the community's own ranking, and the scraped
   * digests mostly carry no upvotes). The window ends at the latest digest on or before
   * `asOf`, so "today" on a day without a digest shows the most recent one instead of nothing.
   * `paperOf` and `titleOf` give paper i (only the returned ones are asked for) and its title.
   */
  rank(digestDates: readonly string[], period: TrendingPeriod, asOf: string, limit: number, paperOf: (i: number) => Paper, titleOf: (i: number) => string): TrendingResult {
    const window = trendingWindow(digestDates, period, asOf);
    if (!window) return { period, hits: [] };
    const { anchor, from } = window;
    const { dates, upvotes, appearanceOffsets, appearances } = this.data;
    // Dates are sorted: the window is the date numbers [first, end).
    const firstWhere = (test: (date: string) => boolean) => {
      const at = dates.findIndex(test);
      return at < 0 ? dates.length : at;
    };
    const first = firstWhere((d) => d >= from);
    const end = firstWhere((d) => d > anchor);
    const found: { paper: number; score: number; bestRank: number }[] = [];
    for (let i = 0; i < upvotes.length; i++) {
      let bestRank = Infinity;
      let position = 0;
      for (let k = 3 * appearanceOffsets[i]!; k < 3 * appearanceOffsets[i + 1]!; k += 3) {
        if (appearances[k]! < first || appearances[k]! >= end) continue;
        const rank = appearances[k + 1]!;
        bestRank = Math.min(bestRank, rank);
        position = Math.max(position, 1 - (rank - 1) / Math.max(1, appearances[k + 2]!));
      }
      if (bestRank === Infinity) continue;
      found.push({ paper: i, score: trendingScore(upvotes[i]!, position), bestRank });
    }
    const titles = new Map<number, string>();
    const title = (i: number) => titles.get(i) ?? titles.set(i, titleOf(i)).get(i)!;
    found.sort(byTrending((x) => title(x.paper)));
    const hits = found.slice(0, limit).map(({ paper, score, bestRank }) => ({ paper: paperOf(paper), score, bestRank }));
    return { period, anchor, from, hits };
  }
}
