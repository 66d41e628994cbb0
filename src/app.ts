import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { AdapterDeps, Suggest } from './bots/platform.js';
import { askOptions, coreCommands } from './coreCommands.js';
import { readingListCommands } from './commands/readingList.js';
import { CommandRouter } from './commands/router.js';
import { suggestPapers } from './commands/suggest.js';
import { subscriptionCommands } from './commands/subscribe.js';
import { reactionSignals, type ReactionSignals } from './commands/signals.js';
import { tasteCommands } from './commands/taste.js';
import { watchCommands } from './commands/watch.js';
import type { PaperLibrary } from './index/library.js';
import type { Logger } from './logger.js';
import { Store } from './store/store.js';
import type { DigestIngester } from './ingest/ingester.js';
import { digestsDirProblem } from './ingest/digestsDirCheck.js';
import { InFlight } from './lifecycle/inFlight.js';
import { openLibrary, type OpenedLibrary, type OpenOptions } from './ingest/openLibrary.js';

/** Everything an adapter needs, built once per process and shared by every adapter. */
export interface App {
  config: Config;
  logger: Logger;
  clock: Clock;
  library: PaperLibrary;
  router: CommandRouter;
  /** Autocomplete for paper options (ids, queries), without adapters touching the index. */
  suggest: Suggest;
  /** Subscriptions, watches and the post ledger (DATA_DIR/paperbot.sqlite); the scheduler reads it. */
  store: Store;
  /** Keeps the index in step with DIGESTS_DIR (watcher, daily fetch); optional for hand-built apps in tests. */
  ingester?: DigestIngester;
  /** Answers being worked on; adapters run each event through it so shutdown can finish them. */
  inFlight: InFlight;
  /** 👍 and 👎 on the bot's paper posts, recorded as the channel's signals. */
  reactions: ReactionSignals;
}

/**
 * The index for DIGESTS_DIR: from the DATA_DIR snapshot when the digest files are unchanged,
 * else parsed and built (src/ingest/openLibrary.ts); problems in the files are logged, not fatal.
 */
export async function loadLibrary(config: Config, clock: Clock, logger: Logger, options: OpenOptions = {}): Promise<OpenedLibrary> {
  return openLibrary(config, clock, logger, options);
}

export async function createApp(config: Config, clock: Clock, logger: Logger): Promise<App> {
  // Checked first: a bot with no folder to read would start with 0 papers and say nothing.
  const folderProblem = await digestsDirProblem(config.DIGESTS_DIR, config.DATA_DIR);
  if (folderProblem) throw folderProblem;
  // Opened first: a damaged or locked database stops start-up with a clear StoreError.
  const store = Store.openInDataDir(config.DATA_DIR);
  // A long-running bot answers from a stale snapshot while it rebuilds; main.ts watches the folder.
  const { library, ingester } = await loadLibrary(config, clock, logger, { background: true });
  const channelSettings = {
    store,
    clock,
    library,
    defaults: { postTime: config.DEFAULT_POST_TIME, timezone: config.DEFAULT_TIMEZONE },
    slackManagers: config.SLACK_SUBSCRIPTION_MANAGERS,
  };
  const router = new CommandRouter(
    [
      ...coreCommands({ library, clock, ask: askOptions(config, logger) }),
      ...subscriptionCommands(channelSettings),
      ...watchCommands(channelSettings),
      ...readingListCommands({ store, library, clock }),
      ...tasteCommands({ store, library, clock, slackManagers: config.SLACK_SUBSCRIPTION_MANAGERS }),
    ],
    logger,
  );
  const suggest: App['suggest'] = (prefix, field, options) => suggestPapers(library, prefix, field, options);
  return { config, logger, clock, library, router, suggest, store, ingester, inFlight: new InFlight(), reactions: reactionSignals(store, clock) };
}

/** The part of the app a chat adapter may use: the router and its helpers, never the store or the index. */
export function adapterDeps(app: App): AdapterDeps {
  return { router: app.router, suggest: app.suggest, logger: app.logger, clock: app.clock, inFlight: app.inFlight, reactions: app.reactions };
}
