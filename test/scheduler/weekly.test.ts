import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { PaperLibrary } from '../../src/index/library.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import { DeliveryError } from '../../src/model/delivery.js';
import type { Paper } from '../../src/model/paper.js';
import type { Reply } from '../../src/model/reply.js';
import { WEEKLY } from '../../src/store/weeklyRepo.js';
import type { Store } from '../../src/store/store.js';
import { daysBetween } from '../../src/time/days.js';
import { cardIds, FakeDelivery, scheduler, textOf, useTempStores } from './harness.js';

const channel = { platform: 'console' as const, workspaceId: '', channelId: 'console' };

function paper(id: string, upvotes: number, dates: string[], title = `Paper ${id}`): Paper {
  return { id, arxivId: id, title, abstract: `${title}. We study it.`, authors: ['A. Author'], upvotes, digests: dates.map((date, i) => ({ date, file: `${date}.json`, rank: i + 1 })) };
}

/** One paper per digest day from `from` to `until`, upvotes rising with the day, plus `extra`. */
function days(from: string, until: string, extra: Paper[] = []): PaperIndex {
  const daily = daysBetween(from, until).map((d, i) => paper(`2611.0${d.slice(5, 7)}${d.slice(8)}`, 10 + i, [d]));
  return PaperIndex.build([...daily, ...extra]);
}

function subscribeWeekly(store: Store, at: Date, topN = 3) {
  store.weekly.upsert({ ...channel, weekday: 1, postTime: '09:00', timezone: 'Europe/Berlin', topN }, at);
}

const textLines = (reply: Reply) => textOf(reply).split('\n');

const { open } = useTempStores();

describe('weekly digest', () => {
  it('posts once at Monday 09:00 Berlin the top papers by upvotes of the last seven digest days', async () => {
    const clock = new FixedClock(new Date('2026-11-29T12:00:00Z'));
    const store = open();
    subscribeWeekly(store, clock.now());
    const old = paper('2610.00001', 900, ['2026-11-10'], 'An old favourite');
    const library = new PaperLibrary(days('2026-11-20', '2026-11-29', [old]));
    const delivery = new FakeDelivery('console', clock);
    const s = scheduler(store, library, clock, [delivery]);

    clock.set(new Date('2026-11-30T07:59:00Z'));
    await s.tick();
    expect(delivery.posts).toHaveLength(0);
    clock.set(new Date('2026-11-30T08:00:00Z'));
    await s.tick();
    clock.advance(60_000);
    await s.tick();

    expect(delivery.posts).toHaveLength(1);
    const post = delivery.posts[0]!.reply;
    expect(textLines(post)[0]).toBe('Best papers of the week: Nov 23, 2026 – Nov 29, 2026');
    // The last seven digest days are Nov 23-29; their papers' upvotes rise with the day.
    expect(cardIds(post)).toEqual(['2611.01129', '2611.01128', '2611.01127']);
    expect(textOf(post)).not.toContain('An old favourite');
    expect(textOf(post)).not.toContain('Late:');
    expect(store.posts.get(channel, WEEKLY, '2026-W49')).toMatchObject({ status: 'sent', digestDate: '2026-11-29' });
  });

  it('follows Berlin time across both DST changes: 08:00 UTC in winter, 07:00 UTC in summer', async () => {
    const clock = new FixedClock(new Date('2027-03-20T12:00:00Z'));
    const store = open();
    subscribeWeekly(store, clock.now());
    const library = new PaperLibrary(days('2027-03-15', '2027-03-21'));
    const delivery = new FakeDelivery('console', clock);
    const s = scheduler(store, library, clock, [delivery]);
    const postsAt = async (before: string, at: string) => {
      clock.set(new Date(before));
      await s.tick();
      const count = delivery.posts.length;
      clock.set(new Date(at));
      await s.tick();
      return [count, delivery.posts.length];
    };
    expect(await postsAt('2027-03-22T07:59:00Z', '2027-03-22T08:00:00Z')).toEqual([0, 1]); // CET
    library.swap(days('2027-03-15', '2027-03-28'));
    expect(await postsAt('2027-03-29T06:59:00Z', '2027-03-29T07:00:00Z')).toEqual([1, 2]); // CEST, the day after the change
    library.swap(days('2027-03-15', '2027-10-31'));
    subscribeWeekly(store, new Date('2027-10-31T12:00:00Z')); // changed that Sunday: the missed October weeks do not post
    expect(await postsAt('2027-11-01T07:59:00Z', '2027-11-01T08:00:00Z')).toEqual([2, 3]); // CET again
    expect(delivery.posts.map((p) => p.at.toISOString())).toEqual(['2027-03-22T08:00:00.000Z', '2027-03-29T07:00:00.000Z', '2027-11-01T08:00:00.000Z']);
  });

  it('after weeks of downtime posts only the latest missed week, once, marked late; a restart posts nothing more', async () => {
    const clock = new FixedClock(new Date('2026-11-29T12:00:00Z'));
    let store = open();
    subscribeWeekly(store, clock.now());
    const library = new PaperLibrary(days('2026-11-20', '2026-11-29'));
    const delivery = new FakeDelivery('console', clock);
    clock.set(new Date('2026-11-30T08:00:00Z'));
    await scheduler(store, library, clock, [delivery]).tick();
    expect(delivery.posts).toHaveLength(1);

    // Down from Nov 30 to Wednesday Dec 23 while three weeks of digests arrived.
    store.close();
    store = open();
    library.swap(days('2026-11-20', '2026-12-20'));
    clock.set(new Date('2026-12-23T10:00:00Z'));
    const s = scheduler(store, library, clock, [delivery]);
    await s.tick();
    await s.tick();
    expect(delivery.posts).toHaveLength(2);
    const late = delivery.posts[1]!.reply;
    expect(textLines(late)[1]).toBe('Late: this weekly digest was due Mon, Dec 21, 09:00 GMT+1.');
    expect(cardIds(late)[0]).toBe('2611.01220');
    expect(store.posts.get(channel, WEEKLY, '2026-W50')).toBeUndefined();
    expect(store.posts.get(channel, WEEKLY, '2026-W51')).toBeUndefined();
    expect(store.posts.get(channel, WEEKLY, '2026-W52')).toMatchObject({ status: 'sent', late: true });

    store.close();
    store = open();
    clock.advance(3_600_000);
    await scheduler(store, library, clock, [delivery]).tick();
    expect(delivery.posts).toHaveLength(2);
  });

  it('lists late bloomers from the upvotes recorded each day the library changed', async () => {
    const clock = new FixedClock(new Date('2026-11-24T12:00:00Z'));
    const store = open();
    subscribeWeekly(store, clock.now(), 1);
    const papersWith = (x: number, y: number, z: number) =>
      PaperIndex.build([
        paper('2611.00010', x, ['2026-11-24'], 'Slow starter'),
        paper('2611.00020', y, ['2026-11-24'], 'Steady one'),
        paper('2611.00030', z, ['2026-11-25'], 'Big hit'),
        paper('2611.00040', 3, ['2026-11-25'], 'Never grew'),
      ]);
    const library = new PaperLibrary(papersWith(5, 40, 500));
    const delivery = new FakeDelivery('console', clock);
    const s = scheduler(store, library, clock, [delivery]);
    await s.tick();
    clock.set(new Date('2026-11-27T12:00:00Z'));
    library.swap(papersWith(65, 45, 510));
    await s.tick();
    expect(delivery.posts).toHaveLength(0);

    clock.set(new Date('2026-11-30T08:00:00Z'));
    await s.tick();
    expect(delivery.posts).toHaveLength(1);
    const post = delivery.posts[0]!.reply;
    expect(cardIds(post)).toEqual(['2611.00030']);
    const lines = textLines(post);
    const bloomers = lines.slice(lines.indexOf('Late bloomers') + 2);
    expect(bloomers).toEqual([
      '• Slow starter: +60 upvotes since Nov 24, 2026 (5 → 65) https://huggingface.co/papers/2611.00010',
      '• Steady one: +5 upvotes since Nov 24, 2026 (40 → 45) https://huggingface.co/papers/2611.00020',
    ]);
  });

  it('shows a paper the channel’s weekly had before as a back-again line; the daily post does not count', async () => {
    const clock = new FixedClock(new Date('2026-11-22T12:00:00Z'));
    const store = open();
    store.subscriptions.upsert({ ...channel, postTime: '09:00', timezone: 'Europe/Berlin', topN: 3 }, clock.now());
    const star = (dates: string[]) => paper('2611.99999', 800, dates, 'The paper everyone reads');
    const library = new PaperLibrary(days('2026-11-20', '2026-11-29', [star(['2026-11-23'])]));
    const delivery = new FakeDelivery('console', clock);
    const s = scheduler(store, library, clock, [delivery]);
    clock.set(new Date('2026-11-23T08:00:00Z'));
    await s.tick(); // the daily post carries it
    expect(cardIds(delivery.posts[0]!.reply)).toContain('2611.99999');
    subscribeWeekly(store, clock.now());
    clock.set(new Date('2026-11-30T08:00:00Z'));
    await s.tick(); // its first weekly: in full
    const firstWeekly = delivery.posts.at(-1)!;
    expect(textLines(firstWeekly.reply)[0]).toMatch(/^Best papers of the week/);
    expect(cardIds(firstWeekly.reply)[0]).toBe('2611.99999');

    library.swap(days('2026-11-20', '2026-12-06', [star(['2026-11-23', '2026-12-04'])]));
    clock.set(new Date('2026-12-07T08:00:00Z'));
    await s.tick();
    const secondWeekly = delivery.posts.at(-1)!.reply;
    expect(textLines(secondWeekly)[0]).toMatch(/^Best papers of the week: Nov 30, 2026 – Dec 6, 2026/);
    expect(cardIds(secondWeekly)).not.toContain('2611.99999');
    expect(textOf(secondWeekly)).toContain('Back again: “The paper everyone reads”, posted here Nov 30, 2026');
  });

  it('an answer lost after the weekly reached the channel: found under its key on the retry, never posted twice', async () => {
    const clock = new FixedClock(new Date('2026-11-29T12:00:00Z'));
    const store = open();
    subscribeWeekly(store, clock.now());
    const library = new PaperLibrary(days('2026-11-20', '2026-11-29'));
    const delivery = new FakeDelivery('console', clock);
    delivery.failAfterPost.push(new DeliveryError('transient', 'connection reset'));
    const s = scheduler(store, library, clock, [delivery], { retry: { maxAttempts: 5, firstDelayMs: 60_000, maxDelayMs: 60_000 } });
    clock.set(new Date('2026-11-30T08:00:00Z'));
    await s.tick();
    expect(store.posts.get(channel, WEEKLY, '2026-W49')?.status).toBe('retry');
    clock.advance(61_000);
    await s.tick();
    clock.advance(61_000);
    await s.tick();
    expect(delivery.posts).toHaveLength(1);
    expect(store.posts.get(channel, WEEKLY, '2026-W49')).toMatchObject({ status: 'sent', messageId: delivery.posts[0]!.messageId });
    expect(store.delivered.earlier(channel, 'weekly', { paperId: '2611.01129', title: 'Paper 2611.01129', identities: ['arxiv:2611.01129'] })?.postKey).toBe(delivery.posts[0]!.key);
  });
});
