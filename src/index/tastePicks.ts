import type { Paper } from '../model/paper.js';
import { addDays } from '../time/days.js';
import type { PaperIndex } from './paperIndex.js';
import { toTerms } from './terms.js';

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
/** Papers each seed's "more like this" contributes. */
const PER_SEED = 30;
/** How much a term counts by where it stands, as the search weighs its fields (title 3, abstract 1). */
const TITLE_WEIGHT = 3;
const KEYWORD_WEIGHT = 2;

interface Seed {
  paper: Paper;
  weight: number;
  reason: PickReason;
}

/**
 * Recent papers ranked by how close they are to what the channel liked and saved, and pushed
 * down by what it disliked: each liked paper's "more like this" over the recent papers (term
 * vectors, below) scores them by cosine similarity, weighted by how many members
 * liked or saved it; disliked papers subtract the same way. Papers the channel already signalled are left out.
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
  const recent = index.appearingBetween(from, to).flatMap(({ paper }) => (signalled.has(paper.id) ? [] : [paper]));
  if (recent.length === 0) return result;
  const vectors = new TermVectors(index);
  const candidates = recent.map((p) => ({ paper: p, vector: vectors.of(p) }));
  const closest = (seed: Paper) => closestTo(vectors.of(seed), candidates);

  const score = new Map<string, { paper: Paper; total: number; best: number; because: PickReason }>();
  for (const seed of positive.slice(0, MAX_SEEDS)) {
    for (const { paper, closeness } of closest(seed.paper)) {
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
    for (const { paper, closeness } of closest(seed.paper)) {
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

/**
 * A paper as weighted index terms (the shared index's stemming, and its document frequencies for
 * rarity), unit length: a "more like this" over a few hundred recent papers is then a dot product
 * each, where a search of the whole library per liked paper would take a second or more.
 */
class TermVectors {
  private readonly idf = new Map<string, number>();

  constructor(private readonly index: PaperIndex) {}

  of(paper: Paper): Map<string, number> {
    const tf = new Map<string, number>();
    const add = (text: string, weight: number) => {
      for (const term of toTerms(text)) tf.set(term, (tf.get(term) ?? 0) + weight);
    };
    add(paper.title, TITLE_WEIGHT);
    add(paper.keywords?.join(' ') ?? '', KEYWORD_WEIGHT);
    add(paper.abstract, 1);
    const vector = new Map<string, number>();
    let norm = 0;
    for (const [term, n] of tf) {
      const w = (1 + Math.log(n)) * this.rarity(term);
      vector.set(term, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [term, w] of vector) vector.set(term, w / norm);
    return vector;
  }

  private rarity(term: string): number {
    let idf = this.idf.get(term);
    if (idf === undefined) {
      idf = Math.log(1 + this.index.size / (1 + this.index.documentFrequency(term)));
      this.idf.set(term, idf);
    }
    return idf;
  }
}

/** The candidates closest to `seed`, each with its cosine similarity (0 to 1, comparable between seeds). */
function closestTo(seed: ReadonlyMap<string, number>, candidates: ReadonlyArray<{ paper: Paper; vector: ReadonlyMap<string, number> }>): Array<{ paper: Paper; closeness: number }> {
  const scored: Array<{ paper: Paper; score: number }> = [];
  for (const { paper, vector } of candidates) {
    let score = 0;
    for (const [term, w] of seed) score += w * (vector.get(term) ?? 0);
    if (score > 0) scored.push({ paper, score });
  }
  scored.sort((a, b) => b.score - a.score);
  return scored.slice(0, PER_SEED).map((s) => ({ paper: s.paper, closeness: s.score }));
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
