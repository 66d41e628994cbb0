import { join } from 'node:path';
import { createApp, type App } from './app.js';
import { runConsole } from './bots/console/consoleBot.js';
import { ConsoleDelivery } from './bots/console/consoleDelivery.js';
import { systemClock } from './clock.js';
import { loadConfig, loadDotEnv, logLevelOr } from './config.js';
import { startHealthServer } from './health/healthServer.js';
import { healthReport, type HealthSources } from './health/healthReport.js';
import { createLogger } from './logger.js';
import { keepDigestsFresh } from './ingest/keepFresh.js';
import { Shutdown } from './lifecycle/shutdown.js';
import type { Delivery } from './model/delivery.js';
import { PaperbotError } from './model/errors.js';
import { Scheduler } from './scheduler/scheduler.js';

interface Platform {
  name: string;
  delivery: Delivery;
  connected(): boolean;
}

/**
 * `npm start`: the platforms whose tokens are configured, or the local console chat when
 * none is, all over one shared index. SIGTERM and SIGINT stop it in order (src/lifecycle/shutdown.ts).
 */
async function main(): Promise<void> {
  const startedAt = systemClock.now();
  loadDotEnv();
  const config = loadConfig();
  // The console chat shares the terminal with its logs: unless asked, show only warnings there.
  const consoleOnly = !config.DISCORD_TOKEN && !config.SLACK_BOT_TOKEN;
  const logger = createLogger(consoleOnly ? logLevelOr('warn') : config.LOG_LEVEL);
  const shutdown = new Shutdown({ logger });
  shutdown.handleSignals();
  const app = await createApp(config, systemClock, logger);
  shutdown.onStop('intake', 'new events', () => app.inFlight.close());
  shutdown.onStop('work', 'answers in flight', () => app.inFlight.drained());
  shutdown.onStop('storage', 'database', () => app.store.close());
  // New digest files and the daily Hugging Face fetch reach the index without a restart.
  const fresh = app.ingester ? keepDigestsFresh(config, app.ingester, systemClock, logger) : undefined;
  if (fresh) shutdown.onStop('work', 'digest watcher and daily fetch', () => fresh.stop());
  // The scheduler judges what is due only once the start-up rebuild and fetch are in the index.
  const indexCurrent = () => fresh?.current() ?? Promise.resolve();
  const platforms: Promise<Platform>[] = [];
  // Platform libraries load only when their token is set: the console chat starts without them.
  if (config.DISCORD_TOKEN) {
    const token = config.DISCORD_TOKEN;
    const discord = import('./bots/discord/discordBot.js').then(({ startDiscordBot }) => startDiscordBot({ app, token, apiUrl: config.DISCORD_API_URL }));
    // Closed last: answers still being sent need the client's REST token, which destroying it clears.
    void discord.then((bot) => shutdown.onStop('disconnect', 'discord gateway', () => bot.stop()), () => undefined);
    platforms.push(discord.then((bot) => ({ name: 'discord', ...bot })));
  }
  // Socket Mode when SLACK_APP_TOKEN is set, else HTTP on SLACK_PORT (see README, "Run it on Slack").
  if (config.SLACK_BOT_TOKEN) {
    const slack = import('./bots/slack/slackBot.js').then(({ startSlack }) => startSlack(app));
    // Closed first: its stop closes only the receiver, and answers go out through the Web API client.
    void slack.then((bot) => shutdown.onStop('intake', 'slack receiver', () => bot.stop()), () => undefined);
    platforms.push(slack.then((bot) => ({ name: 'slack', ...bot })));
  }

  if (platforms.length === 0) {
    // Daily posts and alerts of console subscriptions print into this chat.
    const scheduler = startScheduler(app, [new ConsoleDelivery(process.stdout)], shutdown, indexCurrent);
    await serveHealth(config.HEALTH_PORT, config.HEALTH_HOST, { startedAt, platforms: [{ name: 'console', connected: () => true }], scheduler, app, shutdown });
    const quit = new AbortController();
    const chat = runConsole({
      router: app.router,
      input: process.stdin,
      output: process.stdout,
      color: process.stdout.isTTY === true && process.stdin.isTTY === true,
      banner: `paperbot: ${app.library.current().size} papers from ${config.DIGESTS_DIR}. Try: /paper find moe routing · /paper help · exit`,
      signal: quit.signal,
      filesDir: join(config.DATA_DIR, 'exports'),
    });
    shutdown.onStop('intake', 'console input', () => quit.abort());
    shutdown.onStop('work', 'console answer', () => chat);
    await chat;
    await shutdown.runAndExit('console closed');
    return;
  }
  // A platform that cannot start (bad token, unreachable API) ends the process with its message.
  const started = await Promise.all(platforms);
  // Daily posts and alerts go out through every running platform's Delivery.
  const scheduler = startScheduler(app, started.map((p) => p.delivery), shutdown, indexCurrent);
  await serveHealth(config.HEALTH_PORT, config.HEALTH_HOST, { startedAt, platforms: started.map((p) => ({ name: p.name, connected: () => p.connected() })), scheduler, app, shutdown });
}

function startScheduler(app: App, deliveries: Delivery[], shutdown: Shutdown, indexCurrent: () => Promise<void>): Scheduler {
  const scheduler = new Scheduler({ store: app.store, library: app.library, clock: app.clock, deliveries, logger: app.logger, indexCurrent });
  scheduler.start();
  // Waits for a tick in progress: its posts go out before the platforms disconnect.
  shutdown.onStop('work', 'scheduler', () => scheduler.stop());
  return scheduler;
}

/** GET /health on HEALTH_PORT, when set (src/health/). */
async function serveHealth(
  port: number | undefined,
  host: string,
  parts: { startedAt: Date; platforms: HealthSources['platforms']; scheduler: Scheduler; app: App; shutdown: Shutdown },
): Promise<void> {
  if (port === undefined) return;
  const { app, scheduler, shutdown } = parts;
  const sources: HealthSources = {
    clock: app.clock,
    startedAt: parts.startedAt,
    platforms: parts.platforms,
    papers: () => (app.library.ready ? app.library.current().size : undefined),
    lastIngestAt: () => app.ingester?.state().lastIngestAt,
    lastSchedulerTickAt: () => scheduler.lastTickAt,
    stopping: () => shutdown.stopping,
  };
  const server = await startHealthServer({ port, host, report: () => healthReport(sources), logger: app.logger });
  shutdown.onStop('disconnect', 'health endpoint', () => server.close());
}

main().catch((err: unknown) => {
  if (err instanceof PaperbotError) {
    process.stderr.write(`${err.userMessage}\n`);
  } else {
    process.stderr.write(`paperbot failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  }
  process.exit(1);
});
