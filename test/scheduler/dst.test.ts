import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { PaperLibrary } from '../../src/index/library.js';
import type { Paper } from '../../src/model/paper.js';
import { DAILY } from '../../src/store/postLedger.js';
import { Store } from '../../src/store/store.js';
import { loadSeeds } from '../helpers/seeds.js';
import { FakeDelivery, indexWith, listedOn, scheduler, tempDataDir, textOf } from './harness.js';

const channel = { platform: 'console' as const, workspaceId: '', channelId: 'console' };
const STEP = 30 * 60_000; // every slot in these zones falls on a half hour

let seeds: Paper[];
beforeAll(async () => {
  seeds = (await loadSeeds()).papers;
});
let temp: ReturnType<typeof tempDataDir>;
afterEach(() => temp.cleanup());

/** Real seed papers re-listed in a digest on each day, so every day has new papers to post. */
function libraryWithDigests(days: string[]): PaperLibrary {
  const extra = days.flatMap((day, i) => listedOn(seeds.slice(i * 5, i * 5 + 5), day));
  return new PaperLibrary(indexWith(seeds, extra));
}

/** Ticks every 30 minutes through [from, to) and returns when each post went out. */
async function runThrough(from: string, to: string, days: string[]): Promise<{ sentAt: Map<string, string>; posts: number; headings: string[] }> {
  temp = tempDataDir();
  const store = Store.open(temp.file);
  const clock = new FixedClock(new Date(from));
  // 02:30 does not exist on the spring-forward night and happens twice on the fall-back night.
  store.subscriptions.upsert({ ...channel, postTime: '02:30', timezone: 'Europe/Berlin', topN: 2 }, new Date(from));
  const delivery = new FakeDelivery();
  const s = scheduler(store, libraryWithDigests(days), clock, [delivery]);
  while (clock.now() < new Date(to)) {
    await s.tick();
    clock.advance(STEP);
  }
  const sentAt = new Map(days.map((d) => [d, store.posts.get(channel, DAILY, d)?.sentAt?.toISOString() ?? 'none']));
  store.close();
  return { sentAt, posts: delivery.posts.length, headings: delivery.posts.map((p) => textOf(p.reply).split('\n')[0]!) };
}

describe('daylight saving time in Europe/Berlin', () => {
  it('spring forward: the missing 02:30 posts at 03:00 CEST, one post a day', async () => {
    const days = ['2026-03-28', '2026-03-29', '2026-03-30'];
    const { sentAt, posts, headings } = await runThrough('2026-03-27T23:00:00Z', '2026-03-31T00:00:00Z', days);
    expect(posts).toBe(3);
    expect(headings).toEqual(['Trending papers of Mar 28, 2026', 'Trending papers of Mar 29, 2026', 'Trending papers of Mar 30, 2026']);
    expect(sentAt.get('2026-03-28')).toBe('2026-03-28T01:30:00.000Z'); // 02:30 CET
    expect(sentAt.get('2026-03-29')).toBe('2026-03-29T01:00:00.000Z'); // 03:00 CEST, the first minute after the gap
    expect(sentAt.get('2026-03-30')).toBe('2026-03-30T00:30:00.000Z'); // 02:30 CEST
  });

  it('fall back: 02:30 happens twice, the channel still gets one post that day', async () => {
    const days = ['2026-10-24', '2026-10-25', '2026-10-26'];
    const { sentAt, posts } = await runThrough('2026-10-23T22:00:00Z', '2026-10-27T00:00:00Z', days);
    expect(posts).toBe(3);
    expect(sentAt.get('2026-10-24')).toBe('2026-10-24T00:30:00.000Z'); // 02:30 CEST
    expect(sentAt.get('2026-10-25')).toBe('2026-10-25T00:30:00.000Z'); // the first 02:30; the second (01:30Z) sends nothing
    expect(sentAt.get('2026-10-26')).toBe('2026-10-26T01:30:00.000Z'); // 02:30 CET
  });
});
