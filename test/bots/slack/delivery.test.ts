import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/model/delivery.js';
import type { Reply } from '../../../src/model/reply.js';
import type { Failure } from '../../fakes/slack/fakeSlack.js';
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
