import { afterAll, beforeAll, expect, it } from 'vitest';
import { E2eWorld } from './world.js';

/**
 * Issue 15, item 5, as an operator meets it: the platform takes the daily post, then answers
 * 5xx or drops the connection. The running bot must not post it again.
 */
let w: E2eWorld;
const today = new Date().toISOString().slice(0, 10);
beforeAll(async () => {
  w = await E2eWorld.start();
});
afterAll(() => w?.close());

it('Discord drops the connection and Slack answers 503 after taking the daily post: each channel shows it once', { timeout: 240_000 }, async () => {
  w.subscribeBoth(new Date(), 2);
  w.discord.fail({ method: 'POST', path: new RegExp(`^/channels/${w.discord.channelId}/messages$`), accept: true, drop: true, times: 1 });
  w.slack.acceptThen('chat.postMessage', { status: 503 });
  const bot = await w.startBot();
  // Either the bot settles the post as sent, or it schedules a retry (the scheduler's first retry is a minute on).
  await bot.waitForLog((l) => l.msg === 'daily post sent' && String(l['channel']).startsWith('slack'), 'the Slack post to be settled', 150_000);
  await bot.waitForLog((l) => l.msg === 'daily post sent' && String(l['channel']).startsWith('discord'), 'the Discord post to be settled', 150_000);
  await w.settled();
  await bot.stop();
  expect(w.postsOn(today), JSON.stringify(w.logMessages(), null, 2)).toEqual({ discord: 1, slack: 1 });
});
