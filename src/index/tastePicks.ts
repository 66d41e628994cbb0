import type { Paper } from '../model/paper.js';
import { addDays } from '../time/days.js';
import type { PaperIndex } from './paperIndex.js';

/** One member's signal on one paper, as the channel's taste keeps it. */
export interface TasteSignal {
  paperId: string;
  title: string;
  userId: string;
  kind: 'like' | 'dislike' | 'save';
}

/** The liked paper a pick is most like, and how many members liked or saved it. */
export interface PickReason {
  paperId: string;
  title: string;
  likes: number;
  saves: number;
}

export interface TastePick {
  paper: Paper;
  score: number;
  because: PickReason;
}

export interface TastePicksResult {
  /** The days the picks come from (the library's latest digest and the days before it); undefined with no digest yet. */
  from?: string;
  to?: string;
  picks: TastePick[];
  /** Papers the channel liked or saved more than it disliked, and the ones it disliked. */
  liked: number;
  disliked: number;
}

/** How many days of digests, up to the latest, a recommendation picks from. */
export const RECENT_DAYS = 14;
/** Liked papers used as seeds: the most liked, then the latest. More adds little and costs a search each. */
const MAX_SEEDS = 20;
/** Papers each seed's "more like this" query contributes. */
const PER_SEED = 30;

interface Seed {
  paper: Paper;
  weight: number;
  reason: PickReason;
}

/**
 * Recent papers ranked by how close they are to what the channel liked and saved, and pushed
 * down by what it disliked: each liked paper runs a "more like this" query over the recent
 * papers, its scores scaled to its best hit and weighted by how many members liked or saved
 * it; disliked papers subtract the same way. Papers the channel already signalled are left out.
 */
export function tastePicks(index: PaperIndex, signals: readonly TasteSignal[], today: string, limit: number): TastePicksResult {
  const { positive, negative } = seedsOf(index, signals);
  const dates = index.digestDates().filter((d) => d <= today);
  const to = dates.at(-1);
  const result: TastePicksResult = { picks: [], liked: positive.length, disliked: negative.length };
  if (!to) return result;
  const from = addDays(to, -(RECENT_DAYS - 1));
  result.from = from;
  result.to = to;
  if (positive.length === 0) return result;
  const signalled = new Set(signals.map((s) => s.paperId));
  const recent = new Set(index.papers().filter((p) => !signalled.has(p.id) && p.digests.some((d) => d.date >= from && d.date <= to)).map((p) => p.id));
  if (recent.size === 0) return result;

  const score = new Map<string, { paper: Paper; total: number; best: number; because: PickReason }>();
  for (const seed of positive.slice(0, MAX_SEEDS)) {
    for (const { paper, closeness } of closest(index, seed.paper, recent)) {
      const part = seed.weight * closeness;
      const entry = score.get(paper.id);
      if (!entry) score.set(paper.id, { paper, total: part, best: part, because: seed.reason });
      else {
        entry.total += part;
        if (part > entry.best) {
          entry.best = part;
          entry.because = seed.reason;
        }
      }
    }
  }
  for (const seed of negative.slice(0, MAX_SEEDS)) {
    for (const { paper, closeness } of closest(index, seed.paper, recent)) {
      const entry = score.get(paper.id);
      if (entry) entry.total -= seed.weight * closeness;
    }
  }
  result.picks = [...score.values()]
    .filter((e) => e.total > 0)
    .sort((a, b) => b.total - a.total || b.paper.upvotes - a.paper.upvotes || a.paper.id.localeCompare(b.paper.id))
    .slice(0, limit)
    .map((e) => ({ paper: e.paper, score: e.total, because: e.because }));
  return result;
}

/** The recent papers closest to `seed`, each with its score relative to the best one (1). */
function closest(index: PaperIndex, seed: Paper, recent: ReadonlySet<string>): Array<{ paper: Paper; closeness: number }> {
  const hits = index.moreLike(seed, PER_SEED, recent);
  const top = hits[0]?.score ?? 0;
  return top > 0 ? hits.map((h) => ({ paper: h.paper, closeness: h.score / top })) : [];
}

/** Each signalled paper's net weight: members who liked or saved it minus those who disliked it. */
function seedsOf(index: PaperIndex, signals: readonly TasteSignal[]): { positive: Seed[]; negative: Seed[] } {
  const byPaper = new Map<string, { title: string; likers: Set<string>; savers: Set<string>; dislikers: Set<string>; order: number }>();
  signals.forEach((s, order) => {
    let entry = byPaper.get(s.paperId);
    if (!entry) byPaper.set(s.paperId, (entry = { title: s.title, likers: new Set(), savers: new Set(), dislikers: new Set(), order }));
    entry.order = order;
    (s.kind === 'like' ? entry.likers : s.kind === 'save' ? entry.savers : entry.dislikers).add(s.userId);
  });
  const positive: Array<Seed & { order: number }> = [];
  const negative: Array<Seed & { order: number }> = [];
  for (const [paperId, e] of byPaper) {
    const paper = index.get(paperId);
    if (!paper) continue;
    const fans = new Set([...e.likers, ...e.savers]).size;
    const weight = fans - e.dislikers.size;
    const seed = { paper, weight: Math.abs(weight), order: e.order, reason: { paperId, title: paper.title, likes: e.likers.size, saves: e.savers.size } };
    if (weight > 0) positive.push(seed);
    else if (weight < 0) negative.push(seed);
  }
  const strongestThenLatest = (a: { weight: number; order: number }, b: { weight: number; order: number }) => b.weight - a.weight || b.order - a.order;
  return { positive: positive.sort(strongestThenLatest), negative: negative.sort(strongestThenLatest) };
}
