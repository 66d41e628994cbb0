/**
 * One benchmark cell: one engine at one corpus size, in its own process (forked by run.ts)
 * so that heap and RSS figures belong to that engine alone. Sends the result to the parent.
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Paper } from '../src/model/paper.js';
import { loadRealCorpus, loadSeedPapers, syntheticCorpus } from './corpus.js';
import { ENGINES, type BuiltEngine } from './engines.js';
import { loadQuerySet } from './queries.js';
import type { StartResult } from './sqliteStart.js';
import { writeSqliteIndex } from '../src/index/sqliteIndexFile.js';

/** `1m` is opt-in (`--sizes 1m`): its build takes many minutes and gigabytes. */
export type CorpusSize = 'seeds' | 'real' | 'synthetic' | '1m';

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
  /** From a fresh process's start to its first answer from the saved index (the SQLite engine's file cells). */
  startMs?: number;
}

/** Timed repetitions: few where one run takes seconds, enough elsewhere for a stable p99. */
const PLAN: Record<CorpusSize, { builds: number; queryRounds: number; loads: number }> = {
  seeds: { builds: 3, queryRounds: 20, loads: 3 },
  real: { builds: 1, queryRounds: 10, loads: 3 },
  synthetic: { builds: 1, queryRounds: 3, loads: 1 },
  '1m': { builds: 1, queryRounds: 2, loads: 1 },
};

export const SYNTHETIC_SIZE = 100_000;
const SYNTHETIC_SIZES: Partial<Record<CorpusSize, number>> = { synthetic: SYNTHETIC_SIZE, '1m': 1_000_000 };
/** The SQLite engine at these sizes is measured as a bot runs it: from its index file, opened by a fresh process. */
const FILE_CELLS = new Set<CorpusSize>(['synthetic', '1m']);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function papersFor(size: CorpusSize): Promise<Paper[]> {
  if (size === 'seeds') return loadSeedPapers();
  const real = await loadRealCorpus();
  return size === 'real' ? real : syntheticCorpus(real, SYNTHETIC_SIZES[size]!);
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
  if (engineName === 'paperbot-sqlite' && FILE_CELLS.has(size)) return measureIndexFile(papers, queries, size);

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

/** Builds the SQLite index file, then opens it in a fresh process (sqliteStart.ts): start to first answer, warm latency, memory. */
async function measureIndexFile(papers: Paper[], queries: string[], size: CorpusSize): Promise<CellResult> {
  const dir = await mkdtemp(join(tmpdir(), 'paperbot-bench-'));
  try {
    const path = join(dir, 'index.sqlite');
    const t = performance.now();
    writeSqliteIndex(path, papers, undefined, null);
    const buildMs = performance.now() - t;
    const bytes = (await stat(path)).size;
    const count = papers.length;
    papers.length = 0;
    gc();
    const started = await new Promise<StartResult>((resolve, reject) => {
      const child = fork(fileURLToPath(new URL('./sqliteStart.ts', import.meta.url)), [], {
        execArgv: process.execArgv.filter((a) => !a.startsWith('--max-old-space-size')),
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child.once('message', (m: StartResult) => resolve(m));
      child.once('exit', (code) => code !== 0 && reject(new Error(`opening the index file exited with ${code}`)));
      child.send({ path, queries, rounds: PLAN[size].queryRounds });
    });
    return {
      engine: 'paperbot-sqlite',
      size,
      papers: count,
      queries: queries.length,
      buildMs,
      queryP50Ms: started.queryP50Ms,
      queryP99Ms: started.queryP99Ms,
      queryCpuP99Ms: started.queryCpuP99Ms,
      heapMB: started.heapMB,
      rssMB: started.rssMB,
      snapshotMB: bytes / MB,
      snapshotLoadMs: started.openMs,
      startMs: started.startMs,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `measure` in a fresh child process, so that its heap and RSS belong to that engine alone. */
export function measureInChild(engineName: string, size: CorpusSize, nodeOptions: readonly string[] = []): Promise<CellResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [engineName, size], { execArgv: [...process.execArgv, ...nodeOptions], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
