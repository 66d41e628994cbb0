/**
 * Costs of never-twice and the weekly digest on the real corpus: `npx tsx bench/neverTwice.ts`.
 * A channel that has been sent every one of the 9,868 papers (years of daily posts) is asked
 * about ten cards, as a daily post is, exactly and by near title (papers without an arXiv id);
 * the recent papers' upvotes are recorded for a swap; the weekly picks are computed over the
 * whole library after 30 days of observations. Prints milliseconds (median of runs) and the rows
 * kept; results also go to bench/results/neverTwice.json.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PaperIndex } from '../src/index/paperIndex.js';
import { paperIdentities } from '../src/scheduler/paperIdentity.js';
import { upvoteIdentity, weeklyPicks } from '../src/scheduler/weeklyPicks.js';
import { Store } from '../src/store/store.js';
import { addDays } from '../src/time/days.js';
import { loadRealCorpus } from './corpus.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function time(runs: number, work: () => void): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    work();
    ms.push(performance.now() - t);
  }
  return Math.round(median(ms) * 100) / 100;
}

const papers = await loadRealCorpus();
const index = PaperIndex.build(papers);
const dir = await mkdtemp(join(tmpdir(), 'paperbot-never-twice-'));
const store = Store.open(join(dir, 'paperbot.sqlite'));
const channel = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1' };
const asDelivered = (p: (typeof papers)[number]) => ({ paperId: p.id, title: p.title, identities: paperIdentities(p) });
try {
  const recordMs = time(1, () => store.atomically(() => store.delivered.record(channel, 'posts', papers.map(asDelivered), { postKey: 'd1', messageId: '1.1', day: '2026-01-01' }, new Date())));
  const cards = papers.slice(0, 10);
  // Near-title lookups are what a card without an arXiv id costs: its title is compared with those delivered.
  const unknown = cards.map((p) => ({
    paperId: `t-${p.id}`,
    title: `${p.title} revisited`,
    identities: [
      `id:t-${p.id}`,
      `title:${paperIdentities(p)
        .find((i) => i.startsWith('title:'))!
        .slice(6)} revisited`,
    ],
  }));
  const knownMs = time(21, () => {
    for (const p of cards) store.delivered.earlier(channel, 'posts', asDelivered(p));
  });
  const nearMs = time(21, () => {
    for (const p of unknown) store.delivered.earlier(channel, 'posts', p);
  });
  // A new paper with an arXiv id is compared only with delivered papers that had none.
  const fresh = cards.map((p, i) => ({
    paperId: `2699.0000${i}`,
    title: `${p.title} revisited`,
    identities: [
      `arxiv:2699.0000${i}`,
      `title:${paperIdentities(p)
        .find((x) => x.startsWith('title:'))!
        .slice(6)} revisited`,
    ],
  }));
  const freshMs = time(21, () => {
    for (const p of fresh) store.delivered.earlier(channel, 'posts', p);
  });

  const newest = index.digestDates().at(-1)!;
  const recent = papers.filter((p) => p.digests.some((d) => d.date >= addDays(newest, -28)));
  const observations = recent.map((p) => ({ identity: upvoteIdentity(p), upvotes: p.upvotes }));
  for (let d = 0; d < 30; d++)
    store.upvotes.record(
      observations.map((o) => ({ ...o, upvotes: o.upvotes + d })),
      addDays(newest, d - 29),
      addDays(newest, -60),
    );
  const swapMs = time(5, () => store.upvotes.record(observations, addDays(newest, 1), addDays(newest, -60)));
  const weeklyMs = time(5, () => weeklyPicks(index, newest, 5, (identity, until) => store.upvotes.series(identity, until)));
  const picks = weeklyPicks(index, newest, 5, (identity, until) => store.upvotes.series(identity, until))!;
  const result = {
    papers: papers.length,
    deliveredRows: papers.reduce((n, p) => n + paperIdentities(p).length, 0),
    recordAllMs: recordMs,
    tenCardsKnownMs: knownMs,
    tenCardsNearTitleMs: nearMs,
    tenNewArxivCardsMs: freshMs,
    upvotePapersPerSwap: observations.length,
    upvoteSwapMs: swapMs,
    weeklyPicksMs: weeklyMs,
    lateBloomers: picks.bloomers.length,
  };
  console.log(JSON.stringify(result, null, 2));
  await writeFile(join(import.meta.dirname, 'results', 'neverTwice.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  store.close();
  await rm(dir, { recursive: true, force: true });
}
