import { createApp } from './app.js';
import { runConsole } from './bots/console/consoleBot.js';
import { ConsoleDelivery } from './bots/console/consoleDelivery.js';
import { systemClock } from './clock.js';
import { loadConfig, loadDotEnv } from './config.js';
import { createLogger } from './logger.js';
import { keepDigestsFresh } from './ingest/keepFresh.js';
import type { Delivery } from './model/delivery.js';
import { PaperbotError } from './model/errors.js';
import { Scheduler } from './scheduler/scheduler.js';

/**
 * `npm start`: the platforms whose tokens are configured, or the local console chat when
 * none is, all over one shared index.
 */
async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  // The console chat shares the terminal with its logs: unless asked, show only warnings there.
  const consoleOnly = !config.DISCORD_TOKEN && !config.SLACK_BOT_TOKEN;
  const logger = createLogger(consoleOnly && !process.env['LOG_LEVEL'] ? 'warn' : config.LOG_LEVEL);
  const app = await createApp(config, systemClock, logger);
  // New digest files and the daily Hugging Face fetch reach the index without a restart.
  const fresh = app.ingester ? keepDigestsFresh(config, app.ingester, systemClock, logger) : undefined;
  // The scheduler judges what is due only once the start-up rebuild and fetch are in the index.
  const indexCurrent = () => fresh?.current() ?? Promise.resolve();
  const platforms: Promise<{ delivery: Delivery }>[] = [];
  // Platform libraries load only when their token is set: the console chat starts without them.
  if (config.DISCORD_TOKEN) {
    const token = config.DISCORD_TOKEN;
    platforms.push(import('./bots/discord/discordBot.js').then(({ startDiscordBot }) => startDiscordBot({ app, token, apiUrl: config.DISCORD_API_URL })));
  }
  // Socket Mode when SLACK_APP_TOKEN is set, else HTTP on SLACK_PORT (see README, "Run it on Slack").
  if (config.SLACK_BOT_TOKEN) platforms.push(import('./bots/slack/slackBot.js').then(({ startSlack }) => startSlack(app)));

  if (platforms.length === 0) {
    // Daily posts and alerts of console subscriptions print into this chat.
    const scheduler = new Scheduler({ store: app.store, library: app.library, clock: systemClock, deliveries: [new ConsoleDelivery(process.stdout)], logger, indexCurrent });
    scheduler.start();
    await runConsole({
      router: app.router,
      input: process.stdin,
      output: process.stdout,
      color: process.stdout.isTTY === true && process.stdin.isTTY === true,
      banner: `paperbot: ${app.library.current().size} papers from ${config.DIGESTS_DIR}. Try: /paper find moe routing · /paper help · exit`,
    });
    await scheduler.stop();
    app.store.close();
    process.exit(0);
  }
  // A platform that cannot start (bad token, unreachable API) ends the process with its message.
  const started = await Promise.all(platforms);
  // Daily posts and alerts go out through every running platform's Delivery.
  new Scheduler({ store: app.store, library: app.library, clock: systemClock, deliveries: started.map((p) => p.delivery), logger, indexCurrent }).start();
}

main().catch((err: unknown) => {
  if (err instanceof PaperbotError) {
    process.stderr.write(`${err.userMessage}\n`);
  } else {
    process.stderr.write(`paperbot failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  }
  process.exit(1);
});
