/**
 * Exactly once through crashes: `npx tsx bench/crashes.ts [days] [seeds...]` (default 250 days,
 * seeds 1 2 3). Runs the seeded crash simulation of test/scheduler/crashSimulation.ts (one crash
 * or flaky answer a day, a Slack and a Discord channel, real SQLite) and prints, per seed and
 * platform, the posts due, posted exactly once, duplicated and missing, and the threads complete.
 * Results also go to bench/results/crashes.json.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSeeds } from '../test/helpers/seeds.js';
import { simulateCrashes, type SimulationReport } from '../test/scheduler/crashSimulation.js';

const [daysArg, ...seedArgs] = process.argv.slice(2);
const days = Number(daysArg ?? 250);
const seeds = seedArgs.length > 0 ? seedArgs.map(Number) : [1, 2, 3];
const papers = (await loadSeeds()).papers;
const reports: SimulationReport[] = [];
for (const seed of seeds) {
  const dir = await mkdtemp(join(tmpdir(), 'paperbot-crashes-'));
  try {
    const started = performance.now();
    const report = await simulateCrashes({ seed, days, file: join(dir, 'paperbot.sqlite'), seeds: papers });
    reports.push(report);
    const cycles = Object.entries(report.crashes).reduce((sum, [kind, n]) => sum + (kind === 'none' ? 0 : n), 0);
    console.log(`seed ${seed}: ${days} days, ${cycles} crash cycles ${JSON.stringify(report.crashes)} (${Math.round((performance.now() - started) / 1000)} s)`);
    for (const p of report.platforms) {
      console.log(
        `  ${p.platform.padEnd(8)} due ${p.due}  exactly once ${p.exactlyOnce}  duplicated ${p.duplicated}  missing ${p.missing}  wrong content ${p.wrongContent}  threads complete ${p.threadsComplete}  thread replies duplicated ${p.threadRepliesDuplicated}`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
await writeFile(join(import.meta.dirname, 'results', 'crashes.json'), `${JSON.stringify(reports, null, 2)}\n`);
