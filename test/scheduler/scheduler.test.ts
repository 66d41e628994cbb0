import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { PaperLibrary } from '../../src/index/library.js';
import type { PaperIndex } from '../../src/index/paperIndex.js';
import { DeliveryError } from '../../src/model/delivery.js';
import { DAILY } from '../../src/store/postLedger.js';
import type { Store } from '../../src/store/store.js';
import { seedIndex } from '../helpers/seeds.js';
import { captureLogger, cardIds, FakeDelivery, scheduler, textOf, useTempStores } from './harness.js';

const channel = { platform: 'console' as const, workspaceId: '', channelId: 'console' };
const BERLIN_9 = (day: string) => new Date(`${day}T08:00:00Z`); // 09:00 CET in November

let index: PaperIndex;
let library: PaperLibrary;
beforeAll(async () => {
  index = await seedIndex();
});
beforeEach(() => {
  library = new PaperLibrary(index);
});
const { open } = useTempStores();

function subscribe(store: Store, at: Date, topN = 3) {
  store.subscriptions.upsert({ ...channel, postTime: '09:00', timezone: 'Europe/Berlin', topN, subscribedBy: 'u1' }, at);
}

describe('daily post', () => {
  it('posts the top N of the latest digest once at the channel’s time, with full summaries in a thread', async () => {
    const clock = new FixedClock(new Date('2026-11-23T07:00:00Z'));
    const store = open();
    subscribe(store, clock.now());
    const delivery = new FakeDelivery();
    const s = scheduler(store, library, clock, [delivery]);

    await s.tick();
    expect(delivery.posts).toHaveLength(0);
    clock.set(BERLIN_9('2026-11-23'));
    await s.tick();
    clock.advance(60_000);
    await s.tick();

    expect(delivery.posts).toHaveLength(1);
    const post = delivery.posts[0]!.reply;
    expect(textOf(post)).toMatch(/^Trending papers of Dec 10, 2025/);
    expect(textOf(post)).not.toMatch(/Late/);
    const top = index.trending('day', '2026-11-23', 3).hits.map((h) => h.paper);
    expect(cardIds(post)).toEqual(top.map((p) => p.id));
    for (const block of post.blocks) if (block.kind === 'paper') expect(block.card.links.primary).toMatch(/^https:\/\//);
    expect(delivery.threads).toHaveLength(1);
    expect(delivery.threads[0]!.parent).toBe(delivery.posts[0]!.messageId);
    expect(delivery.threads[0]!.replies.map((r) => textOf(r).split('\n')[0])).toEqual(top.map((p) => `TL;DR: ${p.title}`));
    expect(store.posts.get(channel, DAILY, '2026-11-23')).toMatchObject({ status: 'sent', digestDate: '2025-12-10', messageId: 'm1', late: false });
  });

  it('sends nothing on a day without a new digest (no empty posts)', async () => {
    const clock = new FixedClock(new Date('2026-11-23T07:00:00Z'));
    const store = open();
    subscribe(store, clock.now());
    const delivery = new FakeDelivery();
    const s = scheduler(store, library, clock, [delivery]);
    clock.set(BERLIN_9('2026-11-23'));
    await s.tick();
    clock.set(BERLIN_9('2026-11-24'));
    await s.tick();
    expect(delivery.posts).toHaveLength(1);
    expect(store.posts.get(channel, DAILY, '2026-11-24')?.status).toBe('empty');
  });

  it('sends nothing for a day before any digest', async () => {
    const clock = new FixedClock(new Date('2025-11-01T07:00:00Z'));
    const store = open();
    subscribe(store, clock.now());
    const delivery = new FakeDelivery();
    clock.set(BERLIN_9('2025-11-01'));
    await scheduler(store, library, clock, [delivery]).tick();
    expect(delivery.posts).toHaveLength(0);
  });

  it('does not post for a slot that passed before the channel subscribed', async () => {
    const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
    const store = open();
    subscribe(store, clock.now());
    const delivery = new FakeDelivery();
    await scheduler(store, library, clock, [delivery]).tick();
    expect(delivery.posts).toHaveLength(0);
  });
});

describe('exactly once', () => {
  it('does not post the day again after a restart', async () => {
    const clock = new FixedClock(BERLIN_9('2026-11-23'));
    const first = open();
    subscribe(first, new Date('2026-11-22T00:00:00Z'));
    const delivery = new FakeDelivery();
    await scheduler(first, library, clock, [delivery]).tick();
    first.close();
    clock.advance(5 * 60_000);
    await scheduler(open(), library, clock, [delivery], { instanceId: 'restarted' }).tick();
    expect(delivery.posts).toHaveLength(1);
  });

  it('a crash between claim and send: after the lease the channel is asked, and the post goes out once, marked late', async () => {
    const clock = new FixedClock(BERLIN_9('2026-11-23'));
    const store = open();
    subscribe(store, new Date('2026-11-22T00:00:00Z'));
    const delivery = new FakeDelivery('console', clock);
    // The crashed instance got as far as its claim: its send never reached the channel.
    const dead = new FakeDelivery('console', clock);
    dead.post = () => new Promise<never>(() => {});
    void scheduler(store, library, clock, [dead], { instanceId: 'crashed' }).tick();
    await vi.waitFor(() => expect(store.posts.get(channel, DAILY, '2026-11-23')?.status).toBe('claimed'));

    clock.advance(2 * 60_000);
    const { logger, lines } = captureLogger();
    const restarted = scheduler(open(), library, clock, [delivery], { instanceId: 'restarted', logger });
    await restarted.tick();
    expect(delivery.posts).toHaveLength(0); // the claim may still be live: no second sender

    clock.advance(30 * 60_000);
    await restarted.tick();
    await restarted.tick();
    expect(delivery.posts).toHaveLength(1);
    expect(textOf(delivery.posts[0]!.reply)).toMatch(/Late: this post was due Mon, Nov 23, 09:00/);
    expect(store.posts.get(channel, DAILY, '2026-11-23')).toMatchObject({ status: 'sent', late: true, attempts: 2 });
    expect(lines.some((l) => l.level === 40 && l.msg.startsWith('daily post unconfirmed') && l['day'] === '2026-11-23')).toBe(true);
    expect(lines.some((l) => l.msg === 'daily post sent late' && l['day'] === '2026-11-23')).toBe(true);
  });

  it('a crash after the platform got the post but before it was recorded does not post twice', async () => {
    const clock = new FixedClock(BERLIN_9('2026-11-23'));
    const store = open();
    subscribe(store, new Date('2026-11-22T00:00:00Z'));
    const delivery = new FakeDelivery();
    delivery.onPost = () => new Promise<never>(() => {}); // the process dies while waiting for the answer
    void scheduler(store, library, clock, [delivery], { instanceId: 'dies' }).tick();
    await vi.waitFor(() => expect(delivery.posts).toHaveLength(1));

    delivery.onPost = undefined;
    clock.advance(20 * 60_000);
    await scheduler(open(), library, clock, [delivery], { instanceId: 'restarted' }).tick();
    clock.advance(24 * 3600_000);
    await scheduler(open(), library, clock, [delivery], { instanceId: 'restarted' }).tick();
    expect(delivery.posts).toHaveLength(1);
  });

  it('two schedulers started by mistake on the same database send one post', async () => {
    const clock = new FixedClock(BERLIN_9('2026-11-23'));
    const a = open();
    const b = open();
    subscribe(a, new Date('2026-11-22T00:00:00Z'));
    const da = new FakeDelivery();
    const db = new FakeDelivery();
    await Promise.all([scheduler(a, library, clock, [da], { instanceId: 'a' }).tick(), scheduler(b, library, clock, [db], { instanceId: 'b' }).tick()]);
    expect(da.posts.length + db.posts.length).toBe(1);
  });

  it('after downtime sends only the latest missed day’s post, once, marked late', async () => {
    const clock = new FixedClock(BERLIN_9('2025-12-08'));
    const store = open();
    subscribe(store, new Date('2025-12-07T00:00:00Z'));
    const delivery = new FakeDelivery();
    await scheduler(store, library, clock, [delivery]).tick();
    expect(textOf(delivery.posts[0]!.reply)).toMatch(/Nov 13, 2025/);

    // Down from Dec 8 to Dec 14, 11:00 Berlin: digests of Dec 9 and Dec 10 arrived meanwhile.
    clock.set(new Date('2025-12-14T10:00:00Z'));
    const s = scheduler(open(), library, clock, [delivery], { instanceId: 'back' });
    await s.tick();
    await s.tick();
    expect(delivery.posts).toHaveLength(2);
    const late = textOf(delivery.posts[1]!.reply);
    expect(late).toMatch(/^Trending papers of Dec 10, 2025/);
    expect(late).toMatch(/Late: this post was due Sun, Dec 14, 09:00/);
    expect(store.posts.get(channel, DAILY, '2025-12-14')).toMatchObject({ status: 'sent', late: true });
    for (const day of ['2025-12-09', '2025-12-10', '2025-12-11', '2025-12-12', '2025-12-13']) expect(store.posts.get(channel, DAILY, day)).toBeUndefined();
  });

  it('a clock that jumps back never re-posts an earlier day', async () => {
    const clock = new FixedClock(BERLIN_9('2026-11-14'));
    const store = open();
    subscribe(store, new Date('2026-11-01T00:00:00Z'));
    const delivery = new FakeDelivery();
    const s = scheduler(store, library, clock, [delivery]);
    await s.tick();
    clock.set(BERLIN_9('2026-11-11'));
    await s.tick();
    clock.set(BERLIN_9('2026-11-14'));
    await s.tick();
    expect(delivery.posts).toHaveLength(1);
    expect(store.posts.get(channel, DAILY, '2026-11-11')).toBeUndefined();
  });

  it('leaves a platform’s posts unclaimed while its adapter is not running', async () => {
    const clock = new FixedClock(BERLIN_9('2026-11-23'));
    const store = open();
    const discord = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'c9' };
    store.subscriptions.upsert({ ...discord, postTime: '09:00', timezone: 'Europe/Berlin', topN: 2 }, new Date('2026-11-22T00:00:00Z'));
    await scheduler(store, library, clock, [new FakeDelivery('console')]).tick();
    expect(store.posts.get(discord, DAILY, '2026-11-23')).toBeUndefined();
    const delivery = new FakeDelivery('discord');
    await scheduler(store, library, clock, [delivery]).tick();
    expect(delivery.posts.map((p) => p.channel)).toEqual([{ platform: 'discord', workspaceId: 'g1', channelId: 'c9' }]);
  });
});

describe('delivery failures', () => {
  it('pauses a channel the bot can no longer post to, with a log line, and stops trying there', async () => {
    const clock = new FixedClock(BERLIN_9('2026-11-09'));
    const store = open();
    subscribe(store, new Date('2026-11-08T00:00:00Z'));
    const delivery = new FakeDelivery();
    delivery.fail.push(new DeliveryError('gone', 'Unknown Channel'));
    const { logger, lines } = captureLogger();
    const s = scheduler(store, library, clock, [delivery], { logger });
    await s.tick();
    expect(store.pauses.get(channel)?.reason).toMatch(/gone: Unknown Channel/);
    expect(lines.some((l) => l.level === 40 && /channel paused/.test(l.msg))).toBe(true);

    clock.set(BERLIN_9('2026-11-14')); // a new digest arrived, but the channel is paused
    await s.tick();
    expect(delivery.posts).toHaveLength(0);
    expect(store.posts.get(channel, DAILY, '2026-11-14')).toBeUndefined();
  });

  it('retries transient failures with growing backoff and sends once when the platform recovers', async () => {
    const clock = new FixedClock(BERLIN_9('2026-11-23'));
    const store = open();
    subscribe(store, new Date('2026-11-22T00:00:00Z'));
    const delivery = new FakeDelivery();
    delivery.fail.push(new DeliveryError('transient', '502 Bad Gateway'), new DeliveryError('rate_limited', '429', { retryAfterMs: 5 * 60_000 }));
    const s = scheduler(store, library, clock, [delivery]);

    await s.tick(); // attempt 1 fails: retry in 1 min
    clock.advance(30_000);
    await s.tick(); // too early
    expect(delivery.fail).toHaveLength(1);
    clock.advance(30_000);
    await s.tick(); // attempt 2: rate limited for 5 min
    expect(delivery.fail).toHaveLength(0);
    clock.advance(4 * 60_000);
    await s.tick();
    expect(delivery.posts).toHaveLength(0);
    clock.advance(60_000);
    await s.tick();
    expect(delivery.posts).toHaveLength(1);
    expect(store.posts.get(channel, DAILY, '2026-11-23')).toMatchObject({ status: 'sent', attempts: 3 });
    expect(store.pauses.get(channel)).toBeUndefined();
  });

  it('gives up on a day after a bounded number of transient failures, without pausing the channel', async () => {
    const clock = new FixedClock(BERLIN_9('2026-11-23'));
    const store = open();
    subscribe(store, new Date('2026-11-22T00:00:00Z'));
    const delivery = new FakeDelivery();
    for (let i = 0; i < 10; i++) delivery.fail.push(new DeliveryError('transient', 'timeout'));
    const s = scheduler(store, library, clock, [delivery]);
    for (let i = 0; i < 30; i++) {
      await s.tick();
      clock.advance(10 * 60_000);
    }
    expect(delivery.fail).toHaveLength(5);
    expect(store.posts.get(channel, DAILY, '2026-11-23')).toMatchObject({ status: 'failed', attempts: 5 });
    expect(store.pauses.get(channel)).toBeUndefined();
  });
});
