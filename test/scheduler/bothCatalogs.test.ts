import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { PaperLibrary } from '../../src/index/library.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import { openSqliteIndex, writeSqliteIndex } from '../../src/index/sqliteIndexFile.js';
import { sqliteEngine } from '../../src/index/sqliteEngine.js';
import { tastePicks, type TasteSignal } from '../../src/index/tastePicks.js';
import type { Paper } from '../../src/model/paper.js';
import { loadDigests } from '../../src/parser/loadDigests.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { upvoteIdentity, weeklyPicks } from '../../src/scheduler/weeklyPicks.js';
import { Store } from '../../src/store/store.js';
import type { ObservedUpvotes } from '../../src/store/upvoteHistory.js';
import { RAW_DIR, SEEDS_DIR, TODAY } from '../helpers/seeds.js';
import { cardIds, FakeDelivery, tempDataDir } from './harness.js';

/**
 * The scheduler's questions asked of an index file (the SQLite catalog, read as asked for) give
 * what they give in memory: the weekly picks and late bloomers, the upvotes recorded, a
 * channel's recommendations, the papers judged new for alerts.
 */
let tmp: string;
let papers: Paper[];
let inMemory: PaperIndex;
let fromFile: PaperIndex;
let days: string[];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'paperbot-both-catalogs-'));
  const load = await loadDigests([SEEDS_DIR, RAW_DIR], { today: TODAY });
  papers = load.papers;
  const dates = load.digests.map((d) => d.date);
  inMemory = PaperIndex.build(papers, dates, sqliteEngine);
  writeSqliteIndex(join(tmp, 'index.sqlite'), papers, dates, null);
  fromFile = openSqliteIndex(join(tmp, 'index.sqlite')).index;
  days = inMemory.digestDates().slice();
});
afterAll(async () => {
  fromFile.close();
  await rm(tmp, { recursive: true, force: true });
});

/** Upvotes that grew since the year 2000 by a made-up amount per paper, so some papers bloom late and others tie. */
const history = (identity: string, until: string): ObservedUpvotes[] => [
  { day: '2000-01-01', upvotes: 0 },
  { day: until, upvotes: identity.length % 7 },
];

const opened: Array<{ store: Store; cleanup: () => void }> = [];
/** A store of its own (a second library's run must not find the first one's papers known). */
function ownStore(): Store {
  const temp = tempDataDir();
  const store = Store.open(temp.file);
  opened.push({ store, cleanup: temp.cleanup });
  return store;
}
afterEach(() => {
  for (const { store, cleanup } of opened.splice(0)) {
    store.close();
    cleanup();
  }
});

describe('the scheduler over an index file', () => {
  it('picks the week’s best papers and late bloomers as in memory, on every digest day', () => {
    expect(days.length).toBeGreaterThan(3);
    let bloomers = 0;
    for (const day of [...days, '2000-01-01', '2030-01-01']) {
      const picks = weeklyPicks(fromFile, day, 5, history);
      expect(picks, day).toEqual(weeklyPicks(inMemory, day, 5, history));
      bloomers += picks?.bloomers.length ?? 0;
      if (day >= days[0]!) expect(picks?.best.length, day).toBeGreaterThan(0);
    }
    expect(bloomers).toBeGreaterThan(0);
  });

  it('records the same upvotes of the recent papers', async () => {
    const clock = new FixedClock(new Date(`${days.at(-1)}T12:00:00Z`));
    const recorded = async (index: PaperIndex) => {
      const store = ownStore();
      const s = new Scheduler({ store, library: new PaperLibrary(index), clock, deliveries: [new FakeDelivery('console', clock)], logger: pino({ level: 'silent' }) });
      await s.tick();
      await s.stop();
      return papers.map((p) => store.upvotes.series(upvoteIdentity(p), '2100-01-01'));
    };
    const fileSeries = await recorded(fromFile);
    expect(fileSeries.filter((s) => s.length > 0).length).toBeGreaterThan(0);
    expect(fileSeries.filter((s) => s.length === 0).length).toBeGreaterThan(0);
    expect(fileSeries).toEqual(await recorded(inMemory));
  });

  it('recommends the same recent papers to a channel', () => {
    const liked = inMemory.appearingBetween(days.at(-3)!, days.at(-1)!).slice(0, 4);
    expect(liked.length).toBe(4);
    const signals: TasteSignal[] = liked.map(({ paper }, i) => ({ paperId: paper.id, title: paper.title, userId: `u${i}`, kind: i === 3 ? 'dislike' : 'like' }));
    for (const today of [days.at(-1)!, days.at(-5)!]) {
      const picks = tastePicks(fromFile, signals, today, 10);
      expect(picks, today).toEqual(tastePicks(inMemory, signals, today, 10));
      if (today === days.at(-1)) expect(picks.picks.length).toBeGreaterThan(0);
    }
  });

  it('alerts a watch to the same new papers, those of a day file added for an old day among them', async () => {
    const seedsOnly = await loadDigests([SEEDS_DIR], { today: TODAY });
    // An old day (before every seed) and a new one, whose papers are numbered among the known ones.
    const later = await loadDigests([SEEDS_DIR, join(RAW_DIR, '2024-05-27.json'), join(RAW_DIR, '2026-08-21.json')], { today: TODAY });
    const asFile = (name: string, load: typeof later) => {
      writeSqliteIndex(
        join(tmp, name),
        load.papers,
        load.digests.map((d) => d.date),
        null,
      );
      return openSqliteIndex(join(tmp, name)).index;
    };
    const inMemoryOf = (load: typeof later) =>
      PaperIndex.build(
        load.papers,
        load.digests.map((d) => d.date),
        sqliteEngine,
      );
    const alerted = async (before: PaperIndex, after: PaperIndex) => {
      const clock = new FixedClock(new Date(`${TODAY}T12:00:00Z`));
      const store = ownStore();
      const library = new PaperLibrary(before);
      const delivery = new FakeDelivery('console', clock);
      const s = new Scheduler({ store, library, clock, deliveries: [delivery], logger: pino({ level: 'silent' }) });
      await s.tick();
      for (const query of ['video', 'reasoning']) store.watches.add({ platform: 'console', workspaceId: '', channelId: 'console' }, query, 'u1', clock.now());
      library.swap(after);
      await s.tick();
      await s.stop();
      return delivery.posts.map((p) => p.reply);
    };
    const [before, after] = [asFile('before.sqlite', seedsOnly), asFile('after.sqlite', later)];
    try {
      const shown = await alerted(before, after);
      expect(shown.length).toBe(2);
      const oldDay = new Set(later.papers.filter((p) => p.digests.every((d) => d.date === '2024-05-27')).map((p) => p.id));
      expect(shown.some((reply) => cardIds(reply).some((id) => oldDay.has(id)))).toBe(true);
      expect(shown).toEqual(await alerted(inMemoryOf(seedsOnly), inMemoryOf(later)));
    } finally {
      before.close();
      after.close();
    }
  });
});
