import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { adapterDeps, createApp, type App } from '../../../src/app.js';
import { createSlackAdapter, type SlackAdapter, type SlackBotOptions } from '../../../src/bots/slack/slackBot.js';
import type { CommandContext, ParsedCommand } from '../../../src/commands/command.js';
import { loadConfig, slackSettings } from '../../../src/config.js';
import { APP_TOKEN, BOT_TOKEN, FakeSlack } from '../../fakes/slack/fakeSlack.js';
import { blockAction, formBody, interactionBody, slashCommand } from '../../fakes/slack/payloads.js';
import { signedPost } from '../../fakes/slack/signedRequest.js';
import { fixedClock, SEEDS_DIR } from '../../helpers/seeds.js';

export const SIGNING_SECRET = 'fake-signing-secret-0123456789';

export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

export interface Harness {
  fake: FakeSlack;
  app: App;
  bot: SlackAdapter;
  /** The bot's events URL (HTTP mode). */
  url: string;
  /** Every command text the adapter handed to the router, with its context. */
  routed: Array<{ input: string | ParsedCommand; context: CommandContext }>;
  logs: LogLine[];
  /** A signed `/paper <text>` from `channel`; returns its trigger id, to find the answer by. */
  slash(text: string, channel: string, user?: string): Promise<string>;
  /** A signed press of a button carrying `value`; returns its trigger id. */
  press(value: string, where: { channel: string; messageTs?: string }): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The real app over the real seeds, its Slack adapter on 127.0.0.1, and a fake Slack. Web API
 * retries are off so a 500 is answered at once; every log line is kept for assertions.
 */
export async function startHarness(options: { mode: 'http' | 'socket'; digestsDir?: string; env?: Record<string, string>; slack?: Partial<SlackBotOptions> }): Promise<Harness> {
  const fake = await FakeSlack.start();
  const logs: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  // Each harness has its own database and index snapshot, removed on stop.
  const dataDir = mkdtempSync(join(tmpdir(), 'paperbot-slack-data-'));
  const config = loadConfig({
    DIGESTS_DIR: options.digestsDir ?? SEEDS_DIR,
    DATA_DIR: dataDir,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: fake.apiUrl,
    ...(options.mode === 'socket' ? { SLACK_APP_TOKEN: APP_TOKEN } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    ...options.env,
  });
  const app = await createApp(config, fixedClock(), logger);
  const routed: Harness['routed'] = [];
  const handle = app.router.handle.bind(app.router);
  app.router.handle = (input, context) => {
    routed.push({ input, context });
    return handle(input, context);
  };
  const bot = createSlackAdapter(adapterDeps(app), slackSettings(config)!, { listen: { port: 0, host: '127.0.0.1' }, retryConfig: { retries: 0 }, ...options.slack });
  await bot.start();
  if (options.mode === 'socket') await fake.socketConnected();
  const url = `http://127.0.0.1:${bot.port ?? 0}/slack/events`;
  let sent = 0;
  return {
    fake,
    app,
    bot,
    url,
    routed,
    logs,
    async slash(text, channel, user) {
      const trigger = `slash-${++sent}`;
      await signedPost(url, formBody(slashCommand({ text, trigger, channel, responseUrl: fake.responseUrl(trigger), ...(user ? { user } : {}) })), { secret: SIGNING_SECRET });
      return trigger;
    },
    async press(value, where) {
      const trigger = `press-${++sent}`;
      await signedPost(url, interactionBody(blockAction({ value, trigger, responseUrl: fake.responseUrl(trigger), ...where })), { secret: SIGNING_SECRET });
      return trigger;
    },
    async stop() {
      await bot.stop();
      await fake.close();
      app.store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
