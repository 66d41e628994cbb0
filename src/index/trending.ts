import type { Paper } from '../model/paper.js';

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

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Papers that appeared in the digests of the window, ranked by upvotes, then by their position
 * on the page (the page order is the community's own ranking, and the scraped digests mostly
 * carry no upvotes). The window ends at the latest digest on or before `asOf`, so
 * "today" on a day without a digest shows the most recent one instead of nothing.
 */
export function rankTrending(papers: readonly Paper[], digestDates: readonly string[], period: TrendingPeriod, asOf: string, limit: number): TrendingResult {
  const anchor = [...digestDates].reverse().find((d) => d <= asOf);
  if (!anchor) return { period, hits: [] };
  const from = addDays(anchor, 1 - PERIOD_DAYS[period]);
  const sizes = new Map<string, number>();
  for (const p of papers) for (const d of p.digests) sizes.set(d.file, Math.max(sizes.get(d.file) ?? 0, d.rank));
  const hits: TrendingHit[] = [];
  for (const paper of papers) {
    let bestRank = Infinity;
    let position = 0;
    for (const d of paper.digests) {
      if (d.date < from || d.date > anchor) continue;
      bestRank = Math.min(bestRank, d.rank);
      const size = sizes.get(d.file) ?? d.rank;
      position = Math.max(position, 1 - (d.rank - 1) / Math.max(1, size));
    }
    if (bestRank === Infinity) continue;
    // Position only breaks ties between equal upvotes: it stays below one upvote.
    hits.push({ paper, score: paper.upvotes + 0.9 * position, bestRank });
  }
  hits.sort((a, b) => b.score - a.score || a.bestRank - b.bestRank || a.paper.title.localeCompare(b.paper.title));
  return { period, anchor, from, hits: hits.slice(0, limit) };
}
