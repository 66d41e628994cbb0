import { beforeAll, describe, expect, it } from 'vitest';
import { TrendingTable, TRENDING_PERIODS, type TrendingPeriod } from '../../src/index/trending.js';
import type { Paper } from '../../src/model/paper.js';
import { loadSeeds } from '../helpers/seeds.js';
import { addDays } from '../../src/time/days.js';

let papers: Paper[];
let digestDates: string[];
beforeAll(async () => {
  const load = await loadSeeds();
  papers = load.papers;
  digestDates = [...new Set(load.digests.map((d) => d.date))].sort();
});

/** The ranking written plainly over paper objects: what the flat table must reproduce. */
function plainRanking(period: TrendingPeriod, asOf: string, limit: number): { id: string; score: number; bestRank: number }[] {
  const anchor = [...digestDates].reverse().find((d) => d <= asOf);
  if (!anchor) return [];
  const from = addDays(anchor, 1 - { day: 1, week: 7, month: 30 }[period]);
  const sizes = new Map<string, number>();
  for (const p of papers) for (const d of p.digests) sizes.set(d.file, Math.max(sizes.get(d.file) ?? 0, d.rank));
  const hits = papers.flatMap((p) => {
    const inWindow = p.digests.filter((d) => d.date >= from && d.date <= anchor);
    if (inWindow.length === 0) return [];
    const position = Math.max(...inWindow.map((d) => 1 - (d.rank - 1) / Math.max(1, sizes.get(d.file)!)));
    return [{ id: p.id, title: p.title, score: p.upvotes + 0.9 * position, bestRank: Math.min(...inWindow.map((d) => d.rank)) }];
  });
  hits.sort((a, b) => b.score - a.score || a.bestRank - b.bestRank || a.title.localeCompare(b.title));
  return hits.slice(0, limit).map(({ id, score, bestRank }) => ({ id, score, bestRank }));
}

describe('the trending table', () => {
  it('ranks as the plain ranking over every paper does, for every period and digest day', () => {
    const table = TrendingTable.of(papers);
    const asOfs = [...digestDates, addDays(digestDates.at(-1)!, 40), '2000-01-01'];
    let ranked = 0;
    for (const period of TRENDING_PERIODS) {
      for (const asOf of asOfs) {
        const result = table.rank(
          digestDates,
          period,
          asOf,
          1000,
          (i) => papers[i]!,
          (i) => papers[i]!.title,
        );
        const expected = plainRanking(period, asOf, 1000);
        expect(
          result.hits.map((h) => ({ id: h.paper.id, score: h.score, bestRank: h.bestRank })),
          `${period} ${asOf}`,
        ).toEqual(expected);
        ranked += expected.length;
      }
    }
    expect(ranked).toBeGreaterThan(0);
  });

  it('decodes only the papers it returns', () => {
    const asked = new Set<number>();
    const paper = (i: number) => {
      asked.add(i);
      return papers[i]!;
    };
    const result = TrendingTable.of(papers).rank(digestDates, 'month', digestDates.at(-1)!, 3, paper, (i) => papers[i]!.title);
    expect(result.hits).toHaveLength(3);
    expect(asked.size).toBe(3);
  });
});
