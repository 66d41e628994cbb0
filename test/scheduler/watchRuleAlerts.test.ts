import { join } from 'node:path';
import { webApi } from '@slack/bolt';
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordDelivery } from '../../src/bots/discord/delivery.js';
import { SlackDelivery } from '../../src/bots/slack/delivery.js';
import { FixedClock } from '../../src/clock.js';
import { PaperLibrary } from '../../src/index/library.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import { loadDigests } from '../../src/parser/loadDigests.js';
import { visibleText } from '../bots/discord/harness.js';
import { FakeDiscord } from '../fakes/discord/fakeDiscord.js';
import { BOT_TOKEN, FakeSlack } from '../fakes/slack/fakeSlack.js';
import { RAW_DIR, SEEDS_DIR, TODAY, seedIndex } from '../helpers/seeds.js';
import { scheduler, useTempStores } from './harness.js';

/** Author, organisation and negative-word watches end to end: store → scheduler → Delivery → fake platform. */
const NEW_DIGEST = '2026-08-21'; // a real HF API day the seeds do not contain
const FORGE_WM = '2608.14022'; // "ForgeWM: … Video World Models" by Xinye Li et al., organisation ForgeWM

let seeds: PaperIndex;
let withNewDay: PaperIndex;
let discord: FakeDiscord;
let slack: FakeSlack;
beforeAll(async () => {
  [seeds, discord, slack] = await Promise.all([seedIndex(), FakeDiscord.start(), FakeSlack.start()]);
  const load = await loadDigests([SEEDS_DIR, join(RAW_DIR, `${NEW_DIGEST}.json`)], { today: TODAY });
  withNewDay = PaperIndex.build(
    load.papers,
    load.digests.map((d) => d.date),
  );
});
afterAll(async () => {
  await Promise.all([discord?.close(), slack?.close()]);
});
const { open } = useTempStores();

describe('watch rules through the fake platforms', () => {
  it('each alert says which rule matched; a negative word keeps a paper out', async () => {
    expect(withNewDay.get(FORGE_WM)?.title).toMatch(/Video World Models/);
    const clock = new FixedClock(new Date(`${TODAY}T12:00:00Z`));
    const store = open();
    const library = new PaperLibrary(seeds);
    const deliveries = [
      new DiscordDelivery(new REST({ api: discord.apiUrl, retries: 0 }).setToken(discord.token)),
      new SlackDelivery(new webApi.WebClient(BOT_TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } })),
    ];
    const s = scheduler(store, library, clock, deliveries);
    await s.tick(); // the loaded digests are the baseline
    const onDiscord = { platform: 'discord' as const, workspaceId: discord.guildId, channelId: discord.channelId };
    store.watches.add(onDiscord, 'author:"xinye li"', 'u1', clock.now());
    store.watches.add({ platform: 'slack', workspaceId: 'T1', channelId: 'CORG' }, 'org:forgewm', 'u1', clock.now());
    store.watches.add({ platform: 'slack', workspaceId: 'T1', channelId: 'CALL' }, 'world model', 'u1', clock.now());
    store.watches.add({ platform: 'slack', workspaceId: 'T1', channelId: 'CMUTE' }, 'world model -video', 'u1', clock.now());

    library.swap(withNewDay);
    await s.tick();

    const [onDiscordPost] = discord.channelMessages(discord.channelId);
    expect(onDiscordPost).toBeDefined();
    const discordText = visibleText(onDiscordPost);
    expect(discordText).toContain(FORGE_WM);
    // A context line under a card is an embed field: "Matched" above "by Xinye Li".
    expect(discordText).toContain('Matched by Xinye Li');
    const [org] = slack.messages.filter((m) => m.channel === 'CORG');
    expect(JSON.stringify(org)).toContain(FORGE_WM);
    expect(JSON.stringify(org)).toContain('Matched: from ForgeWM');
    // The same words without the negative alert ForgeWM; with `-video` it stays out, the others still come.
    const all = JSON.stringify(slack.messages.filter((m) => m.channel === 'CALL'));
    const muted = JSON.stringify(slack.messages.filter((m) => m.channel === 'CMUTE'));
    expect(all).toContain(FORGE_WM);
    expect(muted).toContain('Matched: has “world model” · without “video”');
    expect(muted).not.toContain(FORGE_WM);
  });
});
