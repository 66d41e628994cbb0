import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { adapterDeps, createApp, type App } from '../../../src/app.js';
import { createDiscordAdapter, type DiscordBotOptions } from '../../../src/bots/discord/discordBot.js';
import type { PlatformAdapter } from '../../../src/bots/platform.js';
import { discordSettings, loadConfig } from '../../../src/config.js';
import { FakeDiscord, type Json } from '../../fakes/discord/fakeDiscord.js';
import { fixedClock, SEEDS_DIR } from '../../helpers/seeds.js';

export interface Harness {
  fake: FakeDiscord;
  app: App;
  bot: PlatformAdapter;
  /** Every pino line the bot wrote, parsed. */
  logs: Json[];
  stop(): Promise<void>;
}

/** A pino logger whose lines tests can read. */
export function capturingLogger(): { logger: pino.Logger; logs: Json[] } {
  const logs: Json[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Json);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), logs };
}

/** The real App over the seed digests, and the real discord.js Client logged in to a fake Discord on 127.0.0.1. */
export async function startHarness(options: { app?: (app: App) => App; bot?: Partial<DiscordBotOptions>; heartbeatIntervalMs?: number } = {}): Promise<Harness> {
  const fake = await FakeDiscord.start({ heartbeatIntervalMs: options.heartbeatIntervalMs });
  const { logger, logs } = capturingLogger();
  const dataDir = mkdtempSync(join(tmpdir(), 'paperbot-discord-'));
  const config = loadConfig({ DIGESTS_DIR: SEEDS_DIR, DATA_DIR: dataDir, LOG_LEVEL: 'silent', DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl });
  const base = await createApp(config, fixedClock(), logger);
  const app = options.app ? options.app(base) : base;
  const bot = createDiscordAdapter(adapterDeps(app), discordSettings(config)!, options.bot);
  await bot.start();
  return {
    fake,
    app,
    bot,
    logs,
    async stop() {
      await bot.stop();
      await fake.close();
      base.store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Embed titles and descriptions of a message, for "what the user sees" assertions. */
export function visibleText(message: Json | undefined): string {
  if (!message) return '';
  const embeds = (message.embeds as Json[]).map((e) => [e.title, e.description, ...(e.fields ?? []).map((f: Json) => `${f.name} ${f.value}`), e.footer?.text].filter(Boolean).join('\n'));
  return [message.content, ...embeds].filter(Boolean).join('\n');
}

export function buttonsOf(message: Json | undefined): Json[] {
  return ((message?.components ?? []) as Json[]).flatMap((row) => row.components as Json[]);
}
