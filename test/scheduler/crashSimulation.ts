import pino from 'pino';
import type { Clock } from '../../src/clock.js';
import { FixedClock } from '../../src/clock.js';
import { PaperLibrary } from '../../src/index/library.js';
import type { PaperIndex } from '../../src/index/paperIndex.js';
import { type ChannelRef, type Delivery, DeliveryError, type Platform, type PostedMessage } from '../../src/model/delivery.js';
import type { Paper } from '../../src/model/paper.js';
import type { Reply } from '../../src/model/reply.js';
import { dailyPostKey, threadKeyPrefix } from '../../src/scheduler/postKeys.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { Store } from '../../src/store/store.js';
import { FakeDelivery, indexWith, listedOn, textOf } from './harness.js';
import { prng } from '../helpers/prng.js';
import { addDays } from '../../src/time/days.js';

/**
 * A seeded simulation of one crash (or flaky answer) a day over many days, on a real SQLite
 * file: each day brings a new digest (before the post time, or hours after it, as a late fetch
 * does), the process dies in a random window and restarts a random while later, sometimes from
 * a stale index. What each channel shows is then counted: one post per day, with that day's
 * digest, and its whole thread.
 */
export type CrashKind = 'none' | 'down_over_slot' | 'after_claim' | 'after_send' | 'in_thread' | 'answer_lost' | 'lookup_fails';
const KINDS: readonly CrashKind[] = ['none', 'down_over_slot', 'after_claim', 'after_send', 'in_thread', 'answer_lost', 'lookup_fails'];

export interface PlatformReport {
  platform: Platform;
  due: number;
  exactlyOnce: number;
  duplicated: number;
  missing: number;
  /** Posted once, but showing another day's digest or missing its late note. */
  wrongContent: number;
  threadsComplete: number;
  threadRepliesDuplicated: number;
}

export interface SimulationReport {
  seed: number;
  days: number;
  crashes: Record<CrashKind, number>;
  platforms: PlatformReport[];
}

const MINUTE = 60_000;
const TOP_N = 3;
const FIRST_DAY = '2027-01-04';
const LATE_AFTER = 10 * MINUTE;

const hang = () => new Promise<never>(() => {});

/**
 * One process's view of a channel: calls go through to the channel (the FakeDelivery that
 * outlives processes) until the planned crash point, where this process stops for good.
 */
class ProcessDelivery implements Delivery {
  dead = false;
  /** Where this process dies; undefined: it does not. */
  plan: { kind: CrashKind; threadAfter: number } | undefined;
  constructor(private readonly channel: FakeDelivery) {}

  get platform(): Platform {
    return this.channel.platform;
  }

  async post(ref: ChannelRef, reply: Reply, key?: string): Promise<PostedMessage> {
    if (this.dead) return hang();
    switch (this.plan?.kind) {
      case 'after_claim':
        this.dead = true;
        return hang();
      case 'after_send':
        await this.channel.post(ref, reply, key);
        this.dead = true;
        return hang();
      case 'answer_lost':
        this.plan.kind = 'none';
        await this.channel.post(ref, reply, key);
        throw new DeliveryError('transient', '503 Service Unavailable');
      default:
        return this.channel.post(ref, reply, key);
    }
  }

  async findPosted(ref: ChannelRef, key: string, since: Date): Promise<PostedMessage | undefined> {
    if (this.dead) return hang();
    if (this.plan?.kind === 'lookup_fails') {
      this.plan.kind = 'none';
      throw new DeliveryError('transient', 'history: 502 Bad Gateway');
    }
    return this.channel.findPosted(ref, key, since);
  }

  async postInThread(ref: ChannelRef, parent: PostedMessage, title: string, replies: readonly Reply[], keyPrefix?: string): Promise<PostedMessage[]> {
    if (this.dead) return hang();
    if (this.plan?.kind === 'in_thread') {
      await this.channel.postInThread(ref, parent, title, replies.slice(0, this.plan.threadAfter), keyPrefix);
      this.dead = true;
      return hang();
    }
    return this.channel.postInThread(ref, parent, title, replies, keyPrefix);
  }
}

export async function simulateCrashes(options: { seed: number; days: number; file: string; seeds: readonly Paper[] }): Promise<SimulationReport> {
  const rand = prng(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const channels = [
    { ref: { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1' }, fake: undefined as unknown as FakeDelivery },
    { ref: { platform: 'discord' as const, workspaceId: 'G1', channelId: '42' }, fake: undefined as unknown as FakeDelivery },
  ];
  const clock = new FixedClock(new Date(`${FIRST_DAY}T00:00:00Z`));
  for (const c of channels) c.fake = new FakeDelivery(c.ref.platform, clock);
  const days = Array.from({ length: options.days }, (_, i) => addDays(FIRST_DAY, i));
  // Day i's digest lists three seed papers; an index knows the digests up to the day it was built for.
  const listings = days.map((day, i) => listedOn(rotate(options.seeds, i * TOP_N, TOP_N), day));
  const built = new Map<number, PaperIndex>();
  const indexUpTo = (i: number): PaperIndex => {
    let index = built.get(i);
    if (!index) built.set(i, (index = indexWith(options.seeds, mergeListings(listings.slice(0, i + 1)))));
    built.delete(i - 2);
    return index;
  };

  const logger = pino({ level: 'silent' });
  const crashes = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<CrashKind, number>;
  let process: { store: Store; scheduler: Scheduler; library: PaperLibrary; deliveries: ProcessDelivery[] } | undefined;
  let instance = 0;
  const boot = (index: PaperIndex) => {
    const store = Store.open(options.file);
    const library = new PaperLibrary(index);
    const deliveries = channels.map((c) => new ProcessDelivery(c.fake));
    const scheduler = new Scheduler({ store, library, clock: clock as Clock, deliveries, logger, instanceId: `p${++instance}`, lateAfterMs: LATE_AFTER });
    process = { store, scheduler, library, deliveries };
  };
  /** A tick of a live process; once its delivery hangs the process is dead and the tick is abandoned. */
  const tick = async () => {
    const p = process!;
    let settled = false;
    const run = p.scheduler.tick().then(() => 'ran' as const);
    const died = new Promise<'died'>((resolve) => {
      const check = () => {
        if (settled) return;
        if (p.deliveries.some((d) => d.dead)) resolve('died');
        else setImmediate(check);
      };
      check();
    });
    const outcome = await Promise.race([run, died]);
    settled = true;
    if (outcome === 'died') kill();
  };
  const kill = () => {
    process?.store.close();
    process = undefined;
  };

  boot(indexUpTo(-1));
  for (const c of channels) process!.store.subscriptions.upsert({ ...c.ref, postTime: '09:00', timezone: 'UTC', topN: TOP_N }, clock.now());
  await tick();

  for (const [i, day] of days.entries()) {
    const at = (minutes: number) => new Date(`${day}T00:00:00Z`).getTime() + minutes * MINUTE;
    const slot = 9 * 60;
    const kind = pick(KINDS);
    crashes[kind]++;
    // The day's digest: dropped before the post time, or fetched up to three hours after it.
    const arrive = rand() < 0.5 ? between(slot - 60, slot - 1) : between(slot, slot + 180);
    const restartAt = between(slot + 1, slot + 180);
    const plan = { kind, threadAfter: between(0, TOP_N - 1) };
    // The channel whose call the process dies in (the other one's post may come before or after).
    const crashIn = between(0, channels.length - 1);
    let digestIn = false;

    if (!process) boot(indexUpTo(i - 1));
    // Crash plans apply from the slot on; a process that is down over the slot stops just before it.
    const times = new Set<number>([arrive, slot - 5, slot, restartAt, ...Array.from({ length: 30 }, (_, k) => slot + 10 * k)]);
    let armed = false;
    for (const minute of [...times].sort((a, b) => a - b)) {
      clock.set(new Date(at(minute)));
      if (!armed && minute >= slot - 5) {
        armed = true;
        if (kind === 'down_over_slot') kill();
        else if (kind !== 'none') process!.deliveries[crashIn]!.plan = plan;
      }
      if (minute === arrive) {
        digestIn = true;
        // A running process sees the new file at once; a stopped one finds it when it restarts.
        if (process) {
          process.library.swap(indexUpTo(i));
          await tick();
        }
      }
      if (!process && minute >= restartAt) {
        // Restarted from a snapshot made before the day's digest; sometimes the first tick runs
        // on it (the wait for a current index timed out), then the rebuild brings the digest.
        boot(indexUpTo(i - 1));
        if (rand() < 0.3) await tick();
        if (digestIn) process!.library.swap(indexUpTo(i));
      }
      if (process) await tick();
    }
    // The day ends with a live process for the next day.
    if (!process) boot(indexUpTo(i));
    else for (const d of process.deliveries) d.plan = undefined;
  }
  kill();

  const platforms = channels.map(({ ref, fake }): PlatformReport => {
    const counts = fake.countByKey();
    const report: PlatformReport = { platform: ref.platform, due: days.length, exactlyOnce: 0, duplicated: 0, missing: 0, wrongContent: 0, threadsComplete: 0, threadRepliesDuplicated: 0 };
    for (const day of days) {
      const key = dailyPostKey(ref, day);
      const n = counts.get(key) ?? 0;
      if (n === 0) report.missing++;
      else if (n > 1) report.duplicated++;
      else {
        report.exactlyOnce++;
        const post = fake.posts.find((p) => p.key === key)!;
        const lateBy = post.at.getTime() - new Date(`${day}T09:00:00Z`).getTime();
        const text = textOf(post.reply);
        const digestShown = text.startsWith(`Trending papers of ${humanDay(day)}`);
        if (!digestShown || lateBy > LATE_AFTER !== /\nLate: /.test(text)) report.wrongContent++;
        const replies = fake.repliesUnder(post.messageId).map((r) => r.key);
        const expected = Array.from({ length: TOP_N }, (_, k) => `${threadKeyPrefix(key)}#${k}`);
        if (expected.every((k) => replies.includes(k))) report.threadsComplete++;
        if (new Set(replies).size !== replies.length) report.threadRepliesDuplicated++;
      }
    }
    return report;
  });
  return { seed: options.seed, days: days.length, crashes, platforms };
}

function rotate<T>(items: readonly T[], start: number, n: number): T[] {
  return Array.from({ length: n }, (_, k) => items[(start + k) % items.length]!);
}

/** Papers listed on several days carry all their appearances. */
function mergeListings(listings: readonly Paper[][]): Paper[] {
  const byId = new Map<string, Paper>();
  for (const papers of listings) {
    for (const p of papers) {
      const seen = byId.get(p.id);
      byId.set(p.id, seen ? { ...seen, digests: [...seen.digests, p.digests.at(-1)!] } : p);
    }
  }
  return [...byId.values()];
}

function humanDay(iso: string): string {
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}
