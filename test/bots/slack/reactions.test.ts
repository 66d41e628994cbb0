import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterDeps, createApp, type App } from '../../../src/app.js';
import { createSlackAdapter, type SlackAdapter } from '../../../src/bots/slack/slackBot.js';
import { loadConfig, slackSettings, type Config } from '../../../src/config.js';
import { Scheduler } from '../../../src/scheduler/scheduler.js';
import { BOT_TOKEN, BOT_USER_ID, FakeSlack, TEAM_ID, type StoredMessage } from '../../fakes/slack/fakeSlack.js';
import { formBody, reaction, slashCommand } from '../../fakes/slack/payloads.js';
import { signedPost } from '../../fakes/slack/signedRequest.js';
import { fixedClock, SEEDS_DIR } from '../../helpers/seeds.js';
import { captureLogger } from '../../scheduler/harness.js';
import { blocksOf, type SentBlocks } from './slackMessage.js';

const SECRET = 'fake-signing-secret-0123456789';
const CHANNEL = 'CTASTE1';

/** One bot process: the app over DATA_DIR and a Bolt App of its own on an HTTP port. */
interface BotRun {
  app: App;
  bot: SlackAdapter;
  lines: Array<{ msg: string; [k: string]: unknown }>;
  url: string;
  stop(): Promise<void>;
}

let fake: FakeSlack;
let dataDir: string;
let config: Config;
let run: BotRun | undefined;
let post: StoredMessage;
let summaries: StoredMessage[];
let sent = 0;

async function startRun(): Promise<BotRun> {
  const { logger, lines } = captureLogger();
  const app = await createApp(config, fixedClock(), logger);
  const bot = createSlackAdapter(adapterDeps(app), slackSettings(config)!, { listen: { port: 0, host: '127.0.0.1' }, retryConfig: { retries: 0 } });
  await bot.start();
  return {
    app,
    bot,
    lines,
    url: `http://127.0.0.1:${bot.port}/slack/events`,
    stop: async () => {
      await bot.stop();
      app.store.close();
    },
  };
}

const channel = { platform: 'slack' as const, workspaceId: TEAM_ID, channelId: CHANNEL };
const taste = () => run!.app.store.signals.taste(channel);
/** A signed Events API delivery of a reaction, as Slack posts it. */
const react = async (r: { reaction: string; ts: string; user?: string; removed?: boolean }, retryNum?: number) => {
  const body = JSON.stringify(reaction({ eventId: `Ev${++sent}`, channel: CHANNEL, ...r }));
  const res = await signedPost(run!.url, body, { secret: SECRET, contentType: 'application/json', ...(retryNum !== undefined ? { retryNum } : {}) });
  expect(res.status).toBe(200);
};
const recorded = (n: number) => fake.until(() => run!.lines.filter((l) => l.msg === 'slack reaction recorded as a signal').length >= n || undefined, `${n} reactions recorded`);
const slash = async (text: string, user = 'UALICE01') => {
  const trigger = `slash-${++sent}`;
  await signedPost(run!.url, formBody(slashCommand({ text, trigger, channel: CHANNEL, user, responseUrl: fake.responseUrl(trigger) })), { secret: SECRET });
  return JSON.stringify(blocksOf(await fake.until(() => fake.responsesTo(trigger)[0]?.body as SentBlocks | undefined, `the answer to ${text}`)));
};
const paperOf = (ts: string) => run!.app.store.postedPapers.papersOf('slack', TEAM_ID, ts, CHANNEL)!.papers[0]!.paperId;

beforeAll(async () => {
  fake = await FakeSlack.start();
  dataDir = mkdtempSync(join(tmpdir(), 'paperbot-slack-reactions-'));
  config = loadConfig({ DIGESTS_DIR: SEEDS_DIR, DATA_DIR: dataDir, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl, SLACK_SIGNING_SECRET: SECRET, SLACK_SUBSCRIPTION_MANAGERS: 'admins' });
  // The first process posts the daily digest (3 papers, their summaries in the thread), then stops.
  const first = await startRun();
  first.app.store.subscriptions.upsert({ ...channel, postTime: '11:59', timezone: 'UTC', topN: 3 }, new Date('2026-11-23T11:00:00Z'));
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
  post = fake.messages.find((m) => m.channel === CHANNEL && !m.thread_ts)!;
  summaries = fake.messages.filter((m) => m.channel === CHANNEL && m.thread_ts === post.ts);
  fake.users.set('UADMIN01', { is_admin: true });
  fake.users.set('UALICE01', {});
  // A new process over the same DATA_DIR.
  run = await startRun();
});
afterAll(async () => {
  await run?.stop();
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('👍 and 👎 on Slack', () => {
  it('a :+1: on the daily post from before the restart counts for each of its papers; Slack’s retry of it counts once', async () => {
    expect(summaries).toHaveLength(3);
    await react({ reaction: '+1', ts: post.ts });
    await react({ reaction: '+1', ts: post.ts }, 1);
    await recorded(2);
    expect(taste().map((t) => t.likes)).toEqual([1, 1, 1]);
  });

  it(':thumbsdown: with a skin tone on a summary in the thread is a dislike of that paper', async () => {
    await react({ reaction: 'thumbsdown::skin-tone-4', ts: summaries[2]!.ts, user: 'UGRACE01' });
    await recorded(3);
    expect(taste().find((t) => t.paperId === paperOf(summaries[2]!.ts))).toMatchObject({ likes: 1, dislikes: 1 });
  });

  it('ignores the bot’s own reactions, other emoji, and messages that carried no paper', async () => {
    await react({ reaction: '-1', ts: post.ts, user: BOT_USER_ID });
    await react({ reaction: 'tada', ts: post.ts, user: 'UGRACE01' });
    await react({ reaction: '+1', ts: '1690000000.000001', user: 'UGRACE01' });
    // Handled in order on one connection: once this one is recorded, those before it were seen.
    await react({ reaction: 'thumbsup', ts: summaries[1]!.ts, user: 'UGRACE01' });
    await recorded(4);
    expect(taste().reduce((n, t) => n + t.dislikes, 0)).toBe(1);
    expect(taste().reduce((n, t) => n + t.likes, 0)).toBe(4);
  });

  it('reaction_removed takes the signal back', async () => {
    await react({ reaction: '+1', ts: post.ts, removed: true });
    await recorded(5);
    expect(taste().reduce((n, t) => n + t.likes, 0)).toBe(1);
  });

  it('/paper taste and /paper recommend show what the reactions said', async () => {
    const liked = run!.app.library.current().get(paperOf(summaries[1]!.ts))!;
    const shown = await slash('taste');
    expect(shown).toContain('2 signals from 1 member on 2 papers.');
    expect(shown).toContain(liked.title.slice(0, 30));
    const picks = await slash('recommend');
    expect(picks).toContain(`Like “${liked.title.slice(0, 30)}`);
    expect(picks).toContain('👍 from 1 person');
  });

  it('/paper taste reset is for workspace admins', async () => {
    expect(await slash('taste reset')).toContain("only workspace admins can clear this channel's taste");
    expect(taste()).toHaveLength(2);
    expect(await slash('taste reset', 'UADMIN01')).toContain('Removed 2 signals.');
    expect(taste()).toEqual([]);
  });
});
