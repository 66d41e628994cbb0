import { webApi } from '@slack/bolt';
import { REST } from 'discord.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DiscordDelivery } from '../../src/bots/discord/delivery.js';
import { SlackDelivery } from '../../src/bots/slack/delivery.js';
import { FixedClock } from '../../src/clock.js';
import { PaperLibrary } from '../../src/index/library.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import type { Delivery } from '../../src/model/delivery.js';
import type { Paper } from '../../src/model/paper.js';
import { Store } from '../../src/store/store.js';
import type { ChannelKey } from '../../src/store/types.js';
import { FakeDiscord } from '../fakes/discord/fakeDiscord.js';
import { BOT_TOKEN, FakeSlack } from '../fakes/slack/fakeSlack.js';
import { scheduler, tempDataDir } from './harness.js';

/** The same paper on three days under three id forms, posted through each adapter to its loopback fake. */
const TITLE = 'Sparse Mixture of Experts Routing for Long Context Inference';
const paper = (id: string, date: string, extra: Partial<Paper> = {}): Paper => ({
  id,
  title: TITLE,
  abstract: 'We route tokens.',
  authors: ['A. Author'],
  upvotes: 100,
  digests: [{ date, file: `${date}.json`, rank: 1 }],
  ...extra,
});
const other = (date: string): Paper => ({
  id: `2511.2${date.slice(8)}00`,
  arxivId: `2511.2${date.slice(8)}00`,
  title: `Another paper of ${date}`,
  abstract: 'Else.',
  authors: [],
  upvotes: 5,
  digests: [{ date, file: `${date}.json`, rank: 2 }],
});
const DAYS: Array<[string, Paper]> = [
  ['2026-11-23', paper('2511.05271', '2026-11-23', { arxivId: '2511.05271' })],
  ['2026-11-24', paper('2511.05271v2', '2026-11-24', { arxivId: '2511.05271v2' })],
  ['2026-11-25', paper('t-5f0c2a91', '2026-11-25')],
];

let discord: FakeDiscord;
let slack: FakeSlack;
beforeAll(async () => {
  [discord, slack] = await Promise.all([FakeDiscord.start(), FakeSlack.start()]);
});
afterAll(async () => {
  await Promise.all([discord?.close(), slack?.close()]);
});
let temp: ReturnType<typeof tempDataDir>;
let store: Store;
beforeEach(() => {
  temp = tempDataDir();
  store = Store.open(temp.file);
});
afterEach(() => {
  store.close();
  temp.cleanup();
});

/** Posts the three days; returns each day's message as the platform stored it (JSON). */
async function postThreeDays(channel: ChannelKey, delivery: () => Delivery, messages: () => Array<{ id: string; json: string }>): Promise<Array<{ id: string; json: string }>> {
  store.subscriptions.upsert({ ...channel, postTime: '09:00', timezone: 'Europe/Berlin', topN: 3 }, new Date('2026-11-22T00:00:00Z'));
  const library = new PaperLibrary(PaperIndex.build([DAYS[0]![1], other(DAYS[0]![0])]));
  const clock = new FixedClock(new Date('2026-11-23T08:00:00Z'));
  for (const [date, form] of DAYS) {
    library.swap(PaperIndex.build([form, other(date)]));
    clock.set(new Date(`${date}T08:00:00Z`));
    await scheduler(store, library, clock, [delivery()]).tick();
  }
  return messages();
}

describe('back again, through the fake platforms', () => {
  it('Discord: the paper is posted in full once; the later days link to that message', async () => {
    const channel: ChannelKey = { platform: 'discord', workspaceId: discord.guildId, channelId: discord.channelId };
    const delivery = () => new DiscordDelivery(new REST({ api: discord.apiUrl, retries: 0 }).setToken(discord.token));
    const posts = await postThreeDays(channel, delivery, () =>
      discord
        .channelMessages(discord.channelId)
        .filter((m) => m.author.id === discord.botUser.id)
        .map((m) => ({ id: m.id, json: JSON.stringify(m) })),
    );
    expect(posts).toHaveLength(3);
    const link = `https://discord.com/channels/${discord.guildId}/${discord.channelId}/${posts[0]!.id}`;
    expect(posts[0]!.json).toContain('huggingface.co/papers/2511.05271');
    for (const later of posts.slice(1)) {
      expect(later.json).toContain(`Back again: “${TITLE}”, posted here Nov 23, 2026: ${link}`);
      expect(later.json).not.toContain('huggingface.co/papers/2511.05271');
    }
  });

  it('Slack: the later days link to the first message by its permalink', async () => {
    const channel: ChannelKey = { platform: 'slack', workspaceId: 'T1', channelId: 'CBACK' };
    const delivery = () => new SlackDelivery(new webApi.WebClient(BOT_TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }));
    const posts = await postThreeDays(channel, delivery, () => slack.messages.filter((m) => m.channel === 'CBACK' && !m.thread_ts).map((m) => ({ id: m.ts, json: JSON.stringify(m) })));
    expect(posts).toHaveLength(3);
    const link = `https://fake.slack.test/archives/CBACK/p${posts[0]!.id.replace('.', '')}`;
    for (const later of posts.slice(1)) {
      expect(later.json).toContain('Back again');
      expect(later.json).toContain(link);
      expect(later.json).not.toContain('huggingface.co/papers/2511.05271');
    }
    // The link is asked for once and then remembered.
    expect(slack.calls.filter((c) => c.method === 'chat.getPermalink')).toHaveLength(1);
  });
});
