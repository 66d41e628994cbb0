/**
 * `npx tsx bench/schedulerWalks.ts <index.sqlite> <walk> [store.sqlite]`: one of the scheduler's
 * per-index questions over a saved SQLite index file, in a fresh process, with its time and the
 * process's peak RSS. Walks: weekly (the weekly digest's picks and late bloomers), upvotes (the
 * day's upvote record), taste (a channel's recommendations), judge (recording the library as
 * known for alerts: a tick with no subscription; pass a store file, kept between runs, to time the
 * first run and then a restart on a library already known).
 */
import { loadavg } from 'node:os';
import pino from 'pino';
import { FixedClock } from '../src/clock.js';
import { PaperLibrary } from '../src/index/library.js';
import { openSqliteIndex } from '../src/index/sqliteIndexFile.js';
import { tastePicks, type TasteSignal } from '../src/index/tastePicks.js';
import { Scheduler } from '../src/scheduler/scheduler.js';
import { WeeklyDigests, type WeeklyOptions } from '../src/scheduler/weekly.js';
import { weeklyPicks } from '../src/scheduler/weeklyPicks.js';
import { Store } from '../src/store/store.js';

const [path, walk, storeFile = ':memory:'] = process.argv.slice(2);
if (!path || !walk) throw new Error('usage: bench/schedulerWalks.ts <index.sqlite> weekly|upvotes|taste|judge [store.sqlite]');
const { index } = openSqliteIndex(path);
const newest = index.digestDates().at(-1)!;
const store = Store.open(storeFile);
const clock = new FixedClock(new Date(`${newest}T12:00:00Z`));
const logger = pino({ level: 'silent' });
const opened = process.resourceUsage().maxRSS;

async function run(): Promise<string> {
  switch (walk) {
    case 'weekly': {
      const picks = weeklyPicks(index, newest, 5, (identity, until) => store.upvotes.series(identity, until));
      return `${picks?.best.length ?? 0} best (${picks?.best.map((p) => p.id).join(' ')}), ${picks?.bloomers.length ?? 0} bloomers`;
    }
    case 'upvotes': {
      // Recording upvotes uses the store and the clock only.
      const weekly = new WeeklyDigests({ store, clock, logger } as unknown as WeeklyOptions);
      weekly.recordUpvotes(index);
      return 'recorded';
    }
    case 'taste': {
      const liked = index.search('mixture of experts', { limit: 3 }).map((h) => h.paper);
      const signals: TasteSignal[] = liked.map((p) => ({ paperId: p.id, title: p.title, userId: 'u1', kind: 'like' }));
      const result = tastePicks(index, signals, newest, 5);
      return `${result.picks.length} picks (${result.picks.map((p) => p.paper.id).join(' ')})`;
    }
    case 'judge': {
      const scheduler = new Scheduler({ store, library: new PaperLibrary(index), clock, deliveries: [], logger });
      await scheduler.tick();
      return `baseline ${store.alerts.hasBaseline()}`;
    }
    default:
      throw new Error(`no walk ${walk}`);
  }
}

const started = performance.now();
const what = await run();
const ms = performance.now() - started;
// The process's peak, the walk's transient use included.
const peakMB = process.resourceUsage().maxRSS / 1024;
const openMB = (opened / 1024).toFixed(0);
console.log(
  `${walk} over ${index.size} papers: ${ms.toFixed(0)} ms, peak RSS ${peakMB.toFixed(0)} MB (${openMB} MB once open); ${what}; load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
store.close();
index.close();
