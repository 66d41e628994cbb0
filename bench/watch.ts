/**
 * A watch's matches on a saved SQLite index file: asked of the index (`watch add`'s count, then
 * `watches #id`'s count and latest papers) against the walk over every paper they replaced,
 * each in a fresh process so that its memory is its own. Checks both give the same answer.
 *
 *   npx tsx bench/watch.ts <index.sqlite> [walk] [watch...]
 *
 * `walk` also times the walk (tens of seconds per watch at 1,000,000 papers).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openSqliteIndex } from '../src/index/sqliteIndexFile.js';
import { latestFirst, watchMatcher } from '../src/index/watchMatch.js';

const SHOWN = 10;
const WATCHES = ['diffusion video', 'diffusion -video', 'moe', 'author:"Tri Dao"', 'org:nvidia'];

interface Run {
  countMs: number;
  listMs: number;
  rssMB: number;
  total: number;
  latest: string[];
}

function measure(path: string, query: string, mode: 'index' | 'walk'): Run {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const { index } = openSqliteIndex(path);
  let t = performance.now();
  let total: number;
  let latest: string[];
  let countMs: number;
  if (mode === 'index') {
    total = index.watchMatches(query).total;
    countMs = performance.now() - t;
    t = performance.now();
    const list = index.watchMatches(query, SHOWN);
    latest = list.latest.map((p) => p.id);
    if (list.total !== total) throw new Error(`count ${total} then ${list.total}`);
  } else {
    // The walk did the same for either command: every paper through the rule (the list also sorted them).
    const matches = index.papers().filter(watchMatcher(query, index.acronyms()));
    total = matches.length;
    countMs = performance.now() - t;
    latest = matches
      .sort(latestFirst)
      .slice(0, SHOWN)
      .map((p) => p.id);
  }
  const listMs = performance.now() - t;
  gc();
  const rssMB = process.memoryUsage().rss / 1024 / 1024;
  index.close();
  return { countMs, listMs, rssMB, total, latest };
}

function inChild(path: string, query: string, mode: 'index' | 'walk'): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'] });
    child.once('message', (run) => resolve(run as Run));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`child exited ${code}`))));
    child.send({ path, query, mode });
  });
}

if (process.send) {
  process.once('message', ({ path, query, mode }: { path: string; query: string; mode: 'index' | 'walk' }) => {
    process.send!(measure(path, query, mode), () => process.exit(0));
  });
} else {
  const [path, ...rest] = process.argv.slice(2);
  if (!path) throw new Error('usage: tsx bench/watch.ts <index.sqlite> [walk] [watch...]');
  const walk = rest[0] === 'walk';
  const queries = (walk ? rest.slice(1) : rest).length > 0 ? (walk ? rest.slice(1) : rest) : WATCHES;
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  for (const query of queries) {
    const asked = await inChild(path, query, 'index');
    console.log(`${query}: ${asked.total} matches; index: count ${ms(asked.countMs)}, list ${ms(asked.listMs)}, RSS ${asked.rssMB.toFixed(0)} MB`);
    if (!walk) continue;
    const walked = await inChild(path, query, 'walk');
    const same = walked.total === asked.total && JSON.stringify(walked.latest) === JSON.stringify(asked.latest);
    console.log(
      `${query}: walk: ${ms(walked.countMs)} (count and list alike), RSS ${walked.rssMB.toFixed(0)} MB; ${same ? 'same answer' : `DIFFERENT: walk ${walked.total} ${walked.latest.join(',')} / index ${asked.latest.join(',')}`}`,
    );
  }
}
