import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryClient, SlackDelivery } from '../../../src/bots/slack/delivery.js';
import { adapterDeps } from '../../../src/app.js';
import { createSlackAdapter } from '../../../src/bots/slack/slackBot.js';
import { slackSettings } from '../../../src/config.js';
import { DeliveryError } from '../../../src/model/delivery.js';
import type { Reply } from '../../../src/model/reply.js';
import { BOT_TOKEN, type AfterAccept, type Failure } from '../../fakes/slack/fakeSlack.js';
import { startHarness, type Harness } from './harness.js';
import { headerOf, paperIdsOf } from './slackMessage.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ mode: 'http' });
});
afterAll(() => h?.stop());

const channel = (id: string) => ({ platform: 'slack' as const, channelId: id, workspaceId: 'TTEAM001' });

async function trending(): Promise<Reply> {
  return h.app.router.handle('trending week', { platform: 'slack' });
}

describe('SlackDelivery', () => {
  it('posts a reply to a channel and returns its ts', async () => {
    const posted = await h.bot.delivery.post(channel('CDAILY'), await trending());
    const stored = h.fake.messages.find((m) => m.channel === 'CDAILY')!;
    expect(posted.messageId).toBe(stored.ts);
    expect(headerOf(h.fake.callsTo('chat.postMessage').at(-1)!.args)).toMatch(/^Trending this week/);
  });

  it('posts thread replies under a message with thread_ts, in order', async () => {
    const parent = await h.bot.delivery.post(channel('CDAILY2'), await trending());
    const summaries = await Promise.all(['t-0970fa9b4b', 't-91e2b2567c'].map((id) => h.app.router.handle(`summary ${id}`, { platform: 'slack' })));
    await h.bot.delivery.postInThread(channel('CDAILY2'), parent, 'Trending this week', summaries);
    const replies = h.fake.callsTo('chat.postMessage').filter((c) => c.args['channel'] === 'CDAILY2' && c.args['thread_ts']);
    expect(replies.map((c) => c.args['thread_ts'])).toEqual([parent.messageId, parent.messageId]);
    expect(replies.map((c) => paperIdsOf(c.args))).toEqual([['t-0970fa9b4b'], ['t-91e2b2567c']]);
  });

  it.each<[string, Failure, string, boolean]>([
    ['channel_not_found', { error: 'channel_not_found' }, 'gone', true],
    ['is_archived', { error: 'is_archived' }, 'gone', true],
    ['not_in_channel', { error: 'not_in_channel' }, 'forbidden', true],
    ['missing_scope', { error: 'missing_scope' }, 'forbidden', true],
    ['restricted_action', { error: 'restricted_action' }, 'forbidden', true],
    ['HTTP 500', { status: 500 }, 'transient', false],
    ['HTTP 503', { status: 503 }, 'transient', false],
  ])('%s becomes DeliveryError %s', async (_name, failure, expected, permanent) => {
    h.fake.failNext('chat.postMessage', failure);
    const err = await h.bot.delivery.post(channel('CFAIL'), await trending()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).failure).toBe(expected);
    expect((err as DeliveryError).permanent).toBe(permanent);
  });

  it('ratelimited (429) becomes rate_limited with the Retry-After delay', async () => {
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 30 });
    const err = (await h.bot.delivery.post(channel('CFAIL'), await trending()).catch((e: unknown) => e)) as DeliveryError;
    expect(err.failure).toBe('rate_limited');
    expect(err.retryAfterMs).toBe(30_000);
  });
});

describe('SlackDelivery: each keyed post once, whatever the answer', () => {
  let n = 0;
  /** A channel of its own per test, so counts are that test's alone. */
  const fresh = () => channel(`CKEYED${++n}`);
  /** A delivery as a freshly started bot has it: nothing remembered from before. */
  const restarted = () => new SlackDelivery(deliveryClient(BOT_TOKEN, { slackApiUrl: h.fake.apiUrl }));
  const top = (id: string) => h.fake.messages.filter((m) => m.channel === id && !m.thread_ts);
  const posts = (id: string) => h.fake.callsTo('chat.postMessage').filter((c) => c.args['channel'] === id);
  const today = () => new Date().toISOString().slice(0, 10);

  it.each<[string, AfterAccept]>([
    ['answers 503', { status: 503 }],
    ['drops the connection', { drop: true }],
  ])('Slack posts the message but %s: the post is found in the history, not sent again', async (_what, outcome) => {
    const ch = fresh();
    h.fake.acceptThen('chat.postMessage', outcome);
    const posted = await h.bot.delivery.post(ch, await trending(), `sub-1 ${ch.channelId} 2026-11-23 daily`);
    expect(top(ch.channelId).map((m) => m.ts)).toEqual([posted.messageId]);
    expect(h.fake.postsPerChannelDay().get(`${ch.channelId} ${today()}`)).toBe(1);
    expect(posts(ch.channelId)).toHaveLength(1);
    const lookup = h.fake.callsTo('conversations.history').filter((c) => c.args['channel'] === ch.channelId);
    expect(lookup).toHaveLength(1);
    expect(lookup[0]!.args).toMatchObject({ include_all_metadata: true });
    expect(Number(lookup[0]!.args['oldest'])).toBeLessThan(Date.now() / 1000);
  });

  it('a message Slack never took is sent again after the history shows nothing, and appears once', async () => {
    const ch = fresh();
    h.fake.failNext('chat.postMessage', { status: 503 });
    const posted = await h.bot.delivery.post(ch, await trending(), 'k-never-taken');
    expect(top(ch.channelId).map((m) => m.ts)).toEqual([posted.messageId]);
    expect(posts(ch.channelId)).toHaveLength(2);
  });

  it('carries the key as metadata, which users do not see and history returns only when asked', async () => {
    const ch = fresh();
    await h.bot.delivery.post(ch, await trending(), 'k-meta');
    expect(posts(ch.channelId)[0]!.args['metadata']).toEqual({ event_type: 'paperbot_scheduled_post', event_payload: { key: 'k-meta' } });
    expect(JSON.stringify(posts(ch.channelId)[0]!.args['blocks'])).not.toContain('k-meta');
    expect(String(posts(ch.channelId)[0]!.args['text'])).not.toContain('k-meta');
  });

  it('a restarted bot finds a post by its key in the channel history, paging back through newer messages', async () => {
    const ch = fresh();
    const since = new Date(Date.now() - 2000);
    const first = await h.bot.delivery.post(ch, await trending(), 'k-restart');
    const filler = await trending();
    for (let i = 0; i < 210; i++) await h.bot.delivery.post(ch, filler);
    const bot = restarted();
    expect(await bot.findPosted(ch, 'k-restart', since)).toEqual(first);
    expect(await bot.findPosted(ch, 'k-other', since)).toBeUndefined();
    expect(await bot.findPosted(ch, 'k-restart', new Date(Date.now() + 60_000))).toBeUndefined();
    expect(h.fake.callsTo('conversations.history').some((c) => c.args['channel'] === ch.channelId && c.args['cursor'])).toBe(true);
  });

  it('a thread cut short is completed by a restarted bot: every summary once, in order', async () => {
    const ch = fresh();
    const parent = await h.bot.delivery.post(ch, await trending(), 'k-thread');
    const summaries = await Promise.all(['t-0970fa9b4b', 't-91e2b2567c', 't-0970fa9b4b'].map((id) => h.app.router.handle(`summary ${id}`, { platform: 'slack' })));
    // Summary 2 is posted but its answer is lost (found again); summary 3 never gets through.
    const cutShort = restarted();
    await cutShort.postInThread(ch, parent, 'Daily', summaries.slice(0, 1), 'k-thread');
    h.fake.acceptThen('chat.postMessage', { drop: true });
    await cutShort.postInThread(ch, parent, 'Daily', summaries.slice(0, 2), 'k-thread');
    h.fake.failNext('chat.postMessage', { status: 503 }, 2);
    const err = await cutShort.postInThread(ch, parent, 'Daily', summaries, 'k-thread').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    const replies = () => h.fake.messages.filter((m) => m.channel === ch.channelId && m.thread_ts === parent.messageId).map((m) => m.metadata?.event_payload['key']);
    expect(replies()).toEqual(['k-thread#0', 'k-thread#1']);

    await restarted().postInThread(ch, parent, 'Daily', summaries, 'k-thread');
    expect(replies()).toEqual(['k-thread#0', 'k-thread#1', 'k-thread#2']);
    await restarted().postInThread(ch, parent, 'Daily', summaries, 'k-thread');
    expect(replies()).toEqual(['k-thread#0', 'k-thread#1', 'k-thread#2']);
    expect(
      h.fake
        .callsTo('conversations.replies')
        .filter((c) => c.args['ts'] === parent.messageId)
        .every((c) => c.args['include_all_metadata'] === true),
    ).toBe(true);
  });
});

describe("the running bot's delivery", () => {
  it('does not share the retries of the client that answers users: a 503 on a scheduled post is one call', async () => {
    const bot = createSlackAdapter(adapterDeps(h.app), slackSettings(h.app.config)!, { listen: { port: 0, host: '127.0.0.1' }, retryConfig: { retries: 3, minTimeout: 10, maxTimeout: 20 } });
    await bot.start();
    try {
      h.fake.failNext('chat.postMessage', { status: 503 }, 4);
      const err = await bot.delivery.post(channel('CRETRY'), await trending()).catch((e: unknown) => e);
      expect((err as DeliveryError).failure).toBe('transient');
      expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args['channel'] === 'CRETRY')).toHaveLength(1);
    } finally {
      h.fake.clearFailures();
      await bot.stop();
    }
  });
});
