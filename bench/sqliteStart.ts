/**
 * A fresh process that opens a saved SQLite index file and answers: the time from the process's
 * start to its first answer, then warm query latency and memory. Forked by measure.ts for the
 * SQLite engine's large cells, so the figures are those of a bot starting on the file.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openSqliteIndex } from '../src/index/sqliteIndexFile.js';

export interface StartResult {
  /** From the process's start (node boot included) to the first answer. */
  startMs: number;
  openMs: number;
  queryP50Ms: number;
  queryP99Ms: number;
  queryCpuP99Ms: number;
  heapMB: number;
  rssMB: number;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MB = 1024 * 1024;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

if (process.send) {
  process.once('message', ({ path, queries, rounds }: { path: string; queries: string[]; rounds: number }) => {
    const opening = performance.now();
    const { index } = openSqliteIndex(path);
    const openMs = performance.now() - opening;
    index.search(queries[0]!, { limit: 10 });
    // performance.now() counts from the process's start.
    const startMs = performance.now();
    for (const q of queries) index.search(q, { limit: 10 }); // warm-up: JIT and the page cache
    const latencies: number[] = [];
    // CPU time too: on a shared, busy machine a query's wall time includes the time others had the core.
    const cpuTimes: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const q of queries) {
        const t = performance.now();
        const cpu = process.cpuUsage();
        index.search(q, { limit: 10 });
        const used = process.cpuUsage(cpu);
        latencies.push(performance.now() - t);
        cpuTimes.push((used.user + used.system) / 1000);
      }
    }
    latencies.sort((a, b) => a - b);
    cpuTimes.sort((a, b) => a - b);
    gc();
    const memory = process.memoryUsage();
    const result: StartResult = {
      startMs,
      openMs,
      queryP50Ms: percentile(latencies, 50),
      queryP99Ms: percentile(latencies, 99),
      queryCpuP99Ms: percentile(cpuTimes, 99),
      heapMB: (memory.heapUsed + memory.arrayBuffers) / MB,
      rssMB: memory.rss / MB,
    };
    index.close();
    process.send!(result, () => process.exit(0));
  });
}
