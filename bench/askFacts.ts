/**
 * `npx tsx bench/askFacts.ts <index.sqlite>`: the structural `ask` questions (days, organisations,
 * authors) on a saved SQLite index file, as a bot starting on it answers them: the time of each
 * question cold and warm, the organisation table read in the background, and the memory used.
 * The clock is set to the file's latest digest day, so "this week" has papers.
 */
import { FixedClock } from '../src/clock.js';
import { Answerer } from '../src/answer/answerer.js';
import { prepareDigestFacts } from '../src/answer/digestFacts.js';
import { PaperLibrary } from '../src/index/library.js';
import { openSqliteIndex } from '../src/index/sqliteIndexFile.js';

const MB = 1024 * 1024;
const ROUNDS = 3;

const path = process.argv[2];
if (!path) throw new Error('usage: bench/askFacts.ts <index.sqlite>');
const opening = performance.now();
const { index } = openSqliteIndex(path);
const openMs = performance.now() - opening;
const latest = index.digestDates().at(-1) ?? '2026-01-01';
const answerer = new Answerer(new PaperLibrary(index), new FixedClock(new Date(`${latest}T10:00:00Z`)));
const questions = [
  `what came out on ${latest}?`,
  `how many papers on ${latest}?`,
  'how many papers this week?',
  'how many papers last month?',
  "what's new?",
  'papers by Tri Dao',
  'papers by Yang You',
  'papers by Jégou',
  'papers by Wang this week',
  // Follow-ups on the same names: their papers are kept from the question before.
  'papers by Yang You last month',
  'papers by Wang',
  'what did NVIDIA publish this week?',
  'ByteDance Seed papers',
  'what did Show Lab publish last month?',
  'show me papers about mixture of experts',
];

function timed<T>(run: () => T): { ms: number; result: T } {
  const started = performance.now();
  const result = run();
  return { ms: performance.now() - started, result };
}

const rows: string[] = [];
for (const q of questions) {
  const { ms, result } = timed(() => answerer.extractive(q));
  rows.push(`${ms.toFixed(0).padStart(7)} ms cold  ${q} → ${result.lines[0]?.text?.slice(0, 70) ?? result.kind}`);
}
for (const q of questions) {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) times.push(timed(() => answerer.extractive(q)).ms);
  rows.push(
    `${Math.max(...times)
      .toFixed(0)
      .padStart(7)} ms warm  ${q}`,
  );
}
// The organisations are read at the first question that needs them when not yet in the background: time it on a fresh index too.
const fresh = openSqliteIndex(path).index;
const prepared = performance.now();
await prepareDigestFacts(fresh);
const organisationsMs = performance.now() - prepared;
fresh.close();
const { rss, heapUsed } = process.memoryUsage();
console.log(`${index.size} papers, open ${openMs.toFixed(0)} ms, organisations read in the background in ${organisationsMs.toFixed(0)} ms`);
console.log(rows.join('\n'));
console.log(`RSS ${(rss / MB).toFixed(0)} MB (peak ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB), heap ${(heapUsed / MB).toFixed(0)} MB`);
index.close();
