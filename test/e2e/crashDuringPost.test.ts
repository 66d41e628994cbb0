import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { FakeDiscord } from '../fakes/discord/fakeDiscord.js';
import { BOT_TOKEN, FakeSlack, TEAM_ID } from '../fakes/slack/fakeSlack.js';
import { SEEDS_DIR } from '../helpers/seeds.js';
import { BotProcess, freePort, type LogLine } from './botProcess.js';

/**
 * The real process against the fake Discord and the fake Slack, killed with SIGKILL while a
 * daily post is on its way and started again on the same DATA_DIR: what each channel shows.
 */
let discord: FakeDiscord;
let slack: FakeSlack;
let dataDir: string;
const bots: BotProcess[] = [];
const SLACK_CHANNEL = 'CDAILY';
const TOP_N = 3;
/** libfaketime (Debian package faketime) moves the restarted bot's clock past the claim lease. */
const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

beforeAll(async () => {
  discord = await FakeDiscord.start();
  slack = await FakeSlack.start();
  dataDir = mkdtempSync(join(tmpdir(), 'paperbot-e2e-'));
});
afterAll(async () => {
  for (const bot of bots) await bot.stop();
  await discord?.close();
  await slack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Both channels subscribed by an operator, with the day's post due a minute ago. */
function subscribeBoth(now: Date): void {
  const store = Store.openInDataDir(dataDir);
  const due = new Date(now.getTime() - 60_000);
  const postTime = due.toISOString().slice(11, 16);
  const since = new Date(now.getTime() - 3 * 60_000);
  store.subscriptions.upsert({ platform: 'discord', workspaceId: discord.guildId, channelId: discord.channelId, postTime, timezone: 'UTC', topN: TOP_N }, since);
  store.subscriptions.upsert({ platform: 'slack', workspaceId: TEAM_ID, channelId: SLACK_CHANNEL, postTime, timezone: 'UTC', topN: TOP_N }, since);
  store.close();
}

async function startBot(clockAhead?: string): Promise<BotProcess> {
  const bot = new BotProcess({
    ...(clockAhead ? { LD_PRELOAD: FAKETIME_LIB, FAKETIME: clockAhead, FAKETIME_DONT_FAKE_MONOTONIC: '1' } : {}),
    DIGESTS_DIR: SEEDS_DIR,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: 'e2e-signing-secret',
    SLACK_PORT: String(await freePort()),
    SLACK_API_URL: slack.apiUrl,
  });
  bots.push(bot);
  await bot.waitForLog((l) => l.msg === 'discord bot ready', 'Discord to be ready');
  await bot.waitForLog((l) => l.msg.startsWith('slack listening'), 'Slack to be listening');
  return bot;
}

async function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until neither fake has received anything for `quietMs` (at most `ms`). */
async function settled(quietMs = 6000, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  let last = -1;
  let since = Date.now();
  while (Date.now() < end) {
    const seen = discord.requests.length + slack.calls.length;
    if (seen !== last) [last, since] = [seen, Date.now()];
    else if (Date.now() - since >= quietMs) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const discordPosts = () => discord.channelMessages(discord.channelId).filter((m) => m.author.id === discord.botUser.id);
const slackParents = () => slack.messages.filter((m) => m.channel === SLACK_CHANNEL && !m.thread_ts);
const slackReplies = (ts: string) => slack.messages.filter((m) => m.channel === SLACK_CHANNEL && m.thread_ts === ts);
/** Each reply as its first line reads (the TL;DR heading): Slack's text, Discord's content. */
const titles = (replies: Array<{ text?: string; content?: string }>) => replies.map((r) => (r.text ?? r.content ?? '').split('\n')[0]!);
const messages = (bot: BotProcess) => bot.logs.filter((l: LogLine) => l.level >= 30).map((l) => l.msg);

/** What the channels show now, with the bots' log messages, for assertion messages and the report. */
function observed(runs: BotProcess[], today: string) {
  const discordThread = discordPosts()[0] ? discord.channelMessages(discordPosts()[0]!.id) : [];
  const slackThread = slackParents()[0] ? slackReplies(slackParents()[0]!.ts) : [];
  return {
    counts: { discord: discord.postsPerChannelDay().get(`${discord.channelId} ${today}`) ?? 0, slack: slack.postsPerChannelDay().get(`${SLACK_CHANNEL} ${today}`) ?? 0 },
    threads: { discord: titles(discordThread), slack: titles(slackThread) },
    logs: runs.map(messages),
  };
}

const today = new Date().toISOString().slice(0, 10);
const runs: BotProcess[] = [];

it('SIGKILL during the Discord post, then during the Slack thread, restarted at once: nothing is posted twice', { timeout: 180_000 }, async () => {
  subscribeBoth(new Date());

  // Run 1: Discord takes the daily post but its answer never comes back before the kill.
  const postPath = new RegExp(`^/channels/${discord.channelId}/messages$`);
  discord.fail({ method: 'POST', path: postPath, accept: true, delayMs: 30_000, times: 1 });
  runs.push(await startBot());
  await until(() => discord.requestsTo(postPath, 'POST').some((r) => r.accepted), 'Discord to take the daily post');
  await runs[0]!.kill();

  // Run 2: the Slack post goes out, and the kill comes while its second summary is on its way.
  slack.acceptThen('chat.postMessage', {}, 2);
  slack.acceptThen('chat.postMessage', { delayMs: 30_000 });
  runs.push(await startBot());
  await until(() => slackParents().length > 0 && slackReplies(slackParents()[0]!.ts).length >= 2, 'the second Slack summary');
  await runs[1]!.kill();

  // Run 3, at once: the dead runs' claims still look alive; whatever the bot does, it is done when the fakes go quiet.
  runs.push(await startBot());
  await settled();
  await runs[2]!.stop();

  const seen = observed(runs, today);
  const why = JSON.stringify(seen, null, 2);
  expect(seen.counts, why).toEqual({ discord: 1, slack: 1 });
  expect(new Set(seen.threads.discord).size, why).toBe(seen.threads.discord.length);
  expect(new Set(seen.threads.slack).size, why).toBe(seen.threads.slack.length);
});

it.skipIf(!existsSync(FAKETIME_LIB))('restarted after the claim lease (clock 11 minutes on): each post still once, its summary thread completed', { timeout: 180_000 }, async () => {
  // Discord's nonce window has passed by then: only what the channels show can tell what is out.
  discord.nonceWindowMs = 0;
  runs.push(await startBot('+11m'));
  await settled();
  await runs[3]!.stop();

  const seen = observed(runs, today);
  const why = JSON.stringify(seen, null, 2);
  expect(seen.counts, why).toEqual({ discord: 1, slack: 1 });
  expect(seen.threads.discord, why).toHaveLength(TOP_N);
  expect(seen.threads.slack, why).toHaveLength(TOP_N);
  expect(new Set(seen.threads.discord).size, why).toBe(TOP_N);
  expect(new Set(seen.threads.slack).size, why).toBe(TOP_N);
});
