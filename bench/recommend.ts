/**
 * `npx tsx bench/recommend.ts`: how long `/paper recommend` takes to rank the real corpus's last
 * 14 days for a channel with many signals (the most-signalled case the ranking allows: 20 liked
 * seeds, 20 disliked), warm, median and p95 of 20 runs. Needs ../shared (PAPERBOT_CORPUS).
 */
import { loadavg } from 'node:os';
import { PaperIndex } from '../src/index/paperIndex.js';
import { tastePicks, type TasteSignal } from '../src/index/tastePicks.js';
import { loadRealCorpus } from './corpus.js';

const papers = await loadRealCorpus();
const index = PaperIndex.build(papers);
const dates = index.digestDates();
const today = dates.at(-1)!;
// Liked and disliked papers spread over the library, several members each.
const step = Math.floor(papers.length / 40);
const signals: TasteSignal[] = [];
for (let i = 0; i < 40; i++) {
  const p = papers[i * step]!;
  for (const user of ['u1', 'u2', 'u3']) signals.push({ paperId: p.id, title: p.title, userId: user, kind: i % 2 === 0 ? 'like' : 'dislike' });
}
const runs: number[] = [];
let picks = 0;
for (let i = 0; i < 22; i++) {
  const started = performance.now();
  picks = tastePicks(index, signals, today, 5).picks.length;
  if (i >= 2) runs.push(performance.now() - started);
}
runs.sort((a, b) => a - b);
const at = (q: number) => runs[Math.min(runs.length - 1, Math.floor(q * runs.length))]!.toFixed(1);
console.log(`recommend over ${papers.length} papers (${dates.length} digest days, latest ${today}), ${signals.length} signals: ${picks} picks`);
console.log(
  `warm: median ${at(0.5)} ms, p95 ${at(0.95)} ms; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
