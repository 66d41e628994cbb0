import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { adapterDeps, createApp } from '../../../src/app.js';
import { createDiscordAdapter } from '../../../src/bots/discord/discordBot.js';
import { discordSettings, loadConfig } from '../../../src/config.js';
import { ConfigError } from '../../../src/model/errors.js';
import { FakeDiscord } from '../../fakes/discord/fakeDiscord.js';
import { fixedClock, SEEDS_DIR } from '../../helpers/seeds.js';
import { capturingLogger } from './harness.js';

it('a token Discord refuses stops start-up with what to do about DISCORD_TOKEN', async () => {
  const fake = await FakeDiscord.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'paperbot-discord-login-'));
  const config = loadConfig({ DIGESTS_DIR: SEEDS_DIR, DATA_DIR: dataDir, DISCORD_TOKEN: 'not-the-token', DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl });
  const app = await createApp(config, fixedClock(), capturingLogger().logger);
  try {
    const err = await createDiscordAdapter(adapterDeps(app), discordSettings(config)!)
      .start()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).userMessage).toBe('Discord rejected DISCORD_TOKEN. Copy the bot token again from the Developer Portal (Bot → Reset Token).');
  } finally {
    await fake.close();
    app.store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
