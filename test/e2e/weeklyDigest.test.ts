import { copyFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { isoDay } from '../../src/time/days.js';
import { TEAM_ID } from '../fakes/slack/fakeSlack.js';
import { RAW_DIR, SEEDS_DIR } from '../helpers/seeds.js';
import { E2eWorld, FAKETIME_LIB, SLACK_CHANNEL, until } from './world.js';

/**
 * The weekly digest through the real process and both fake platforms: posted at its time, once
 * across a restart; after a week of downtime the missed week is posted once, marked late, even
 * when the process is killed while that post is on its way. The first week runs with the clock
 * a week back (the platforms keep the real time, as they would a week earlier); the missed week
 * is due a quarter of an hour before now.
 */
const SLOT = new Date(Date.now() - 15 * 60_000);
/** A week back, a minute after that week's slot. */
const LAST_WEEK = `-${7 * 24 * 60 + 14}m`;

let w: E2eWorld | undefined;
let digestsDir = '';
afterEach(async () => {
  await w?.close();
  rmSync(digestsDir, { recursive: true, force: true });
  w = undefined;
});

/** Both channels get the weekly digest on SLOT's weekday and time (UTC), subscribed just before last week's slot. */
function subscribeWeekly(world: E2eWorld): void {
  const store = Store.openInDataDir(world.dataDir);
  const postTime = SLOT.toISOString().slice(11, 16);
  const weekday = SLOT.getUTCDay() || 7;
  const since = new Date(SLOT.getTime() - 7 * 86_400_000 - 15 * 60_000);
  store.weekly.upsert({ platform: 'discord', workspaceId: world.discord.guildId, channelId: world.discord.channelId, weekday, postTime, timezone: 'UTC', topN: 3 }, since);
  store.weekly.upsert({ platform: 'slack', workspaceId: TEAM_ID, channelId: SLACK_CHANNEL, weekday, postTime, timezone: 'UTC', topN: 3 }, since);
  store.close();
}

/** The weekly digests each channel shows: whether each was marked late. */
function weekliesShown(world: E2eWorld): { discord: boolean[]; slack: boolean[] } {
  const isWeekly = (json: string) => json.includes('Best papers of the week');
  const late = (json: string) => json.includes('Late: this weekly digest was due');
  const discord = world.discord
    .channelMessages(world.discord.channelId)
    .filter((m) => m.author.id === world.discord.botUser.id)
    .map((m) => JSON.stringify(m));
  const slack = world.slack.messages.filter((m) => m.channel === SLACK_CHANNEL && !m.thread_ts).map((m) => JSON.stringify(m));
  return { discord: discord.filter(isWeekly).map(late), slack: slack.filter(isWeekly).map(late) };
}

async function weeklyThisWeek(): Promise<E2eWorld> {
  const world = await E2eWorld.start();
  digestsDir = mkdtempSync(join(tmpdir(), 'paperbot-digests-'));
  cpSync(SEEDS_DIR, digestsDir, { recursive: true });
  subscribeWeekly(world);
  const first = await world.startBot(LAST_WEEK, { DIGESTS_DIR: digestsDir });
  await first.waitForLog((l) => l.msg === 'weekly digest sent' && String(l.channel).startsWith('slack'), 'the Slack weekly');
  await first.waitForLog((l) => l.msg === 'weekly digest sent' && String(l.channel).startsWith('discord'), 'the Discord weekly');
  await world.settled(3000);
  await first.kill();
  // A restart the same week posts nothing more.
  const again = await world.startBot(LAST_WEEK, { DIGESTS_DIR: digestsDir });
  await again.waitForLog((l) => l.msg.includes('index current'), 'the index to be current');
  await world.settled(3000);
  await again.stop();
  expect(weekliesShown(world)).toEqual({ discord: [false], slack: [false] });
  // A week of digests arrives while the bot is down: this week's slot day gets a digest.
  copyFileSync(join(RAW_DIR, '2026-08-21.json'), join(digestsDir, `${isoDay(SLOT)}.json`));
  return world;
}

it.skipIf(!existsSync(FAKETIME_LIB))('the weekly digest posts once at its time; after a week down, the missed week is posted once, marked late', { timeout: 240_000 }, async () => {
  w = await weeklyThisWeek();
  const late = await w.startBot(undefined, { DIGESTS_DIR: digestsDir });
  await late.waitForLog((l) => l.msg === 'weekly digest sent' && String(l.channel).startsWith('slack'), 'the late Slack weekly');
  await late.waitForLog((l) => l.msg === 'weekly digest sent' && String(l.channel).startsWith('discord'), 'the late Discord weekly');
  await w.settled(3000);
  await late.stop();
  expect(weekliesShown(w)).toEqual({ discord: [false, true], slack: [false, true] });
});

it.skipIf(!existsSync(FAKETIME_LIB))('SIGKILL while the late weekly is on its way, restarted after the claim lease: still once per channel', { timeout: 300_000 }, async () => {
  w = await weeklyThisWeek();
  const postPath = new RegExp(`^/channels/${w.discord.channelId}/messages$`);
  const acceptedBefore = w.discord.requestsTo(postPath, 'POST').filter((r) => r.accepted).length;
  w.discord.fail({ method: 'POST', path: postPath, accept: true, delayMs: 30_000, times: 1 });
  w.slack.acceptThen('chat.postMessage', { delayMs: 30_000 });
  const slackBefore = w.slack.messages.length;
  const second = await w.startBot(undefined, { DIGESTS_DIR: digestsDir });
  await until(
    () => w!.discord.requestsTo(postPath, 'POST').filter((r) => r.accepted).length > acceptedBefore && w!.slack.messages.length > slackBefore,
    'both platforms to take the late weekly',
    90_000,
  );
  await second.kill();

  w.discord.nonceWindowMs = 0;
  const third = await w.startBot('+12m', { DIGESTS_DIR: digestsDir });
  await third.waitForLog((l) => l.msg.includes('weekly digest found in the channel'), 'the weekly to be found under its key');
  await w.settled();
  await third.stop();
  expect(weekliesShown(w)).toEqual({ discord: [false, true], slack: [false, true] });
});
