import { execFile } from 'node:child_process';
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordDelivery } from '../../../src/bots/discord/delivery.js';
import { registerCommands } from '../../../src/bots/discord/slashCommands.js';
import { DeliveryError } from '../../../src/model/delivery.js';
import type { Reply } from '../../../src/model/reply.js';
import { plain } from '../../../src/model/reply.js';
import { FakeDiscord, type Json } from '../../fakes/discord/fakeDiscord.js';
import { ROOT } from '../../helpers/seeds.js';

let fake: FakeDiscord;
let delivery: DiscordDelivery;
beforeAll(async () => {
  fake = await FakeDiscord.start();
  delivery = new DiscordDelivery(new REST({ api: fake.apiUrl }).setToken(fake.token));
});
afterAll(() => fake?.close());

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
  const err = await promise.then(() => undefined, (e: unknown) => e);
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

  it('maps a 5xx that outlasts the retries to transient', async () => {
    fake.fail({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 502, times: 4 });
    const err = await failure(delivery.post(channel(), trendingPost));
    expect(err.failure).toBe('transient');
    expect(err.permanent).toBe(false);
  });

  it('waits out a 429 by default, and reports rate_limited with the wait when told not to queue', async () => {
    const rateLimited = { method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 429, headers: { 'retry-after': '0.1' }, body: { message: 'You are being rate limited.', retry_after: 0.1, global: false }, times: 1 };
    const before = fake.requestsTo(/^\/channels\/\d+\/messages$/, 'POST').length;
    fake.fail(rateLimited);
    await delivery.post(channel(), trendingPost);
    expect(fake.requestsTo(/^\/channels\/\d+\/messages$/, 'POST').slice(before).map((r) => r.status)).toEqual([429, 200]);

    const impatient = new DiscordDelivery(new REST({ api: fake.apiUrl, rejectOnRateLimit: () => true }).setToken(fake.token));
    fake.fail(rateLimited);
    const err = await failure(impatient.post(channel(), trendingPost));
    expect(err.failure).toBe('rate_limited');
    expect(err.retryAfterMs).toBeGreaterThanOrEqual(100);
  });
});

describe('the fake refuses what Discord refuses', () => {
  it('answers 400 Invalid Form Body for a payload over a limit, so end-to-end tests check limits too', async () => {
    const rest = new REST({ api: fake.apiUrl }).setToken(fake.token);
    const post = (body: Json) => rest.post(`/channels/${fake.channelId}/messages`, { body }).then(() => 'posted', (e: { code?: number }) => e.code);
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
    expect((paper!.options as Json[]).map((o) => o.name)).toEqual(['find', 'show', 'trending', 'summary', 'like', 'ask', 'subscribe', 'unsubscribe', 'subscriptions', 'watch', 'unwatch', 'watches', 'save', 'unsave', 'saved', 'export', 'help']);
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
