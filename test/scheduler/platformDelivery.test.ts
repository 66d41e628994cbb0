import { webApi } from '@slack/bolt';
import { REST } from 'discord.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DiscordDelivery } from '../../src/bots/discord/delivery.js';
import { SlackDelivery } from '../../src/bots/slack/delivery.js';
import { FixedClock } from '../../src/clock.js';
import { PaperLibrary } from '../../src/index/library.js';
import type { PaperIndex } from '../../src/index/paperIndex.js';
import { Store } from '../../src/store/store.js';
import { FakeDiscord } from '../fakes/discord/fakeDiscord.js';
import { BOT_TOKEN, FakeSlack } from '../fakes/slack/fakeSlack.js';
import { seedIndex } from '../helpers/seeds.js';
import { scheduler, tempDataDir } from './harness.js';

/** The daily post end to end: store → scheduler → each adapter's Delivery → the loopback fake platform. */
let index: PaperIndex;
let discord: FakeDiscord;
let slack: FakeSlack;
beforeAll(async () => {
  [index, discord, slack] = await Promise.all([seedIndex(), FakeDiscord.start(), FakeSlack.start()]);
});
afterAll(async () => {
  await Promise.all([discord?.close(), slack?.close()]);
});
let temp: ReturnType<typeof tempDataDir>;
let store: Store;
const clock = new FixedClock(new Date('2026-11-23T08:00:00Z'));
beforeEach(() => {
  temp = tempDataDir();
  store = Store.open(temp.file);
});
afterEach(() => {
  store.close();
  temp.cleanup();
});
const subscribeAt9 = (platform: 'discord' | 'slack', workspaceId: string, channelId: string) =>
  store.subscriptions.upsert({ platform, workspaceId, channelId, postTime: '09:00', timezone: 'Europe/Berlin', topN: 3 }, new Date('2026-11-22T00:00:00Z'));
const topTitles = () => index.trending('day', '2026-11-23', 3).hits.map((h) => h.paper.title);

describe('daily post through the fake Discord', () => {
  const delivery = () => new DiscordDelivery(new REST({ api: discord.apiUrl, retries: 0 }).setToken(discord.token));

  it('posts the header and papers in the channel and the summaries in a thread under it', async () => {
    subscribeAt9('discord', discord.guildId, discord.channelId);
    await scheduler(store, new PaperLibrary(index), clock, [delivery()]).tick();
    const posted = discord.channelMessages(discord.channelId);
    expect(posted).toHaveLength(1);
    const seen = JSON.stringify(posted[0]);
    expect(seen).toContain('Trending papers of Dec 10, 2025');
    for (const title of topTitles()) expect(seen).toContain(title.slice(0, 40));
    const thread = discord.threads().find((t) => discord.channelMessages(t.id).length > 0)!;
    expect(thread.name).toMatch(/^Summaries: Dec 10, 2025/);
    expect(discord.channelMessages(thread.id)).toHaveLength(3);
  });

  it('pauses a channel Discord says is unknown', async () => {
    subscribeAt9('discord', discord.guildId, '299999999999999999');
    await scheduler(store, new PaperLibrary(index), clock, [delivery()]).tick();
    expect(store.pauses.get({ platform: 'discord', workspaceId: discord.guildId, channelId: '299999999999999999' })?.reason).toMatch(/^gone/);
    expect(discord.channelMessages('299999999999999999')).toHaveLength(0);
  });
});

describe('daily post through the fake Slack', () => {
  const delivery = () => new SlackDelivery(new webApi.WebClient(BOT_TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }));

  it('posts in the channel and the summaries as thread replies', async () => {
    subscribeAt9('slack', 'T1', 'CPAPERS');
    await scheduler(store, new PaperLibrary(index), clock, [delivery()]).tick();
    const parent = slack.messages.find((m) => m.channel === 'CPAPERS' && !m.thread_ts)!;
    expect(JSON.stringify(parent)).toContain('Trending papers of Dec 10, 2025');
    const replies = slack.messages.filter((m) => m.channel === 'CPAPERS' && m.thread_ts === parent.ts);
    expect(replies).toHaveLength(3);
    for (const [i, title] of topTitles().entries()) expect(JSON.stringify(replies[i])).toContain(title.slice(0, 40));
  });

  it('pauses a channel the bot was removed from', async () => {
    slack.failNext('chat.postMessage', { error: 'not_in_channel' });
    subscribeAt9('slack', 'T1', 'CKICKED');
    await scheduler(store, new PaperLibrary(index), clock, [delivery()]).tick();
    expect(store.pauses.get({ platform: 'slack', workspaceId: 'T1', channelId: 'CKICKED' })?.reason).toMatch(/^forbidden: I am not a member of this channel/);
  });
});
