import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/store/store.js';
import { FakeDiscord } from '../fakes/discord/fakeDiscord.js';
import { BOT_TOKEN, FakeSlack, TEAM_ID } from '../fakes/slack/fakeSlack.js';
import { SEEDS_DIR } from '../helpers/seeds.js';
import { BotProcess, freePort } from './botProcess.js';

/** libfaketime (Debian package faketime) runs a bot with its clock moved on. */
export const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
export const SLACK_CHANNEL = 'CDAILY';

/**
 * The fake Discord and the fake Slack, one DATA_DIR, and the real bot processes started on
 * them one after another, as an operator restarts the service on the same data.
 */
export class E2eWorld {
  readonly runs: BotProcess[] = [];

  private constructor(
    readonly discord: FakeDiscord,
    readonly slack: FakeSlack,
    readonly dataDir: string,
  ) {}

  static async start(): Promise<E2eWorld> {
    return new E2eWorld(await FakeDiscord.start(), await FakeSlack.start(), mkdtempSync(join(tmpdir(), 'paperbot-e2e-')));
  }

  /** The Discord channel and the Slack channel subscribed by an operator, each day's post due a minute ago. */
  subscribeBoth(now: Date, topN: number): void {
    const store = Store.openInDataDir(this.dataDir);
    const postTime = new Date(now.getTime() - 60_000).toISOString().slice(11, 16);
    const since = new Date(now.getTime() - 3 * 60_000);
    store.subscriptions.upsert({ platform: 'discord', workspaceId: this.discord.guildId, channelId: this.discord.channelId, postTime, timezone: 'UTC', topN }, since);
    store.subscriptions.upsert({ platform: 'slack', workspaceId: TEAM_ID, channelId: SLACK_CHANNEL, postTime, timezone: 'UTC', topN }, since);
    store.close();
  }

  /** Starts the bot on both platforms (HTTP mode on Slack) and waits until both are connected. */
  async startBot(clockAhead?: string, env: Record<string, string> = {}): Promise<BotProcess> {
    const bot = new BotProcess({
      ...(clockAhead ? { LD_PRELOAD: FAKETIME_LIB, FAKETIME: clockAhead, FAKETIME_DONT_FAKE_MONOTONIC: '1' } : {}),
      DIGESTS_DIR: SEEDS_DIR,
      DATA_DIR: this.dataDir,
      LOG_LEVEL: 'info',
      DISCORD_TOKEN: this.discord.token,
      DISCORD_APPLICATION_ID: this.discord.applicationId,
      DISCORD_API_URL: this.discord.apiUrl,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: 'e2e-signing-secret',
      SLACK_PORT: String(await freePort()),
      SLACK_API_URL: this.slack.apiUrl,
      ...env,
    });
    this.runs.push(bot);
    await bot.waitForLog((l) => l.msg === 'discord bot ready', 'Discord to be ready');
    await bot.waitForLog((l) => l.msg.startsWith('slack listening'), 'Slack to be listening');
    return bot;
  }

  /** Waits until neither fake has received anything for `quietMs` (at most `ms`). */
  async settled(quietMs = 6000, ms = 120_000): Promise<void> {
    const end = Date.now() + ms;
    let last = -1;
    let since = Date.now();
    while (Date.now() < end) {
      const seen = this.discord.requests.length + this.slack.calls.length;
      if (seen !== last) [last, since] = [seen, Date.now()];
      else if (Date.now() - since >= quietMs) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The bot's top-level posts in the subscribed channels on `day` (UTC), as members see them. */
  postsOn(day: string): { discord: number; slack: number } {
    return {
      discord: this.discord.postsPerChannelDay().get(`${this.discord.channelId} ${day}`) ?? 0,
      slack: this.slack.postsPerChannelDay().get(`${SLACK_CHANNEL} ${day}`) ?? 0,
    };
  }

  /** Each run's log messages at info and above, oldest run first. */
  logMessages(): string[][] {
    return this.runs.map((bot) => bot.logs.filter((l) => l.level >= 30).map((l) => l.msg));
  }

  async close(): Promise<void> {
    for (const bot of this.runs) await bot.stop();
    await this.discord.close();
    await this.slack.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export async function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
