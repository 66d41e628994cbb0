/**
 * Ingest and start-up at scale: `npx tsx bench/ingest.ts [sizes...]` (default 9868 100000).
 * For each size it writes a digests folder in the corpus format (papers.jsonl + days.jsonl;
 * the real corpus, or syntheticCorpus(real, n) from bench/corpus.ts beyond it), then measures
 * parse, index build, snapshot save, and, in a fresh child process, snapshot load and
 * start-to-first-answer, the first `show` of a hit and the first `trending` after it, with the
 * RSS at that point. Last, the real entry point (`src/main.ts`, console chat) is started over
 * the same folders and timed to its first printed answer; and a bot started from the snapshot
 * is timed from new API day files landing in the folder to their papers being searchable (the
 * refresh a file watcher triggers; see newDayToSearch). For the real corpus it then prints the
 * default engine's goals beside what was measured (see printTargets), with the load average:
 * timings move with the machine's load, RSS does not.
 * Results also go to bench/results/ingest.json.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { systemClock } from '../src/clock.js';
import { DigestFolder } from '../src/ingest/digestFolder.js';
import { DigestIngester } from '../src/ingest/ingester.js';
import { openLibrary } from '../src/ingest/openLibrary.js';
import { saveSnapshot, snapshotPath } from '../src/ingest/snapshot.js';
import { PaperIndex } from '../src/index/paperIndex.js';
import { silentLogger } from '../src/logger.js';
import type { Paper } from '../src/model/paper.js';
import { loadRealCorpus, REPO_ROOT, syntheticCorpus } from './corpus.js';
import { measureInChild } from './measure.js';
import { formatTable } from './table.js';
import { isoDay } from '../src/time/days.js';

const QUERY = 'mixture of experts routing';
/** The node options `npm start` runs the bot with (its script is `node <options> src/main.ts`): the bench's bot processes run with them too. */
const NODE_FLAGS = startFlags(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts.start);

function startFlags(script: string): string[] {
  const words = script.trim().split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'src/main.ts') throw new Error(`npm start is not "node <options> src/main.ts": ${script}`);
  return words.slice(1, -1);
}
/** Days the corpus also has, saved as their own API files: every paper on them gains an appearance. */
const NEW_DAYS = ['2025-12-10', '2025-12-09'];

if (process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]!);
} else if (process.argv[2] === '--new-day') {
  process.stdout.write(JSON.stringify(await newDayToSearch(process.argv[3]!, process.argv[4]!)));
} else {
  await main(process.argv.slice(2).map(Number));
}

/** A fresh process, as `npm start` would be: time from process start to the first search answer. */
async function child(digestsDir: string, dataDir: string): Promise<void> {
  const t0 = performance.now(); // ms since this process started, so module loading counts too
  const { library, ingester } = await openLibrary({ DIGESTS_DIR: digestsDir, DATA_DIR: dataDir, DIGEST_YEAR: undefined }, systemClock, silentLogger, { background: true });
  const loaded = performance.now();
  const hits = library.current().search(QUERY, { limit: 10 });
  const answered = performance.now();
  // What a user may ask next, still before the background load: a hit in full, and trending.
  const shown = library.current().get(hits.at(-1)!.paper.id);
  const firstShowMs = Math.round(performance.now() - answered);
  const t = performance.now();
  const trending = library.current().trending('week', isoDay(new Date()), 5);
  const firstTrendingMs = Math.round(performance.now() - t);
  if (!shown || trending.hits.length === 0) throw new Error('show or trending found nothing');
  const rssMB = Math.round(process.memoryUsage().rss / 1e6);
  process.stdout.write(
    JSON.stringify({
      source: ingester.state().source,
      bootMs: Math.round(t0),
      loadMs: Math.round(loaded - t0),
      firstSearchMs: Math.round(answered - loaded),
      startToAnswerMs: Math.round(answered),
      hits: hits.length,
      firstShowMs,
      firstTrendingMs,
      rssMB,
    }),
  );
  process.exit(0);
}

async function main(sizes: number[]): Promise<void> {
  const loadAtStart = loadavg();
  const real = await loadRealCorpus();
  const results = [];
  let targets: Targets | undefined;
  for (const n of sizes.length > 0 ? sizes : [real.length, 100_000]) {
    const tmp = await mkdtemp(join(tmpdir(), `paperbot-bench-${n}-`));
    const digests = join(tmp, 'digests');
    const data = join(tmp, 'data');
    try {
      const papers = n <= real.length ? real.slice(0, n) : syntheticCorpus(real, n);
      await writeCorpus(digests, papers);

      let t = performance.now();
      const folder = new DigestFolder(digests, { parseOptions: () => ({ today: '2026-12-31' }) });
      await folder.sync();
      const parsed = folder.papers();
      const parseMs = performance.now() - t;

      t = performance.now();
      const index = PaperIndex.build(
        parsed,
        folder.digests().map((d) => d.date),
      );
      const buildMs = performance.now() - t;
      const heapMB = Math.round(process.memoryUsage().heapUsed / 1e6);

      // The snapshot exactly as the bot writes it (fingerprint and all), via one cold start.
      t = performance.now();
      await openLibrary({ DIGESTS_DIR: digests, DATA_DIR: data, DIGEST_YEAR: undefined }, systemClock, silentLogger, { background: true });
      const coldStartMs = performance.now() - t;
      t = performance.now();
      await saveSnapshot(join(tmp, 'again.jsonl'), index.save(), { fingerprint: '', inputs: {}, root: '', folder: '', lastIngestAt: '', files: [], digests: [], issues: [] }, new Date());
      const saveMs = performance.now() - t;
      const snapshotBytes = (await stat(snapshotPath(data))).size;

      // Start-up times move with the machine's load: three fresh processes each, the median reported.
      const starts = [0, 1, 2].map(() =>
        JSON.parse(execFileSync(process.execPath, [...NODE_FLAGS, join(REPO_ROOT, 'bench', 'ingest.ts'), '--child', digests, data], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1e6 })),
      );
      const warm = { ...median(starts, (s) => s.startToAnswerMs), allStartToAnswerMs: starts.map((s) => s.startToAnswerMs) };
      const consoleRuns = [await firstConsoleAnswer(digests, data), await firstConsoleAnswer(digests, data), await firstConsoleAnswer(digests, data)];
      const consoleStart = { ...median(consoleRuns, (run) => run.ms), allMs: consoleRuns.map((run) => run.ms) };
      // In a fresh process too: this one holds a parsed corpus and a built index besides.
      const newDay = JSON.parse(
        execFileSync(process.execPath, [...NODE_FLAGS, join(REPO_ROOT, 'bench', 'ingest.ts'), '--new-day', digests, data], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1e6 }),
      );
      const row = {
        papers: parsed.length,
        parseMs: Math.round(parseMs),
        buildMs: Math.round(buildMs),
        heapAfterBuildMB: heapMB,
        coldStartMs: Math.round(coldStartMs),
        snapshotSaveMs: Math.round(saveMs),
        snapshotMB: +(snapshotBytes / 1e6).toFixed(1),
        fromSnapshot: warm,
        consoleStart,
        newDay,
      };
      results.push(row);
      console.log(JSON.stringify(row));
      if (n === real.length) targets = await printTargets(row);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
  await mkdir(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
  const load = { atStart: loadAtStart.map((l) => +l.toFixed(2)), atEnd: loadavg().map((l) => +l.toFixed(2)) };
  console.log(`load average (1, 5, 15 min): ${load.atStart.join(' ')} at the start, ${load.atEnd.join(' ')} at the end, on ${cpus().length} cores`);
  await writeFile(join(REPO_ROOT, 'bench', 'results', 'ingest.json'), JSON.stringify({ at: new Date().toISOString(), load, targets, results }, null, 2));
}

type Row = { fromSnapshot: { rssMB: number }; consoleStart: ConsoleStart; newDay: NewDay[] };
type Targets = Awaited<ReturnType<typeof printTargets>>;

/**
 * The real corpus against the default engine's goals: start-up and memory of the real entry
 * point, warm query p99 against plain MiniSearch on the same queries (each measured in a fresh
 * process by measure.ts), and the pause of answers while a new day is ingested and swapped in.
 */
async function printTargets(row: Row) {
  const ours = await measureInChild('paperbot', 'real');
  const plain = await measureInChild('minisearch', 'real');
  const targets = {
    startToFirstAnswerMs: row.consoleStart.ms,
    rssAfterStartMB: row.consoleStart.rssMB,
    queryP99Ms: +ours.queryP99Ms.toFixed(2),
    miniSearchDefaultP99Ms: +plain.queryP99Ms.toFixed(2),
    p99Ratio: +(ours.queryP99Ms / plain.queryP99Ms).toFixed(2),
    cpuP99Ms: +ours.queryCpuP99Ms.toFixed(2),
    miniSearchDefaultCpuP99Ms: +plain.queryCpuP99Ms.toFixed(2),
    cpuP99Ratio: +(ours.queryCpuP99Ms / plain.queryCpuP99Ms).toFixed(2),
    longestStallMs: Math.max(...row.newDay.map((d) => d.longestStallMs)),
    peakRefreshRssMB: Math.max(...row.newDay.map((d) => d.peakRssMB)),
  };
  const rows = [
    ['start to first answer (src/main.ts console, node boot included)', `${targets.startToFirstAnswerMs} ms`, '<= 1500 ms'],
    ['RSS after start (src/main.ts, at its first answer)', `${targets.rssAfterStartMB ?? '?'} MB`, '<= 300 MB'],
    ['warm query p99: paperbot / MiniSearch default', `${targets.queryP99Ms} / ${targets.miniSearchDefaultP99Ms} ms = ${targets.p99Ratio}x`, '<= 0.5x'],
    ['  the same in CPU time per query (load-independent)', `${targets.cpuP99Ms} / ${targets.miniSearchDefaultCpuP99Ms} ms = ${targets.cpuP99Ratio}x`, '<= 0.5x'],
    ['longest event-loop stall, new day ingested and swapped in', `${targets.longestStallMs} ms`, '<= 50 ms'],
    ['peak RSS during that refresh (worker included)', `${targets.peakRefreshRssMB} MB`, ''],
  ];
  console.log(`\n${ours.papers} papers, default engine (MiniSearch):`);
  console.log(formatTable(['', 'measured', 'goal'], rows));
  return targets;
}

/**
 * A bot started from the snapshot (as `npm start` would, saving its snapshot as it does), then new API day files written into the folder one after the other:
 * for each, how long until an index where that day's first paper shows the new file's
 * appearance is swapped in (searchable), until the refresh is done (snapshot saved too), and the
 * longest the event loop was blocked meanwhile (how long an answer could have waited). The
 * first day after a snapshot start reads the whole folder; the next finds it parsed already.
 */
async function newDayToSearch(digests: string, data: string): Promise<NewDay[]> {
  const ingester = new DigestIngester({ digestsDir: digests, snapshot: { path: snapshotPath(data), save: true }, clock: systemClock, logger: silentLogger });
  await ingester.startFromSnapshot();
  let swappedAt = 0;
  ingester.library.onSwap(() => (swappedAt = performance.now()));
  const out: NewDay[] = [];
  for (const day of NEW_DAYS) {
    // Raw API days vendored with the tests, so this runs on any corpus folder.
    const file = join(REPO_ROOT, 'test', 'fixtures', 'hf-daily-papers', 'raw', `${day}.json`);
    const id = (JSON.parse(await readFile(file, 'utf8')) as { paper: { id: string } }[])[0]!.paper.id;
    await copyFile(file, join(digests, `${day}.json`));
    const started = performance.now();
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();
    // The worker thread's memory is the process's too.
    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
    await ingester.refresh();
    clearInterval(sampler);
    stalls.disable();
    const seen =
      ingester.library
        .current()
        .get(id)
        ?.digests.some((d) => d.file === `${day}.json`) ?? false;
    out.push({
      day,
      searchableMs: Math.round(swappedAt - started),
      refreshMs: Math.round(performance.now() - started),
      seen,
      longestStallMs: Math.round(stalls.max / 1e6),
      rssMB: Math.round(process.memoryUsage().rss / 1e6),
      peakRssMB: Math.round(peakRss / 1e6),
    });
  }
  for (const day of NEW_DAYS) await rm(join(digests, `${day}.json`));
  return out;
}

interface NewDay {
  day: string;
  searchableMs: number;
  refreshMs: number;
  seen: boolean;
  longestStallMs: number;
  rssMB: number;
  peakRssMB: number;
}

function median<T>(runs: T[], by: (run: T) => number): T {
  return [...runs].sort((a, b) => by(a) - by(b))[Math.floor(runs.length / 2)]!;
}

/** `src/main.ts` as `npm start` runs it (minus npm) until it prints its first answer: how long, and its RSS then. */
function firstConsoleAnswer(digests: string, data: string): Promise<ConsoleStart> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const env = { ...process.env, DIGESTS_DIR: digests, DATA_DIR: data, DISCORD_TOKEN: '', SLACK_BOT_TOKEN: '' };
    const bot = spawn(process.execPath, [...NODE_FLAGS, join(REPO_ROOT, 'src', 'main.ts')], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    const timer = setTimeout(() => {
      bot.kill();
      reject(new Error(`no answer from the console chat within 60 s:\n${out}`));
    }, 60_000);
    bot.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      // The first numbered hit of the answer.
      if (/\n1\. /.test(out)) {
        clearTimeout(timer);
        const ms = Math.round(performance.now() - started);
        resolve({ ms, rssMB: rssOf(bot.pid!) });
        bot.kill();
      }
    });
    bot.stdin.write(`find ${QUERY}\n`);
  });
}

interface ConsoleStart {
  ms: number;
  /** The process's RSS when its first answer was printed (Linux: /proc; undefined elsewhere). */
  rssMB: number | undefined;
}

function rssOf(pid: number): number | undefined {
  try {
    const kB = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kB === undefined ? undefined : Math.round(Number(kB) / 1000);
  } catch {
    return undefined;
  }
}

/** papers.jsonl + days.jsonl, the format of ../shared/data/hf-daily-papers, from Paper records. */
async function writeCorpus(dir: string, papers: readonly Paper[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const lines = papers.map((p) =>
    JSON.stringify({
      id: p.id,
      title: p.title,
      summary: p.abstract,
      authors: p.authors,
      publishedAt: p.published,
      upvotes: p.upvotes,
      numComments: p.numComments,
      organization: p.organization && { name: p.organization.handle, fullname: p.organization.name },
      aiSummary: p.aiSummary,
      aiKeywords: p.keywords,
      githubRepo: p.githubRepo,
      projectPage: p.projectPage,
    }),
  );
  const days = new Map<string, { id: string; rank: number }[]>();
  for (const p of papers) for (const d of p.digests) days.set(d.date, [...(days.get(d.date) ?? []), { id: p.id, rank: d.rank }]);
  const dayLines = [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, list]) => JSON.stringify({ date, papers: list.sort((a, b) => a.rank - b.rank).map(({ id }) => ({ id })) }));
  await writeFile(join(dir, 'papers.jsonl'), lines.join('\n') + '\n');
  await writeFile(join(dir, 'days.jsonl'), dayLines.join('\n') + '\n');
}
