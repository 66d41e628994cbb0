/**
 * One benchmark cell: one engine at one corpus size, in its own process (forked by run.ts)
 * so that heap and RSS figures belong to that engine alone. Sends the result to the parent.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Paper } from '../src/model/paper.js';
import { loadRealCorpus, loadSeedPapers, syntheticCorpus } from './corpus.js';
import { ENGINES, type BuiltEngine } from './engines.js';
import { loadQuerySet } from './queries.js';

export type CorpusSize = 'seeds' | 'real' | 'synthetic';

export interface CellResult {
  engine: string;
  size: CorpusSize;
  papers: number;
  queries: number;
  buildMs: number;
  queryP50Ms: number;
  queryP99Ms: number;
  /** The p99 of the CPU time a query took (this process's threads), which the machine's load barely moves. */
  queryCpuP99Ms: number;
  heapMB: number;
  rssMB: number;
  snapshotMB: number;
  snapshotLoadMs: number;
}

/** Timed repetitions: few where one run takes seconds, enough elsewhere for a stable p99. */
const PLAN: Record<CorpusSize, { builds: number; queryRounds: number; loads: number }> = {
  seeds: { builds: 3, queryRounds: 20, loads: 3 },
  real: { builds: 1, queryRounds: 10, loads: 3 },
  synthetic: { builds: 1, queryRounds: 3, loads: 1 },
};

export const SYNTHETIC_SIZE = 100_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function papersFor(size: CorpusSize): Promise<Paper[]> {
  if (size === 'seeds') return loadSeedPapers();
  const real = await loadRealCorpus();
  return size === 'real' ? real : syntheticCorpus(real, SYNTHETIC_SIZE);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const MB = 1024 * 1024;

export async function measure(engineName: string, size: CorpusSize): Promise<CellResult> {
  const engine = ENGINES.find((e) => e.name === engineName);
  if (!engine) throw new Error(`unknown engine ${engineName}`);
  const plan = PLAN[size];
  const papers = await papersFor(size);
  const set = await loadQuerySet(size === 'seeds' ? 'seeds' : 'corpus');
  const queries = set.queries.map((q) => q.query);

  gc();
  // Typed arrays live outside the JS heap: count them too, or a flat-array index looks free.
  const inUse = (m: NodeJS.MemoryUsage) => m.heapUsed + m.arrayBuffers;
  const heapBefore = inUse(process.memoryUsage());
  const builds: number[] = [];
  let built: BuiltEngine | undefined;
  for (let i = 0; i < plan.builds; i++) {
    built = undefined;
    gc();
    const t = performance.now();
    built = engine.build(papers);
    builds.push(performance.now() - t);
  }
  gc();
  const memory = process.memoryUsage();
  const index = built!;

  for (const q of queries) index.search(q, 10); // warm-up: JIT and lazy structures
  const latencies: number[] = [];
  // CPU time too: on a shared, busy machine a query's wall time includes the time others had the core.
  const cpuTimes: number[] = [];
  for (let round = 0; round < plan.queryRounds; round++) {
    for (const q of queries) {
      const t = performance.now();
      const cpu = process.cpuUsage();
      index.search(q, 10);
      const used = process.cpuUsage(cpu);
      latencies.push(performance.now() - t);
      cpuTimes.push((used.user + used.system) / 1000);
    }
  }
  latencies.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);

  const snapshot = index.snapshot();
  const loads: number[] = [];
  for (let i = 0; i < plan.loads; i++) {
    const t = performance.now();
    const loaded = await engine.load(snapshot);
    loads.push(performance.now() - t);
    if (i === 0 && loaded.search(queries[0]!, 10).join() !== index.search(queries[0]!, 10).join()) {
      throw new Error(`${engineName}: snapshot gives different results`);
    }
  }

  return {
    engine: engineName,
    size,
    papers: papers.length,
    queries: queries.length,
    buildMs: median(builds),
    queryP50Ms: percentile(latencies, 50),
    queryP99Ms: percentile(latencies, 99),
    queryCpuP99Ms: percentile(cpuTimes, 99),
    heapMB: (inUse(memory) - heapBefore) / MB,
    rssMB: memory.rss / MB,
    snapshotMB: Buffer.byteLength(snapshot) / MB,
    snapshotLoadMs: median(loads),
  };
}

/** `measure` in a fresh child process, so that its heap and RSS belong to that engine alone. */
export function measureInChild(engineName: string, size: CorpusSize): Promise<CellResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [engineName, size], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m: { ok: boolean; result?: CellResult; error?: string }) => (m.ok ? resolve(m.result!) : reject(new Error(m.error))));
    child.once('exit', (code) => code !== 0 && reject(new Error(`${engineName}/${size} exited with ${code}`)));
  });
}

// Only as the child measureInChild forks, not when imported.
if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  const [engineName, size] = process.argv.slice(2) as [string, CorpusSize];
  measure(engineName, size).then(
    (result) => process.send!({ ok: true, result }, () => process.exit(0)),
    (err: Error) => process.send!({ ok: false, error: err.stack ?? String(err) }, () => process.exit(1)),
  );
}
