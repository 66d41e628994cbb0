import { join } from 'node:path';
import { adapterDeps, createApp, type App } from './app.js';
import type { AdapterDeps, PlatformAdapter } from './bots/platform.js';
import { runConsole } from './bots/console/consoleBot.js';
import { ConsoleDelivery } from './bots/console/consoleDelivery.js';
import { systemClock } from './clock.js';
import { discordSettings, loadConfig, loadDotEnv, logLevelOr, slackSettings, type Config } from './config.js';
import { startHealthServer } from './health/healthServer.js';
import { healthReport, type HealthSources } from './health/healthReport.js';
import { createLogger } from './logger.js';
import { keepDigestsFresh } from './ingest/keepFresh.js';
import { Shutdown } from './lifecycle/shutdown.js';
import { PaperbotError } from './model/errors.js';
import { Scheduler } from './scheduler/scheduler.js';

/**
 * `npm start`: the platforms whose tokens are configured, or the local console chat when
 * none is, all over one shared index. SIGTERM and SIGINT stop it in order (src/lifecycle/shutdown.ts).
 */
async function main(): Promise<void> {
  const startedAt = systemClock.now();
  loadDotEnv();
  const config = loadConfig();
  // The console chat shares the terminal with its logs: unless asked, show only warnings there.
  const consoleOnly = !discordSettings(config) && !slackSettings(config);
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

  const adapters = await configuredAdapters(config, adapterDeps(app));
  // A platform that cannot start (bad token, unreachable API) ends the process with its message.
  await Promise.all(
    adapters.map(async (adapter) => {
      await adapter.start();
      shutdown.onStop(adapter.stopsAt.phase, adapter.stopsAt.what, () => adapter.stop());
    }),
  );
  // Daily posts and alerts go out through every running platform, or print into the console chat.
  const deliveries = consoleOnly ? [new ConsoleDelivery(process.stdout)] : adapters.map((a) => a.delivery);
  const platforms = consoleOnly ? [{ name: 'console', connected: () => true }] : adapters.map((a) => ({ name: a.name, connected: () => a.connected() }));
  // The scheduler judges what is due only once the start-up rebuild and fetch are in the index.
  const scheduler = new Scheduler({ store: app.store, library: app.library, clock: app.clock, deliveries, logger, indexCurrent: () => fresh?.current() ?? Promise.resolve() });
  scheduler.start();
  // Waits for a tick in progress: its posts go out before the platforms disconnect.
  shutdown.onStop('work', 'scheduler', () => scheduler.stop());
  await serveHealth(config.HEALTH_PORT, config.HEALTH_HOST, { startedAt, platforms, scheduler, app, shutdown });
  if (consoleOnly) await chatInTerminal(app, config, shutdown);
}

/**
 * The adapters whose settings are present, each from its factory over the same deps. Platform
 * libraries load only then: the console chat starts without them. Slack connects over Socket
 * Mode when SLACK_APP_TOKEN is set, else HTTP on SLACK_PORT (see README, "Run it on Slack").
 */
async function configuredAdapters(config: Config, deps: AdapterDeps): Promise<PlatformAdapter[]> {
  const adapters: PlatformAdapter[] = [];
  const discord = discordSettings(config);
  if (discord) adapters.push((await import('./bots/discord/discordBot.js')).createDiscordAdapter(deps, discord));
  const slack = slackSettings(config);
  if (slack) adapters.push((await import('./bots/slack/slackBot.js')).createSlackAdapter(deps, slack));
  return adapters;
}

/** The local chat on stdin/stdout; the process ends when it closes. */
async function chatInTerminal(app: App, config: Config, shutdown: Shutdown): Promise<void> {
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
