import { firstDigestDay } from '../index/catalog.js';
import type { PaperIndex } from '../index/paperIndex.js';
import type { Paper } from '../model/paper.js';
import type { LateBloomer } from '../present/weeklyPost.js';
import type { ObservedUpvotes } from '../store/upvoteHistory.js';
import { addDays } from '../time/days.js';
import { paperIdentities } from './paperIdentity.js';

/** Digest days a weekly digest covers. */
export const WEEK_DIGESTS = 7;
/** Late bloomers are papers whose own day is at most this many days back: upvotes settle over one to two weeks. */
export const BLOOM_DAYS = 21;
export const BLOOMERS_SHOWN = 3;

export interface WeeklyPicks {
  window: { from: string; until: string; digests: number };
  best: Paper[];
  bloomers: LateBloomer[];
}

/** The identity a paper's upvotes are recorded under: its arXiv id, else its own id. */
export function upvoteIdentity(paper: Paper): string {
  return paperIdentities(paper)[0]!;
}

/**
 * The week's picks as of the channel-local `day`: the best `topN` papers by upvotes (then by
 * their best position on a page) among the papers of the last seven digest days up to `day`,
 * and the papers whose recorded upvotes grew most after their own day. Undefined without a digest.
 */
export function weeklyPicks(index: PaperIndex, day: string, topN: number, history: (identity: string, until: string) => ObservedUpvotes[]): WeeklyPicks | undefined {
  const dates = index.digestDates().filter((d) => d <= day);
  const window = dates.slice(-WEEK_DIGESTS);
  if (window.length === 0) return undefined;
  // Every paper's appearances are on digest days: those from the window's first day to its last are its days.
  const ranked = index.appearingBetween(window[0]!, window.at(-1)!);
  ranked.sort((a, b) => b.paper.upvotes - a.paper.upvotes || a.bestRank - b.bestRank || a.paper.title.localeCompare(b.paper.title));
  const best = ranked.slice(0, topN).map((r) => r.paper);
  const until = window.at(-1)!;
  return { window: { from: window[0]!, until, digests: window.length }, best, bloomers: lateBloomers(index, until, day, best, history) };
}

/** Growth = the latest recorded upvotes − those on the paper's own day (or at its first observation). */
function lateBloomers(index: PaperIndex, until: string, day: string, best: readonly Paper[], history: (identity: string, until: string) => ObservedUpvotes[]): LateBloomer[] {
  const since = addDays(until, -BLOOM_DAYS);
  const shown = new Set(best.map((p) => p.id));
  const grown: LateBloomer[] = [];
  for (const paper of index.firstAppearingBetween(since, until)) {
    const own = firstDigestDay(paper)!;
    if (shown.has(paper.id)) continue;
    const series = history(upvoteIdentity(paper), day);
    if (series.length < 2) continue;
    const before = [...series].reverse().find((o) => o.day <= own) ?? series[0]!;
    const latest = series.at(-1)!;
    if (latest.upvotes > before.upvotes) grown.push({ paper, ownDay: own, before: before.upvotes, beforeDay: before.day, latest: latest.upvotes });
  }
  grown.sort((a, b) => b.latest - b.before - (a.latest - a.before) || a.paper.title.localeCompare(b.paper.title));
  return grown.slice(0, BLOOMERS_SHOWN);
}
