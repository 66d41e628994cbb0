import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adapterDeps, createApp, type App } from '../../../src/app.js';
import { createSlackAdapter } from '../../../src/bots/slack/slackBot.js';
import { loadConfig, slackSettings } from '../../../src/config.js';
import { silentLogger } from '../../../src/logger.js';
import { ConfigError } from '../../../src/model/errors.js';
import { BOT_TOKEN, FakeSlack } from '../../fakes/slack/fakeSlack.js';
import { fixedClock, SEEDS_DIR } from '../../helpers/seeds.js';

let fake: FakeSlack;
let dataDir: string;
const apps: App[] = [];
beforeAll(async () => {
  fake = await FakeSlack.start();
  dataDir = mkdtempSync(join(tmpdir(), 'paperbot-slack-start-'));
});
afterAll(async () => {
  for (const a of apps) a.store.close();
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function app(env: Record<string, string>): Promise<App> {
  const a = await createApp(loadConfig({ DIGESTS_DIR: SEEDS_DIR, DATA_DIR: join(dataDir, String(apps.length)), SLACK_API_URL: fake.apiUrl, ...env }), fixedClock(), silentLogger);
  apps.push(a);
  return a;
}

async function startError(a: App, listen?: { port: number; host: string }): Promise<ConfigError> {
  const bot = createSlackAdapter(adapterDeps(a), slackSettings(a.config)!, { retryConfig: { retries: 0 }, ...(listen ? { listen } : {}) });
  const err = await bot.start().then(
    async () => {
      await bot.stop();
      throw new Error('started');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

it('a bot token Slack refuses stops start-up with a message naming the variable', async () => {
  const err = await startError(await app({ SLACK_BOT_TOKEN: 'xoxb-wrong', SLACK_SIGNING_SECRET: 's' }));
  expect(err.userMessage).toBe('Slack did not accept SLACK_BOT_TOKEN (invalid_auth). Check the token in .env.');
});

it('an app token Slack refuses stops Socket Mode start-up with a message naming the variable', async () => {
  const err = await startError(await app({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-wrong' }));
  expect(err.userMessage).toMatch(/^Slack did not accept SLACK_APP_TOKEN \(invalid_auth\)/);
});

it('a taken SLACK_PORT is reported as such', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as AddressInfo).port;
  try {
    const err = await startError(await app({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: 's' }), { port, host: '127.0.0.1' });
    expect(err.userMessage).toBe(`SLACK_PORT ${port} is already in use. Stop the other process or pick another port.`);
  } finally {
    blocker.close();
  }
});
