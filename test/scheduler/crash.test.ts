import { beforeAll, describe, expect, it, vi } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { PaperLibrary } from '../../src/index/library.js';
import type { PaperIndex } from '../../src/index/paperIndex.js';
import { DeliveryError } from '../../src/model/delivery.js';
import type { Paper } from '../../src/model/paper.js';
import { dailyPostKey } from '../../src/scheduler/postKeys.js';
import type { Scheduler } from '../../src/scheduler/scheduler.js';
import { DAILY } from '../../src/store/postLedger.js';
import type { Store } from '../../src/store/store.js';
import { loadSeeds } from '../helpers/seeds.js';
import { captureLogger, FakeDelivery, indexWith, listedOn, scheduler, textOf, useTempStores } from './harness.js';

/**
 * Each window a process can die in, on a real SQLite file with the injected clock: the dead
 * process's scheduler is left hanging for good (nothing after the crash point runs), the restart
 * is a new connection and instance. What counts is what the channel shows: posts per channel
 * per day (by key) and each summary reply once.
 */
const channel = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1' };
const DAY = '2026-11-23';
const NINE = new Date(`${DAY}T09:00:00Z`);
const LEASE = 5 * 60_000;

let seeds: Paper[];
let withDay: PaperIndex;
let beforeDay: PaperIndex;
beforeAll(async () => {
  seeds = (await loadSeeds()).papers;
  beforeDay = indexWith(seeds, listedOn(seeds.slice(0, 4), '2026-11-20'));
  withDay = indexWith(seeds, [...listedOn(seeds.slice(0, 4), '2026-11-20'), ...listedOn(seeds.slice(10, 14), DAY)]);
});
const { open } = useTempStores();

function subscribe(store: Store): void {
  store.subscriptions.upsert({ ...channel, postTime: '09:00', timezone: 'UTC', topN: 3 }, new Date('2026-11-01T00:00:00Z'));
}

/** A process that stops for good at the point its delivery never answers. */
function dies(store: Store, library: PaperLibrary, clock: FixedClock, delivery: FakeDelivery): void {
  void scheduler(store, library, clock, [delivery], { instanceId: `dead-${Math.random()}` }).tick();
}

function restart(library: PaperLibrary, clock: FixedClock, delivery: FakeDelivery, extra = {}): { store: Store; s: Scheduler } {
  const store = open();
  return { store, s: scheduler(store, library, clock, [delivery], { instanceId: `up-${Math.random()}`, ...extra }) };
}

const postsOfDay = (delivery: FakeDelivery, day = DAY) => delivery.countByKey().get(dailyPostKey(channel, day)) ?? 0;
const postOfDay = (delivery: FakeDelivery, day = DAY) => textOf(delivery.posts.find((p) => p.key === dailyPostKey(channel, day))!.reply);

function expectWholeThread(delivery: FakeDelivery, day = DAY): void {
  const parent = delivery.posts.find((p) => p.key === dailyPostKey(channel, day))!;
  const replies = delivery.repliesUnder(parent.messageId);
  expect(replies.map((r) => r.key)).toEqual([0, 1, 2].map((i) => `${dailyPostKey(channel, day)}t#${i}`));
  expect(replies.map((r) => textOf(r.reply).split('\n')[0])).toEqual(cardTitles(parent.reply).map((t) => `TL;DR: ${t}`));
}

function cardTitles(reply: FakeDelivery['posts'][number]['reply']): string[] {
  return reply.blocks.flatMap((b) => (b.kind === 'paper' ? [b.card.title] : []));
}

describe('a crash in each window posts the day once, as users see it', () => {
  it('before the claim: the restart posts the day once, marked late', async () => {
    const clock = new FixedClock(new Date(NINE.getTime() - 60_000));
    const first = open();
    subscribe(first);
    const library = new PaperLibrary(withDay);
    const delivery = new FakeDelivery('slack', clock);
    await scheduler(first, library, clock, [delivery]).tick(); // 08:59: nothing due; then the process dies
    first.close();

    clock.set(new Date(NINE.getTime() + 40 * 60_000));
    const { s } = restart(library, clock, delivery);
    await s.tick();
    await s.tick();
    expect(postsOfDay(delivery)).toBe(1);
    expect(postOfDay(delivery)).toMatch(/Late: this post was due Mon, Nov 23, 09:00 UTC/);
    expectWholeThread(delivery);
  });

  it('after the claim, before the send: the channel is asked after the lease, then the post goes out once', async () => {
    const clock = new FixedClock(NINE);
    const store = open();
    subscribe(store);
    const library = new PaperLibrary(withDay);
    const delivery = new FakeDelivery('slack', clock);
    const dead = new FakeDelivery('slack', clock);
    dead.post = () => new Promise<never>(() => {});
    dies(store, library, clock, dead);
    await vi.waitFor(() => expect(store.posts.get(channel, DAILY, DAY)?.status).toBe('claimed'));

    const { logger, lines } = captureLogger();
    const { s } = restart(library, clock, delivery, { logger });
    clock.advance(LEASE / 2);
    await s.tick();
    expect(postsOfDay(delivery)).toBe(0); // the claim may be live: no second sender yet
    clock.advance(LEASE);
    await s.tick();
    await s.tick();
    expect(postsOfDay(delivery)).toBe(1);
    expectWholeThread(delivery);
    expect(lines.map((l) => l.msg)).toContain('daily post unconfirmed: its sender stopped before confirming; the channel is asked before it is sent again');
  });

  it('after the send, before the confirmation: the restart finds the post by its key and does not post it again', async () => {
    const clock = new FixedClock(NINE);
    const store = open();
    subscribe(store);
    const library = new PaperLibrary(withDay);
    const delivery = new FakeDelivery('slack', clock);
    delivery.onPost = () => new Promise<never>(() => {}); // the platform has it; the answer never comes back
    dies(store, library, clock, delivery);
    await vi.waitFor(() => expect(delivery.posts).toHaveLength(1));
    delivery.onPost = undefined;

    clock.advance(LEASE + 60_000);
    const { logger, lines } = captureLogger();
    const { store: again, s } = restart(library, clock, delivery, { logger });
    await s.tick();
    await s.tick();
    clock.advance(24 * 3600_000); // and the next day: nothing new, nothing posted
    await s.tick();
    expect(postsOfDay(delivery)).toBe(1);
    expect(delivery.posts).toHaveLength(1);
    expect(again.posts.get(channel, DAILY, DAY)).toMatchObject({ status: 'sent', messageId: delivery.posts[0]!.messageId, threadStatus: 'done' });
    expectWholeThread(delivery);
    expect(lines.map((l) => l.msg)).toContain('daily post found in the channel under its key: recorded as sent, not posted again');
  });

  it("after the send, with the host clock a day ahead of the platform's (a skipped day): the post is still found, not posted again", async () => {
    const clock = new FixedClock(NINE);
    const store = open();
    subscribe(store);
    const library = new PaperLibrary(withDay);
    // The platform stamps messages with its own, correct clock: 25 hours behind the bot's.
    const delivery = new FakeDelivery('slack', { now: () => new Date(clock.now().getTime() - 25 * 3600_000) });
    delivery.onPost = () => new Promise<never>(() => {});
    dies(store, library, clock, delivery);
    await vi.waitFor(() => expect(delivery.posts).toHaveLength(1));
    delivery.onPost = undefined;

    clock.advance(LEASE + 60_000);
    const { s } = restart(library, clock, delivery);
    await s.tick();
    await s.tick();
    expect(postsOfDay(delivery)).toBe(1);
  });

  it('during the thread: the restart completes the thread, each summary once', async () => {
    const clock = new FixedClock(NINE);
    const store = open();
    subscribe(store);
    const library = new PaperLibrary(withDay);
    const delivery = new FakeDelivery('slack', clock);
    delivery.onThreadReply = (i) => (i === 2 ? new Promise<never>(() => {}) : Promise.resolve());
    dies(store, library, clock, delivery);
    await vi.waitFor(() => expect(delivery.threadReplies).toHaveLength(2));
    delivery.onThreadReply = undefined;
    expect(store.posts.get(channel, DAILY, DAY)).toMatchObject({ status: 'sent', threadStatus: 'pending' });

    clock.advance(LEASE + 60_000);
    const { logger, lines } = captureLogger();
    const { store: again, s } = restart(library, clock, delivery, { logger });
    await s.tick();
    await s.tick();
    expect(postsOfDay(delivery)).toBe(1);
    expectWholeThread(delivery);
    expect(again.posts.get(channel, DAILY, DAY)?.threadStatus).toBe('done');
    expect(lines.map((l) => l.msg)).toContain('summary thread completed after an interruption');
  });

  it('during catch-up: down over the slot while the day’s digest arrived, killed after the late send; the day is posted once, late, with the new digest', async () => {
    const clock = new FixedClock(new Date(NINE.getTime() - 3600_000));
    const first = open();
    subscribe(first);
    const delivery = new FakeDelivery('slack', clock);
    await scheduler(first, new PaperLibrary(beforeDay), clock, [delivery]).tick();
    first.close();

    // Back at 11:00; the snapshot it starts from predates the day's digest, the rebuild brings it.
    clock.set(new Date(NINE.getTime() + 2 * 3600_000));
    const library = new PaperLibrary(beforeDay);
    let rebuilt: () => void = () => {};
    const rebuild = new Promise<void>((resolve) => (rebuilt = resolve));
    const store = open();
    delivery.onPost = () => new Promise<never>(() => {}); // killed right after the late post reached the channel
    const s = scheduler(store, library, clock, [delivery], { instanceId: 'catching-up', indexCurrent: () => rebuild });
    s.start(3600_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(store.posts.get(channel, DAILY, DAY)).toBeUndefined(); // nothing judged on the stale snapshot
    library.swap(withDay);
    rebuilt();
    await vi.waitFor(() => expect(postsOfDay(delivery)).toBe(1));
    delivery.onPost = undefined;

    clock.advance(LEASE + 60_000);
    const { s: third } = restart(library, clock, delivery);
    await third.tick();
    await third.tick();
    expect(postsOfDay(delivery)).toBe(1);
    const post = postOfDay(delivery);
    expect(post).toMatch(/^Trending papers of Nov 23, 2026/);
    expect(post).toMatch(/Late: this post was due Mon, Nov 23, 09:00 UTC/);
    expectWholeThread(delivery);
  });
});

describe('ambiguous failures', () => {
  it('a post the platform took but answered with an error is found by its key, not posted again', async () => {
    const clock = new FixedClock(NINE);
    const store = open();
    subscribe(store);
    const delivery = new FakeDelivery('slack', clock);
    delivery.failAfterPost.push(new DeliveryError('transient', '503 Service Unavailable'));
    const s = scheduler(store, new PaperLibrary(withDay), clock, [delivery]);
    await s.tick();
    expect(store.posts.get(channel, DAILY, DAY)?.status).toBe('retry');
    clock.advance(2 * 60_000);
    await s.tick();
    expect(postsOfDay(delivery)).toBe(1);
    expect(store.posts.get(channel, DAILY, DAY)).toMatchObject({ status: 'sent', messageId: delivery.posts[0]!.messageId });
    expectWholeThread(delivery);
  });

  it('a failed lookup is a failed attempt: nothing is posted until the channel can be asked', async () => {
    const clock = new FixedClock(NINE);
    const store = open();
    subscribe(store);
    const delivery = new FakeDelivery('slack', clock);
    delivery.failAfterPost.push(new DeliveryError('transient', 'socket hang up'));
    delivery.failFind.push(new DeliveryError('transient', 'conversations.history: 502'));
    const s = scheduler(store, new PaperLibrary(withDay), clock, [delivery]);
    await s.tick();
    clock.advance(2 * 60_000);
    await s.tick(); // the lookup fails: no blind resend
    expect(delivery.posts).toHaveLength(1);
    clock.advance(3 * 60_000);
    await s.tick();
    expect(postsOfDay(delivery)).toBe(1);
    expect(store.posts.get(channel, DAILY, DAY)?.status).toBe('sent');
  });

  it('an earlier day left unknown is looked up before the next day decides: found, so the next day stays silent', async () => {
    const clock = new FixedClock(NINE);
    const store = open();
    subscribe(store);
    const delivery = new FakeDelivery('slack', clock);
    delivery.failAfterPost.push(new DeliveryError('transient', '503'));
    const library = new PaperLibrary(withDay);
    await scheduler(store, library, clock, [delivery]).tick();
    store.close();

    clock.set(new Date('2026-11-24T09:00:00Z'));
    const { store: again, s } = restart(library, clock, delivery);
    await s.tick();
    expect(delivery.posts).toHaveLength(1);
    expect(again.posts.get(channel, DAILY, DAY)?.status).toBe('sent');
    expect(again.posts.get(channel, DAILY, '2026-11-24')?.status).toBe('empty');
  });

  it('an earlier day that never reached the channel: the next day posts its digest instead', async () => {
    const clock = new FixedClock(NINE);
    const store = open();
    subscribe(store);
    const delivery = new FakeDelivery('slack', clock);
    delivery.fail.push(new DeliveryError('transient', 'ECONNRESET'));
    const library = new PaperLibrary(withDay);
    await scheduler(store, library, clock, [delivery]).tick();
    store.close();

    clock.set(new Date('2026-11-24T09:00:00Z'));
    const { store: again, s } = restart(library, clock, delivery);
    await s.tick();
    expect(delivery.posts.map((p) => p.key)).toEqual([dailyPostKey(channel, '2026-11-24')]);
    expect(textOf(delivery.posts[0]!.reply)).toMatch(/^Trending papers of Nov 23, 2026/);
    expect(again.posts.get(channel, DAILY, DAY)).toMatchObject({ status: 'failed', error: 'not in the channel; superseded by 2026-11-24' });
  });
});

describe('a day judged before the index was current stays open', () => {
  it('a digest that reaches the index after the day was judged empty is posted that day, marked late', async () => {
    const clock = new FixedClock(new Date('2026-11-22T09:00:00Z'));
    const store = open();
    subscribe(store);
    const library = new PaperLibrary(beforeDay);
    const delivery = new FakeDelivery('slack', clock);
    const s = scheduler(store, library, clock, [delivery]);
    await s.tick(); // Nov 22: the Nov 20 digest
    clock.set(NINE);
    await s.tick(); // Nov 23 09:00: no newer digest yet (the start-up fetch is still running)
    expect(store.posts.get(channel, DAILY, DAY)?.status).toBe('empty');
    clock.advance(30 * 60_000);
    library.swap(withDay);
    await s.tick();
    expect(postsOfDay(delivery)).toBe(1);
    expect(postOfDay(delivery)).toMatch(/^Trending papers of Nov 23, 2026\nLate: this post was due Mon, Nov 23, 09:00 UTC/);
    await s.tick();
    expect(postsOfDay(delivery)).toBe(1);
  });

  it('start waits for the index to be current before its first tick', async () => {
    const clock = new FixedClock(new Date(NINE.getTime() + 3600_000));
    const store = open();
    subscribe(store);
    const library = new PaperLibrary(beforeDay);
    const delivery = new FakeDelivery('slack', clock);
    let current: () => void = () => {};
    const { logger, lines } = captureLogger();
    const s = scheduler(store, library, clock, [delivery], { logger, indexCurrent: () => new Promise<void>((resolve) => (current = resolve)) });
    s.start(3600_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(store.posts.get(channel, DAILY, DAY)).toBeUndefined();
    library.swap(withDay);
    current();
    await vi.waitFor(() => expect(postsOfDay(delivery)).toBe(1));
    await s.stop();
    expect(store.posts.get(channel, DAILY, DAY)).toMatchObject({ status: 'sent', late: true, digestDate: DAY });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['scheduler waiting for the index to be current', 'index current: scheduler started', 'daily post sent late']));
  });
});

describe('stopping', () => {
  it('a stop while waiting for the index returns at once and nothing is judged after it', async () => {
    const clock = new FixedClock(new Date(NINE.getTime() + 3600_000));
    const store = open();
    subscribe(store);
    const delivery = new FakeDelivery('slack', clock);
    let current: () => void = () => {};
    const s = scheduler(store, new PaperLibrary(withDay), clock, [delivery], { indexCurrent: () => new Promise<void>((resolve) => (current = resolve)) });
    s.start(3600_000);
    await s.stop();
    current();
    await new Promise((r) => setTimeout(r, 20));
    expect(store.posts.get(channel, DAILY, DAY)).toBeUndefined();
    expect(delivery.posts).toHaveLength(0);
  });
});
