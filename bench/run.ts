/**
 * `npm run bench`: build time, warm query latency, memory and snapshot size/load time for
 * paperbot and the baselines at 204 (seeds), 9,868 (real corpus) and 100,000 papers
 * (synthetic, see corpus.ts), on this machine in one run. Each engine and size is measured
 * in a fresh child process. Prints tables and writes bench/results/latest.json; ratios are
 * to MiniSearch with default options, so runs on different machines still compare.
 *   npm run bench -- --sizes seeds,real   only some sizes
 *   npm run bench -- --engines paperbot,minisearch   (lunr runs at 100k only when named here)
 *   npm run bench -- --sizes 1m   1,000,000 synthetic papers, the SQLite engine only unless
 *                                 --engines says otherwise (opt-in: the build takes long)
 * The SQLite engine at 100k and 1m is measured from its index file, opened by a fresh process:
 * "start ms" is that process's start to its first answer, "load ms" the file's opening.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './corpus.js';
import { ENGINES } from './engines.js';
import { measureInChild, type CellResult, type CorpusSize } from './measure.js';
import { formatTable } from './table.js';

const BASELINE = 'minisearch';
const args = process.argv.slice(2);
const option = (name: string): string[] | undefined => (args.includes(name) ? args[args.indexOf(name) + 1]?.split(',') : undefined);
const sizes = (option('--sizes') ?? ['seeds', 'real', 'synthetic']) as CorpusSize[];
const engines = option('--engines') ?? ENGINES.map((e) => e.name);
/** Lunr at 100k papers takes far longer and far more memory than the rest (bench/results/): measured there only when asked by name. */
const SKIPPED_BY_DEFAULT: Partial<Record<CorpusSize, string[]>> = { synthetic: ['lunr'] };
/** At a million papers only the engine made for large libraries runs unless asked: the in-memory ones need tens of GB. */
const ONLY_BY_DEFAULT: Partial<Record<CorpusSize, string[]>> = { '1m': ['paperbot-sqlite'] };
const enginesFor = (size: CorpusSize) => (option('--engines') ? engines : engines.filter((e) => !SKIPPED_BY_DEFAULT[size]?.includes(e) && (ONLY_BY_DEFAULT[size]?.includes(e) ?? true)));
/** Heap for building the largest corpora in one process. */
const HEAP_FOR: Partial<Record<CorpusSize, string>> = { '1m': '--max-old-space-size=12288' };

const started = performance.now();
const results: CellResult[] = [];
for (const size of sizes) {
  const cells: CellResult[] = [];
  for (const engine of enginesFor(size)) {
    process.stderr.write(`measuring ${engine} at ${size}…\n`);
    cells.push(await measureInChild(engine, size, HEAP_FOR[size] ? [HEAP_FOR[size]] : []));
  }
  results.push(...cells);
  printSize(size, cells);
}

const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform };
const report = { date: new Date().toISOString(), machine, baseline: BASELINE, results: results.map((r) => ({ ...r, ratios: ratiosFor(r) })) };
await mkdir(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
const out = join(REPO_ROOT, 'bench', 'results', 'latest.json');
await writeFile(out, JSON.stringify(report, null, 1));
console.log(`\n${machine.cpu}, ${machine.cores} cores, node ${machine.node}; total ${((performance.now() - started) / 1000).toFixed(0)} s; written ${out}`);

function ratiosFor(r: CellResult): Record<string, number> | undefined {
  const base = results.find((b) => b.engine === BASELINE && b.size === r.size);
  if (!base) return undefined;
  const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
  return {
    buildMs: ratio(r.buildMs, base.buildMs),
    queryP50Ms: ratio(r.queryP50Ms, base.queryP50Ms),
    queryP99Ms: ratio(r.queryP99Ms, base.queryP99Ms),
    heapMB: ratio(r.heapMB, base.heapMB),
    snapshotMB: ratio(r.snapshotMB, base.snapshotMB),
    snapshotLoadMs: ratio(r.snapshotLoadMs, base.snapshotLoadMs),
  };
}

function printSize(size: CorpusSize, cells: CellResult[]): void {
  const first = cells[0]!;
  console.log(`\n${size}: ${first.papers} papers, ${first.queries} queries (ratio to ${BASELINE} in brackets)`);
  const base = cells.find((c) => c.engine === BASELINE);
  const cell = (v: number, b: number | undefined, digits = 1) => (b ? `${v.toFixed(digits)} (${(v / b).toFixed(2)}x)` : v.toFixed(digits));
  const rows = cells.map((c) => [
    c.engine,
    cell(c.buildMs, base?.buildMs, 0),
    cell(c.queryP50Ms, base?.queryP50Ms, 3),
    cell(c.queryP99Ms, base?.queryP99Ms, 3),
    cell(c.heapMB, base?.heapMB),
    c.rssMB.toFixed(0),
    cell(c.snapshotMB, base?.snapshotMB, 2),
    cell(c.snapshotLoadMs, base?.snapshotLoadMs, 0),
    c.startMs === undefined ? '' : c.startMs.toFixed(0),
  ]);
  console.log(formatTable(['engine', 'build ms', 'query p50 ms', 'query p99 ms', 'index MB (heap+buffers)', 'RSS MB', 'snapshot MB', 'load ms', 'start ms'], rows));
}
