/**
 * `npx tsx bench/crashSoak.ts [--cycles 200] [--seed 15] [--platforms discord,slack]`: many crash
 * cycles of the real scheduler, store and platform deliveries (discord.js REST, Slack WebClient)
 * against the loopback fakes. Each cycle is one channel's day: its post falls due, a seeded fault
 * hits the post or its summary thread (5xx or a dropped connection after the platform took it, a
 * request that never got through, or a crash: the process stops dead mid-request), and the bot
 * is started again after a seeded gap on the same database, then runs through the next hour.
 * Counts what the channel shows: the post once, duplicated or missing; the thread complete or not.
 * Prints a table per platform and writes bench/results/crashSoak-latest.json.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { webApi } from '@slack/bolt';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../src/clock.js';
import { DiscordDelivery, deliveryRest } from '../src/bots/discord/delivery.js';
import { deliveryClient, SlackDelivery } from '../src/bots/slack/delivery.js';
import { PaperLibrary } from '../src/index/library.js';
import { PaperIndex } from '../src/index/paperIndex.js';
import { silentLogger } from '../src/logger.js';
import type { ChannelRef, Delivery, Platform } from '../src/model/delivery.js';
import { loadDigests } from '../src/parser/loadDigests.js';
import { Scheduler } from '../src/scheduler/scheduler.js';
import { Store } from '../src/store/store.js';
import { FakeDiscord } from '../test/fakes/discord/fakeDiscord.js';
import { BOT_TOKEN, FakeSlack, TEAM_ID } from '../test/fakes/slack/fakeSlack.js';
import { SEEDS_DIR, TODAY } from '../test/helpers/seeds.js';
import { prng } from '../test/helpers/prng.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const CYCLES = Number(option('--cycles', '200'));
const SEED = Number(option('--seed', '15'));
const PLATFORMS = option('--platforms', 'discord,slack').split(',') as Array<'discord' | 'slack'>;
const TOP_N = 3;
const LEASE_MS = 5 * 60_000;
/** A tick still running after this long is taken to be stuck on a held request: the process "dies" there. */
const HANG_MS = 1500;
/** After the restart the bot runs on: ticks at these minutes, enough for retries and an expired lease. */
const TICKS_AT_MIN = [0, 1, 2, 4, 8, 16, 32, 64];
const GAPS_MS = [5_000, 2 * 60_000, 6 * 60_000, 30 * 60_000];

type Fault =
  | 'none'
  | 'post: 5xx after taken'
  | 'post: dropped after taken'
  | 'post: failed, not taken'
  | 'crash: post taken, no answer'
  | 'crash: post never got through'
  | 'crash: 2nd summary taken, no answer'
  | 'crash: 2nd summary never got through'
  | 'summary: 5xx after taken';
const FAULTS: Fault[] = [
  'none',
  'post: 5xx after taken',
  'post: dropped after taken',
  'post: failed, not taken',
  'crash: post taken, no answer',
  'crash: post never got through',
  'crash: 2nd summary taken, no answer',
  'crash: 2nd summary never got through',
  'summary: 5xx after taken',
];

class MovableClock implements Clock {
  constructor(public at: Date) {}
  now(): Date {
    return new Date(this.at);
  }
}

/** One bot process: its database handle, its delivery, its scheduler; `kill` stops it dead. */
interface BotRun {
  scheduler: Scheduler;
  store: Store;
  kill(): void;
}

/** A platform's fake, how to hit its next post or thread reply with a fault, and what its channel shows. */
interface Platformer {
  platform: Platform;
  newChannel(cycle: number): ChannelRef;
  delivery(dead: () => boolean): Delivery;
  arm(fault: Fault, channel: ChannelRef): void;
  clear(): void;
  /** Top-level posts by the bot in the channel, and the replies under the first one. */
  shows(channel: ChannelRef): { posts: number; replies: string[] };
  /** Cross-restart Discord nonce window: gone after a long gap, as at Discord. */
  gap(ms: number): void;
  close(): Promise<void>;
}

const never = <T>() => new Promise<T>(() => undefined);
const HOLD = { delayMs: 3_600_000 };

async function discordPlatform(): Promise<Platformer> {
  const fake = await FakeDiscord.start();
  const postPath = (id: string) => new RegExp(`^/channels/${id}/messages$`);
  return {
    platform: 'discord',
    newChannel(cycle) {
      const id = String(220000000000000000n + BigInt(cycle));
      fake.addChannel(id, `soak-${cycle}`);
      return { platform: 'discord', workspaceId: fake.guildId, channelId: id };
    },
    delivery(dead) {
      const rest = deliveryRest(fake.token, { api: fake.apiUrl, makeRequest: (url, init) => (dead() ? never() : (fetch(url, init as RequestInit) as never)) });
      return new DiscordDelivery(rest);
    },
    arm(fault, ch) {
      // A thread started on a message has the message's id: its replies go to /channels/<post id>/messages.
      const thread = new RegExp(`^/channels/(?!${ch.channelId}/)\\d+/messages$`);
      const replyTo = (f: object) => fake.fail({ method: 'POST', path: thread, skip: 1, times: 1, ...f });
      switch (fault) {
        case 'none':
          return;
        case 'post: 5xx after taken':
          return fake.fail({ method: 'POST', path: postPath(ch.channelId), accept: true, status: 502, times: 1 });
        case 'post: dropped after taken':
          return fake.fail({ method: 'POST', path: postPath(ch.channelId), accept: true, drop: true, times: 1 });
        case 'post: failed, not taken':
          return fake.fail({ method: 'POST', path: postPath(ch.channelId), drop: true, times: 1 });
        case 'crash: post taken, no answer':
          return fake.fail({ method: 'POST', path: postPath(ch.channelId), accept: true, drop: true, times: 1, ...HOLD });
        case 'crash: post never got through':
          return fake.fail({ method: 'POST', path: postPath(ch.channelId), drop: true, times: 1, ...HOLD });
        case 'crash: 2nd summary taken, no answer':
          return replyTo({ accept: true, drop: true, ...HOLD });
        case 'crash: 2nd summary never got through':
          return replyTo({ drop: true, ...HOLD });
        case 'summary: 5xx after taken':
          return replyTo({ accept: true, status: 502 });
      }
    },
    clear: () => fake.clearFaults(),
    shows(ch) {
      const posts = fake.channelMessages(ch.channelId).filter((m) => m.author.id === fake.botUser.id);
      const replies = posts[0] ? fake.channelMessages(posts[0].id).map((m) => String(m.content).split('\n')[0]!) : [];
      return { posts: posts.length, replies };
    },
    gap(ms) {
      fake.nonceWindowMs = ms >= 5 * 60_000 ? 0 : 5 * 60_000;
    },
    close: () => fake.close(),
  };
}

async function slackPlatform(): Promise<Platformer> {
  const fake = await FakeSlack.start();
  const mine = (ch: ChannelRef) => fake.messages.filter((m) => m.channel === ch.channelId);
  return {
    platform: 'slack',
    newChannel: (cycle) => ({ platform: 'slack', workspaceId: TEAM_ID, channelId: `CSOAK${cycle}` }),
    delivery(dead) {
      const client = deliveryClient(BOT_TOKEN, { slackApiUrl: fake.apiUrl, logLevel: webApi.LogLevel.ERROR, requestInterceptor: (config) => (dead() ? never() : config) });
      return new SlackDelivery(client);
    },
    arm(fault) {
      // Each cycle's chat.postMessage calls, in order: the post, then the summaries.
      switch (fault) {
        case 'none':
          return;
        case 'post: 5xx after taken':
          return fake.acceptThen('chat.postMessage', { status: 503 });
        case 'post: dropped after taken':
          return fake.acceptThen('chat.postMessage', { drop: true });
        case 'post: failed, not taken':
          return fake.failNext('chat.postMessage', { status: 503 });
        case 'crash: post taken, no answer':
          return fake.acceptThen('chat.postMessage', HOLD);
        case 'crash: post never got through':
          return fake.failNext('chat.postMessage', { hang: true });
        case 'crash: 2nd summary taken, no answer':
          fake.acceptThen('chat.postMessage', {}, 2);
          return fake.acceptThen('chat.postMessage', HOLD);
        case 'crash: 2nd summary never got through':
          fake.acceptThen('chat.postMessage', {}, 2);
          return fake.acceptThen('chat.postMessage', { drop: true, ...HOLD });
        case 'summary: 5xx after taken':
          fake.acceptThen('chat.postMessage', {}, 2);
          return fake.acceptThen('chat.postMessage', { status: 503 });
      }
    },
    clear: () => fake.clearFailures(),
    shows(ch) {
      const posts = mine(ch).filter((m) => !m.thread_ts);
      const replies = posts[0]
        ? mine(ch)
            .filter((m) => m.thread_ts === posts[0]!.ts)
            .map((m) => m.text ?? '')
        : [];
      return { posts: posts.length, replies };
    },
    gap: () => undefined,
    close: () => fake.close(),
  };
}

interface Tally {
  cycles: number;
  postsDue: number;
  once: number;
  duplicated: number;
  missing: number;
  threadsComplete: number;
  threadsIncomplete: number;
  summariesDuplicated: number;
  crashes: number;
  stuckTicks: number;
  byFault: Record<string, { cycles: number; once: number; duplicated: number; missing: number; threadsComplete: number }>;
}

async function soak(make: () => Promise<Platformer>, library: PaperLibrary, random: () => number): Promise<Tally> {
  const p = await make();
  const root = mkdtempSync(join(tmpdir(), `paperbot-soak-${p.platform}-`));
  const tally: Tally = { cycles: 0, postsDue: 0, once: 0, duplicated: 0, missing: 0, threadsComplete: 0, threadsIncomplete: 0, summariesDuplicated: 0, crashes: 0, stuckTicks: 0, byFault: {} };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  let runNo = 0;
  try {
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const file = join(root, `cycle-${cycle}.sqlite`);
      const clock = new MovableClock(new Date());
      const channel = p.newChannel(cycle);
      const setup = Store.open(file);
      const due = new Date(clock.at.getTime() - 60_000);
      setup.subscriptions.upsert({ ...channel, workspaceId: channel.workspaceId!, postTime: due.toISOString().slice(11, 16), timezone: 'UTC', topN: TOP_N }, new Date(clock.at.getTime() - 3 * 60_000));
      setup.close();

      const start = (): BotRun => {
        let dead = false;
        const store = Store.open(file);
        const scheduler = new Scheduler({ store, library, clock, deliveries: [p.delivery(() => dead)], logger: silentLogger, instanceId: `soak-${++runNo}`, claimLeaseMs: LEASE_MS });
        const kill = () => {
          dead = true;
          store.close();
        };
        return { scheduler, store, kill };
      };
      /** True when the tick finished; false when it hung on a held request (the process is then killed). */
      const tick = async (run: BotRun): Promise<boolean> => {
        const done = await Promise.race([run.scheduler.tick().then(() => true), new Promise<false>((r) => setTimeout(() => r(false), HANG_MS))]);
        return done;
      };

      const fault = pick(FAULTS);
      p.arm(fault, channel);
      let run = start();
      if (!(await tick(run))) {
        tally.crashes++;
        run.kill();
        p.clear();
        const gap = pick(GAPS_MS);
        p.gap(gap);
        clock.at = new Date(clock.at.getTime() + gap);
        run = start();
      } else {
        p.clear();
      }
      const restartAt = clock.at.getTime();
      for (const minutes of TICKS_AT_MIN) {
        clock.at = new Date(restartAt + minutes * 60_000);
        if (!(await tick(run))) {
          tally.stuckTicks++;
          break;
        }
      }
      run.kill();
      p.gap(0);

      const shown = p.shows(channel);
      const row = (tally.byFault[fault] ??= { cycles: 0, once: 0, duplicated: 0, missing: 0, threadsComplete: 0 });
      tally.cycles++;
      row.cycles++;
      tally.postsDue++;
      const outcome = shown.posts === 1 ? 'once' : shown.posts > 1 ? 'duplicated' : 'missing';
      tally[outcome]++;
      row[outcome]++;
      const distinct = new Set(shown.replies).size;
      if (distinct < shown.replies.length) tally.summariesDuplicated++;
      if (shown.posts > 0 && distinct === TOP_N && shown.replies.length === TOP_N) {
        tally.threadsComplete++;
        row.threadsComplete++;
      } else if (shown.posts > 0) tally.threadsIncomplete++;
    }
  } finally {
    await p.close();
    rmSync(root, { recursive: true, force: true });
  }
  return tally;
}

async function main(): Promise<void> {
  const load = await loadDigests([SEEDS_DIR], { today: TODAY });
  const library = new PaperLibrary(
    PaperIndex.build(
      load.papers,
      load.digests.map((d) => d.date),
    ),
  );
  const results: Record<string, Tally> = {};
  const makers = { discord: discordPlatform, slack: slackPlatform };
  for (const [i, platform] of PLATFORMS.entries()) {
    const started = performance.now();
    results[platform] = await soak(makers[platform], library, prng(SEED + i));
    const t = results[platform];
    process.stdout.write(
      `\n${platform}: ${t.cycles} cycles (seed ${SEED + i}), ${t.crashes} crashes, ${Math.round((performance.now() - started) / 1000)} s\n` +
        `  posts due ${t.postsDue} · exactly once ${t.once} · duplicated ${t.duplicated} · missing ${t.missing}\n` +
        `  summary threads complete ${t.threadsComplete} · incomplete ${t.threadsIncomplete} · with a summary twice ${t.summariesDuplicated} · stuck ticks ${t.stuckTicks}\n`,
    );
    for (const [fault, r] of Object.entries(t.byFault)) {
      process.stdout.write(`    ${fault.padEnd(38)} ${String(r.cycles).padStart(4)} cycles · once ${r.once} · dup ${r.duplicated} · missing ${r.missing} · thread complete ${r.threadsComplete}\n`);
    }
  }
  writeFileSync(join(import.meta.dirname, 'results', 'crashSoak-latest.json'), `${JSON.stringify({ seed: SEED, cycles: CYCLES, results }, null, 2)}\n`);
  // Killed runs leave requests held at the fakes and timers in their clients: nothing to wait for.
  process.exit(0);
}

void main();
