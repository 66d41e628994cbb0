import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { E2eWorld, FAKETIME_LIB, SLACK_CHANNEL, until } from './world.js';

/**
 * The real process against the fake Discord and the fake Slack, killed with SIGKILL while a
 * daily post is on its way and started again on the same DATA_DIR: what each channel shows.
 */
let w: E2eWorld;
const TOP_N = 3;
const today = new Date().toISOString().slice(0, 10);
beforeAll(async () => {
  w = await E2eWorld.start();
});
afterAll(() => w?.close());

const discordPosts = () => w.discord.channelMessages(w.discord.channelId).filter((m) => m.author.id === w.discord.botUser.id);
const slackParents = () => w.slack.messages.filter((m) => m.channel === SLACK_CHANNEL && !m.thread_ts);
const slackReplies = (ts: string) => w.slack.messages.filter((m) => m.channel === SLACK_CHANNEL && m.thread_ts === ts);
/** Each reply as its first line reads (the TL;DR heading): Slack's text, Discord's content. */
const titles = (replies: Array<{ text?: string; content?: string }>) => replies.map((r) => (r.text ?? r.content ?? '').split('\n')[0]!);

/** What the channels show now, with the bots' log messages, for assertion messages and the report. */
function observed() {
  const discordThread = discordPosts()[0] ? w.discord.channelMessages(discordPosts()[0]!.id) : [];
  const slackThread = slackParents()[0] ? slackReplies(slackParents()[0]!.ts) : [];
  return { posts: w.postsOn(today), threads: { discord: titles(discordThread), slack: titles(slackThread) }, logs: w.logMessages() };
}

it('SIGKILL during the Discord post, then during the Slack thread, restarted at once: nothing is posted twice', { timeout: 180_000 }, async () => {
  w.subscribeBoth(new Date(), TOP_N);

  // Run 1: Discord takes the daily post but its answer never comes back before the kill.
  const postPath = new RegExp(`^/channels/${w.discord.channelId}/messages$`);
  w.discord.fail({ method: 'POST', path: postPath, accept: true, delayMs: 30_000, times: 1 });
  const first = await w.startBot();
  await until(() => w.discord.requestsTo(postPath, 'POST').some((r) => r.accepted), 'Discord to take the daily post');
  await first.kill();

  // Run 2: the Slack post goes out, and the kill comes while its second summary is on its way.
  w.slack.acceptThen('chat.postMessage', {}, 2);
  w.slack.acceptThen('chat.postMessage', { delayMs: 30_000 });
  const second = await w.startBot();
  await until(() => slackParents().length > 0 && slackReplies(slackParents()[0]!.ts).length >= 2, 'the second Slack summary');
  await second.kill();

  // Run 3, at once: the dead runs' claims still look alive; whatever the bot does, it is done when the fakes go quiet.
  const third = await w.startBot();
  await w.settled();
  await third.stop();

  const seen = observed();
  const why = JSON.stringify(seen, null, 2);
  expect(seen.posts, why).toEqual({ discord: 1, slack: 1 });
  expect(new Set(seen.threads.discord).size, why).toBe(seen.threads.discord.length);
  expect(new Set(seen.threads.slack).size, why).toBe(seen.threads.slack.length);
});

it.skipIf(!existsSync(FAKETIME_LIB))('restarted after the claim lease (clock 11 minutes on): each post still once, its summary thread completed', { timeout: 180_000 }, async () => {
  // Discord's nonce window has passed by then: only what the channels show can tell what is out.
  w.discord.nonceWindowMs = 0;
  const fourth = await w.startBot('+11m');
  await w.settled();
  await fourth.stop();

  const seen = observed();
  const why = JSON.stringify(seen, null, 2);
  expect(seen.posts, why).toEqual({ discord: 1, slack: 1 });
  expect(seen.threads.discord, why).toHaveLength(TOP_N);
  expect(seen.threads.slack, why).toHaveLength(TOP_N);
  expect(new Set(seen.threads.discord).size, why).toBe(TOP_N);
  expect(new Set(seen.threads.slack).size, why).toBe(TOP_N);
});
