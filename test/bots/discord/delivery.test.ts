import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordDelivery, deliveryRest } from '../../../src/bots/discord/delivery.js';
import { nonceOf } from '../../../src/bots/discord/postKey.js';
import { registerCommands } from '../../../src/bots/discord/slashCommands.js';
import { DeliveryError } from '../../../src/model/delivery.js';
import type { Reply } from '../../../src/model/reply.js';
import { plain } from '../../../src/model/reply.js';
import { FakeDiscord, type Json } from '../../fakes/discord/fakeDiscord.js';
import { ROOT } from '../../helpers/seeds.js';
import { startHarness } from './harness.js';

let fake: FakeDiscord;
let delivery: DiscordDelivery;
beforeAll(async () => {
  fake = await FakeDiscord.start();
  delivery = newDelivery();
});
afterAll(() => fake?.close());

/** A delivery as a freshly started bot has it: nothing remembered from before. */
const newDelivery = () => new DiscordDelivery(deliveryRest(fake.token, { api: fake.apiUrl }));
const channel = () => ({ platform: 'discord' as const, channelId: fake.channelId, workspaceId: fake.guildId });
const trendingPost: Reply = {
  visibility: 'ephemeral',
  blocks: [
    { kind: 'heading', text: 'Trending today @everyone' },
    { kind: 'paper', card: { id: '2405.14906', title: '**Fast** <@123> MoE', links: { primary: 'https://huggingface.co/papers/2405.14906' }, upvotes: 7, snippet: plain('Routing.') } },
    { kind: 'actions', buttons: [{ label: 'Summary', command: 'summary 2405.14906' }] },
  ],
};
/** The register CLI as a user runs it; asynchronous, so the fake in this process can answer it. */
const register = (args: string[], env: NodeJS.ProcessEnv) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/bots/discord/register.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
const failure = async (promise: Promise<unknown>): Promise<DeliveryError> => {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
};

describe('DiscordDelivery', () => {
  it('posts a reply to the channel for everyone, with embeds and buttons, pinging nobody', async () => {
    const { messageId } = await delivery.post(channel(), trendingPost);
    const message = fake.messages.get(messageId)!;
    expect(message.channel_id).toBe(fake.channelId);
    expect(message.flags).toBe(0);
    expect(message.allowed_mentions).toEqual({ parse: [] });
    expect(message.content).not.toMatch(/@everyone/);
    expect((message.embeds as Json[])[0]!.title).not.toMatch(/<@123>/);
    expect((message.components as Json[])[0]!.components[0].custom_id).toBe('pb:summary 2405.14906');
  });

  it('posts replies in a thread under a posted message, reusing it the second time', async () => {
    const parent = await delivery.post(channel(), trendingPost);
    const title = `Alerts ${'word '.repeat(40)}`;
    await delivery.postInThread(channel(), parent, title, [trendingPost, { visibility: 'channel', blocks: [{ kind: 'text', text: plain('second') }] }]);
    const thread = fake.threads().find((t) => t.id === parent.messageId)!;
    expect(thread.name.length).toBeLessThanOrEqual(100);
    expect(thread.name.startsWith('Alerts word')).toBe(true);
    expect(fake.channelMessages(thread.id)).toHaveLength(2);
    await delivery.postInThread(channel(), parent, title, [trendingPost]);
    expect(fake.threads().filter((t) => t.id === parent.messageId)).toHaveLength(1);
    expect(fake.channelMessages(thread.id)).toHaveLength(3);
  });

  it('maps a deleted channel to gone and a missing permission to forbidden', async () => {
    expect((await failure(delivery.post({ ...channel(), channelId: '299999999999999999' }, trendingPost))).failure).toBe('gone');
    fake.fail({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 403, body: { message: 'Missing Permissions', code: 50013 }, times: 1 });
    const forbidden = await failure(delivery.post(channel(), trendingPost));
    expect(forbidden.failure).toBe('forbidden');
    expect(forbidden.permanent).toBe(true);
  });

  it('maps a 5xx to transient without retrying it blindly', async () => {
    const before = fake.requestsTo(/^\/channels\/\d+\/messages$/, 'POST').length;
    fake.fail({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 502, times: 1 });
    const err = await failure(delivery.post(channel(), trendingPost));
    expect(err.failure).toBe('transient');
    expect(err.permanent).toBe(false);
    expect(fake.requestsTo(/^\/channels\/\d+\/messages$/, 'POST').length - before).toBe(1);
  });

  it('waits out a 429 by default, and reports rate_limited with the wait when told not to queue', async () => {
    const rateLimited = {
      method: 'POST',
      path: /^\/channels\/\d+\/messages$/,
      status: 429,
      headers: { 'retry-after': '0.1' },
      body: { message: 'You are being rate limited.', retry_after: 0.1, global: false },
      times: 1,
    };
    const before = fake.requestsTo(/^\/channels\/\d+\/messages$/, 'POST').length;
    fake.fail(rateLimited);
    await delivery.post(channel(), trendingPost);
    expect(
      fake
        .requestsTo(/^\/channels\/\d+\/messages$/, 'POST')
        .slice(before)
        .map((r) => r.status),
    ).toEqual([429, 200]);

    const impatient = new DiscordDelivery(deliveryRest(fake.token, { api: fake.apiUrl, rejectOnRateLimit: () => true }));
    fake.fail(rateLimited);
    const err = await failure(impatient.post(channel(), trendingPost));
    expect(err.failure).toBe('rate_limited');
    expect(err.retryAfterMs).toBeGreaterThanOrEqual(100);
  });
});

describe('DiscordDelivery: each keyed post once, whatever the answer', () => {
  const POSTS = /^\/channels\/\d+\/messages$/;
  let n = 0;
  /** A channel of its own per test, so counts are that test's alone. */
  const freshChannel = () => {
    const id = String(210000000000000000n + BigInt(++n));
    fake.addChannel(id, `daily-${n}`);
    return { platform: 'discord' as const, channelId: id, workspaceId: fake.guildId };
  };
  const botPosts = (channelId: string) => fake.channelMessages(channelId).filter((m) => m.author.id === fake.botUser.id);
  const today = () => new Date().toISOString().slice(0, 10);
  const textOnly: Reply = { visibility: 'channel', blocks: [{ kind: 'heading', text: 'No new papers today.' }] };

  it.each([
    ['answers 502', { status: 502 }],
    ['drops the connection', { drop: true }],
  ])('Discord posts the message but %s: the post is found, not sent again', async (_what, outcome) => {
    const ch = freshChannel();
    fake.fail({ method: 'POST', path: POSTS, accept: true, times: 1, ...outcome });
    const posted = await delivery.post(ch, trendingPost, `sub-1 ${ch.channelId} 2026-11-23 daily`);
    expect(botPosts(ch.channelId).map((m) => m.id)).toEqual([posted.messageId]);
    expect(fake.postsPerChannelDay().get(`${ch.channelId} ${today()}`)).toBe(1);
    const [create] = fake.requestsTo(new RegExp(`^/channels/${ch.channelId}/messages$`), 'POST');
    expect(create!.accepted).toBe(true);
    expect(create!.body).toMatchObject({ nonce: nonceOf(`sub-1 ${ch.channelId} 2026-11-23 daily`), enforce_nonce: true });
  });

  it('with the nonce window already past, the search alone keeps an accepted post from going out twice', async () => {
    const ch = freshChannel();
    fake.nonceWindowMs = 0;
    try {
      fake.fail({ method: 'POST', path: POSTS, accept: true, status: 503, times: 1 });
      const posted = await delivery.post(ch, trendingPost, 'k-no-window');
      expect(botPosts(ch.channelId).map((m) => m.id)).toEqual([posted.messageId]);
    } finally {
      fake.nonceWindowMs = 5 * 60_000;
    }
  });

  it('a message Discord never made is sent again after the search finds nothing, and appears once', async () => {
    const ch = freshChannel();
    fake.fail({ method: 'POST', path: new RegExp(`^/channels/${ch.channelId}/messages$`), drop: true, times: 1 });
    const posted = await delivery.post(ch, trendingPost, 'k-never-made');
    expect(botPosts(ch.channelId).map((m) => m.id)).toEqual([posted.messageId]);
    expect(fake.requestsTo(new RegExp(`^/channels/${ch.channelId}/messages$`), 'GET')).toHaveLength(1);
  });

  it('carries its key unobtrusively: a "ref" at the end of the last footer, or a subtext line without embeds', async () => {
    const ch = freshChannel();
    const withEmbeds = fake.messages.get((await delivery.post(ch, trendingPost, 'k-embeds')).messageId)!;
    const footer = (withEmbeds.embeds as Json[]).at(-1)!.footer.text as string;
    expect(footer).toMatch(new RegExp(`^2405\\.14906 · .* · ref ${nonceOf('k-embeds')}$`));
    const plainText = fake.messages.get((await delivery.post(ch, textOnly, 'k-text')).messageId)!;
    expect(plainText.content).toBe(`**No new papers today.**\n-# ref ${nonceOf('k-text')}`);
  });

  it("a repeat within Discord's nonce window returns the first message, even from a restarted bot", async () => {
    const ch = freshChannel();
    const first = await delivery.post(ch, trendingPost, 'k-window');
    const again = await newDelivery().post(ch, trendingPost, 'k-window');
    expect(again.messageId).toBe(first.messageId);
    expect(botPosts(ch.channelId)).toHaveLength(1);
  });

  it('after the nonce window, a restarted bot finds the post in the channel by its marker', async () => {
    const ch = freshChannel();
    const since = new Date(Date.now() - 1000);
    const first = await delivery.post(ch, trendingPost, 'k-gap');
    // Other traffic after it: the search pages back past a full page of newer messages.
    for (let i = 0; i < 120; i++) await delivery.post(ch, textOnly);
    fake.nonceWindowMs = 0;
    try {
      const restarted = newDelivery();
      expect(await restarted.findPosted(ch, 'k-gap', since)).toEqual(first);
      expect(await restarted.findPosted(ch, 'k-other', since)).toBeUndefined();
      expect(await restarted.findPosted(ch, 'k-gap', new Date(Date.now() + 60_000))).toBeUndefined();
    } finally {
      fake.nonceWindowMs = 5 * 60_000;
    }
    const pages = fake.requestsTo(new RegExp(`^/channels/${ch.channelId}/messages$`), 'GET');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages[1]!.query.get('before')).toBeTruthy();
  });

  it('a thread cut short is completed by a restarted bot: every summary once, in order', async () => {
    const ch = freshChannel();
    const parent = await delivery.post(ch, trendingPost, 'k-thread');
    const summaries = [1, 2, 3].map((i): Reply => ({ visibility: 'channel', blocks: [{ kind: 'text', text: plain(`summary ${i}`) }] }));
    const threadPosts = new RegExp(`^/channels/${parent.messageId}/messages$`);
    // Summary 2 is posted but its answer is lost; summary 3 never gets through.
    fake.fail({ method: 'POST', path: threadPosts, accept: true, status: 502, times: 1 });
    await delivery.postInThread(ch, parent, 'Daily papers', summaries.slice(0, 1), 'k-thread');
    fake.fail({ method: 'POST', path: threadPosts, accept: true, status: 502, times: 1 });
    fake.fail({ method: 'POST', path: threadPosts, drop: true, times: 2 });
    await failure(delivery.postInThread(ch, parent, 'Daily papers', summaries, 'k-thread'));
    const text = () => fake.channelMessages(parent.messageId).map((m) => (m.embeds as Json[])[0]!.description);
    expect(text()).toEqual(['summary 1', 'summary 2']);

    // The restart comes after Discord's nonce window: only the thread's own messages tell what is there.
    fake.nonceWindowMs = 0;
    try {
      await newDelivery().postInThread(ch, parent, 'Daily papers', summaries, 'k-thread');
      expect(text()).toEqual(['summary 1', 'summary 2', 'summary 3']);
      await newDelivery().postInThread(ch, parent, 'Daily papers', summaries, 'k-thread');
      expect(text()).toEqual(['summary 1', 'summary 2', 'summary 3']);
    } finally {
      fake.nonceWindowMs = 5 * 60_000;
    }
    expect(fake.threads().filter((t) => t.id === parent.messageId)).toHaveLength(1);
  });
});

describe("the running bot's delivery", () => {
  it("is not the Client's retrying REST: a 502 on a scheduled post is one request, an accepted one stays one message", async () => {
    const h = await startHarness();
    try {
      const ch = { platform: 'discord' as const, channelId: h.fake.channelId, workspaceId: h.fake.guildId };
      const posts = () => h.fake.requestsTo(/^\/channels\/\d+\/messages$/, 'POST');
      h.fake.fail({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 502, times: 4 });
      expect((await failure(h.bot.delivery.post(ch, trendingPost))).failure).toBe('transient');
      expect(posts()).toHaveLength(1);
      h.fake.clearFaults();
      h.fake.nonceWindowMs = 0;
      h.fake.fail({ method: 'POST', path: /^\/channels\/\d+\/messages$/, accept: true, status: 502, times: 1 });
      const posted = await h.bot.delivery.post(ch, trendingPost, 'k-running-bot');
      expect(h.fake.channelMessages(h.fake.channelId).map((m) => m.id)).toEqual([posted.messageId]);
    } finally {
      await h.stop();
    }
  });
});

describe('the fake refuses what Discord refuses', () => {
  it('answers 400 Invalid Form Body for a payload over a limit, so end-to-end tests check limits too', async () => {
    const rest = deliveryRest(fake.token, { api: fake.apiUrl });
    const post = (body: Json) =>
      rest.post(`/channels/${fake.channelId}/messages`, { body }).then(
        () => 'posted',
        (e: { code?: number }) => e.code,
      );
    expect(await post({ content: 'x'.repeat(2000) })).toBe('posted');
    expect(await post({ content: 'x'.repeat(2001) })).toBe(50035);
    expect(await post({ embeds: [{ title: 'x'.repeat(257) }] })).toBe(50035);
    expect(await post({ embeds: Array.from({ length: 3 }, () => ({ description: 'x'.repeat(2001) })) })).toBe(50035);
    const button = (id: string) => ({ type: 2, style: 2, label: 'b', custom_id: id });
    expect(await post({ content: 'b', components: [{ type: 1, components: [button('a'), button('a')] }] })).toBe(50035);
    expect(await post({ content: 'b', components: [{ type: 1, components: [button('x'.repeat(101))] }] })).toBe(50035);
  });
});

describe('command registration', () => {
  it('npm run discord:register -- --guild <id> registers /paper with typed options in that server', async () => {
    const run = await register(['--guild', fake.guildId], { DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: '' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`Registered /paper for server ${fake.guildId}.\n`);
    const put = fake.requestsTo(new RegExp(`^/applications/${fake.applicationId}/guilds/${fake.guildId}/commands$`), 'PUT')[0]!;
    const [paper] = put.body as unknown as Json[];
    const sub = (name: string) => (paper!.options as Json[]).find((o) => o.name === name)!;
    expect((paper!.options as Json[]).map((o) => o.name)).toEqual([
      'find',
      'show',
      'trending',
      'summary',
      'like',
      'ask',
      'subscribe',
      'unsubscribe',
      'subscriptions',
      'watch',
      'unwatch',
      'watches',
      'save',
      'unsave',
      'saved',
      'export',
      'recommend',
      'taste',
      'help',
    ]);
    expect(sub('find').options).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'query', type: 3, required: true, autocomplete: true }),
        expect.objectContaining({ name: 'limit', type: 4, min_value: 1, max_value: 10 }),
      ]),
    );
    expect(sub('show').options[0]).toMatchObject({ name: 'id', required: true, autocomplete: true });
    expect(sub('trending').options[0].choices.map((c: Json) => c.value)).toEqual(['day', 'week', 'month']);
    expect(sub('ask').options[0]).toMatchObject({ name: 'question', type: 3, required: true });
  });

  it('registers globally without a guild', async () => {
    expect(await registerCommands({ token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl })).toEqual({ scope: 'every server (global)', names: ['paper'] });
    expect(fake.requestsTo(new RegExp(`^/applications/${fake.applicationId}/commands$`), 'PUT')).toHaveLength(1);
  });
});
