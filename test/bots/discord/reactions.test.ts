import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterDeps, createApp, type App } from '../../../src/app.js';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/bots/discord/discordBot.js';
import { discordSettings, loadConfig, type Config } from '../../../src/config.js';
import { Scheduler } from '../../../src/scheduler/scheduler.js';
import { FakeDiscord, type Json } from '../../fakes/discord/fakeDiscord.js';
import { fixedClock, SEEDS_DIR } from '../../helpers/seeds.js';
import { buttonsOf, capturingLogger, visibleText } from './harness.js';

/** One bot process: the app over DATA_DIR and a discord.js Client of its own, its cache empty at start. */
interface BotRun {
  app: App;
  bot: DiscordAdapter;
  logs: Json[];
  stop(): Promise<void>;
}

let fake: FakeDiscord;
let dataDir: string;
let config: Config;
let run: BotRun | undefined;
let post: Json;
let summaries: Json[];
const MANAGE_CHANNELS = 1n << 4n;
const ada = () => fake.user('300000000000000001', 'ada');
const grace = () => fake.user('300000000000000002', 'grace');

async function startRun(): Promise<BotRun> {
  const { logger, logs } = capturingLogger();
  const app = await createApp(config, fixedClock(), logger);
  const bot = createDiscordAdapter(adapterDeps(app), discordSettings(config)!);
  await bot.start();
  return {
    app,
    bot,
    logs,
    stop: async () => {
      await bot.stop();
      app.store.close();
    },
  };
}

const channel = () => ({ platform: 'discord' as const, workspaceId: fake.guildId, channelId: fake.channelId });
const taste = () => run!.app.store.signals.taste(channel());
const recorded = (n: number) => fake.waitFor(() => run!.logs.filter((l) => l.msg === 'discord reaction recorded as a signal').length >= n || undefined, `${n} reactions recorded`);
/** The paper a summary in the thread is about, as the bot recorded it when posting. */
const paperOf = (message: Json) => run!.app.store.postedPapers.papersOf('discord', fake.guildId, message.id)!.papers[0]!.paperId;
const reply = (token: string) =>
  fake.waitFor(() => {
    const m = fake.original(token);
    return m && !m.loading ? m : undefined;
  }, `the reply to ${token}`);

beforeAll(async () => {
  fake = await FakeDiscord.start();
  dataDir = mkdtempSync(join(tmpdir(), 'paperbot-reactions-'));
  config = loadConfig({ DIGESTS_DIR: SEEDS_DIR, DATA_DIR: dataDir, LOG_LEVEL: 'silent', DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl });
  // The first process posts the daily digest (3 papers, their summaries in a thread), then stops.
  const first = await startRun();
  first.app.store.subscriptions.upsert({ ...channel(), postTime: '11:59', timezone: 'UTC', topN: 3 }, new Date('2026-11-23T11:00:00Z'));
  const scheduler = new Scheduler({
    store: first.app.store,
    library: first.app.library,
    clock: first.app.clock,
    deliveries: [first.bot.delivery],
    logger: pino({ level: 'silent' }),
    instanceId: 'first',
  });
  expect((await scheduler.tick()).posted).toBe(1);
  await scheduler.stop();
  await first.stop();
  post = fake.channelMessages(fake.channelId)[0]!;
  summaries = fake.channelMessages(post.id);
  // A new process over the same DATA_DIR: its Client has never seen these messages.
  run = await startRun();
});
afterAll(async () => {
  await run?.stop();
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('👍 and 👎 on Discord', () => {
  it('asks Discord for reaction events', () => {
    expect(fake.intents & (1 << 10)).toBe(1 << 10);
  });

  it('a 👍 on the daily post from before the restart counts for each of its papers', async () => {
    expect(summaries).toHaveLength(3);
    const cached = run!.bot.client.channels.cache.get(fake.channelId);
    expect(cached?.isTextBased() && cached.messages.cache.has(post.id)).toBe(false);
    expect(fake.react(post.id, '👍', { user: ada() })).toBe(true);
    await recorded(1);
    expect(taste().map((t) => t.likes)).toEqual([1, 1, 1]);
  });

  it('the same member’s 👍 on a paper’s summary in the thread counts once; 👎🏽 on another is a dislike', async () => {
    fake.react(summaries[0]!.id, '👍', { user: ada() });
    fake.react(summaries[2]!.id, '👎🏽', { user: grace() });
    await recorded(3);
    const byId = new Map(taste().map((t) => [t.paperId, t]));
    expect(byId.get(paperOf(summaries[0]!))).toMatchObject({ likes: 1, dislikes: 0 });
    expect(byId.get(paperOf(summaries[2]!))).toMatchObject({ likes: 1, dislikes: 1 });
  });

  it('ignores the bot’s own reactions and emoji other than 👍 and 👎', async () => {
    fake.react(post.id, '👎', { user: fake.botUser });
    fake.react(post.id, '🎉', { user: grace() });
    // Gateway events arrive in order: once this one is recorded, the two before it were seen.
    fake.react(summaries[1]!.id, '👍', { user: grace() });
    await recorded(4);
    expect(taste().reduce((n, t) => n + t.dislikes, 0)).toBe(1);
  });

  it('removing the 👍 takes the signal back', async () => {
    fake.react(post.id, '👍', { user: ada(), remove: true });
    await recorded(5);
    expect(taste().reduce((n, t) => n + t.likes, 0)).toBe(1);
  });

  it('/paper taste and /paper recommend show what the reactions said', async () => {
    const shown = visibleText(await reply(fake.slashCommand('taste')));
    expect(shown).toContain('2 signals from 1 member on 2 papers.');
    const liked = run!.app.library.current().get(paperOf(summaries[1]!))!;
    expect(shown).toContain(`${liked.title.slice(0, 30)}`);
    const picks = visibleText(await reply(fake.slashCommand('recommend')));
    expect(picks).toContain('For this channel:');
    expect(picks).toContain(`Like “${liked.title.slice(0, 30)}`);
    expect(picks).toContain('👍 from 1 person');
  });

  it('/paper taste reset needs Manage Channels', async () => {
    const refused = visibleText(await reply(fake.slashCommand('taste', [{ name: 'action', type: 3, value: 'reset' }], { permissions: 0n })));
    expect(refused).toContain("only members with the Manage Channels or Manage Webhooks permission can clear this channel's taste");
    expect(taste()).toHaveLength(2);
    const done = visibleText(await reply(fake.slashCommand('taste', [{ name: 'action', type: 3, value: 'reset' }], { permissions: MANAGE_CHANNELS })));
    expect(done).toContain('Removed 2 signals.');
    expect(taste()).toEqual([]);
  });

  it('Save under a paper’s summary in the thread saves it to the member’s list, after a restart too', async () => {
    const summary = summaries[0]!;
    const save = buttonsOf(summary).find((b) => b.label === 'Save');
    expect(save, 'a Save button under the summary').toBeDefined();
    const shown = visibleText(await reply(fake.pressButton(summary.id, save!.custom_id as string)));
    const paper = run!.app.library.current().get(paperOf(summary))!;
    expect(shown).toContain(`Saved to your reading list: “${paper.title}”`);
  });
});
