import type { Clock } from './clock.js';
import { isoDay } from './clock.js';
import type { Config } from './config.js';
import type { AnswererOptions } from './answer/answerer.js';
import { chatClientFromConfig } from './answer/llm/chatClient.js';
import { coreCommands } from './commands/index.js';
import { CommandRouter } from './commands/router.js';
import { suggestPapers, type SuggestOptions, type Suggestion } from './commands/suggest.js';
import { subscriptionCommands } from './commands/subscribe.js';
import { watchCommands } from './commands/watch.js';
import { PaperLibrary } from './index/library.js';
import { PaperIndex } from './index/paperIndex.js';
import type { Logger } from './logger.js';
import { formatIssue } from './model/paper.js';
import { loadDigests, type LoadResult } from './parser/loadDigests.js';
import { Store } from './store/store.js';

/** Everything an adapter needs, built once per process and shared by every adapter. */
export interface App {
  config: Config;
  logger: Logger;
  clock: Clock;
  library: PaperLibrary;
  router: CommandRouter;
  /** Autocomplete for paper options (ids, queries), without adapters touching the index. */
  suggest: (prefix: string, field: 'id' | 'query', options?: SuggestOptions) => Suggestion[];
  /** Subscriptions, watches and the post ledger (DATA_DIR/paperbot.sqlite); the scheduler reads it. */
  store: Store;
}

/** Parses the digests folder and builds the index; problems in the files are logged, not fatal. */
export async function loadLibrary(config: Config, clock: Clock, logger: Logger): Promise<{ library: PaperLibrary; load: LoadResult }> {
  const started = performance.now();
  const load = await loadDigests([config.DIGESTS_DIR], { today: isoDay(clock.now()), digestYear: config.DIGEST_YEAR });
  for (const issue of load.issues) {
    logger[issue.severity === 'error' ? 'warn' : 'debug']({ file: issue.file, line: issue.line }, formatIssue(issue));
  }
  const index = PaperIndex.build(load.papers, load.digests.map((d) => d.date));
  logger.info(
    { papers: index.size, digests: load.digests.length, problems: load.issues.filter((i) => i.severity === 'error').length, ms: Math.round(performance.now() - started) },
    `loaded ${index.size} papers from ${config.DIGESTS_DIR}`,
  );
  return { library: new PaperLibrary(index), load };
}

export async function createApp(config: Config, clock: Clock, logger: Logger): Promise<App> {
  // Opened first: a damaged or locked database stops start-up with a clear StoreError.
  const store = Store.openInDataDir(config.DATA_DIR);
  const { library } = await loadLibrary(config, clock, logger);
  const channelSettings = {
    store,
    clock,
    library,
    defaults: { postTime: config.DEFAULT_POST_TIME, timezone: config.DEFAULT_TIMEZONE },
    slackManagers: config.SLACK_SUBSCRIPTION_MANAGERS,
  };
  const router = new CommandRouter([...coreCommands({ library, clock, ask: askOptions(config, logger) }), ...subscriptionCommands(channelSettings), ...watchCommands(channelSettings)], logger);
  const suggest: App['suggest'] = (prefix, field, options) => suggestPapers(library, prefix, field, options);
  return { config, logger, clock, library, router, suggest, store };
}

/** `ask` answers offline unless LLM_BASE_URL, LLM_API_KEY and LLM_MODEL are all set. */
function askOptions(config: Config, logger: Logger): AnswererOptions {
  const llm = chatClientFromConfig(config);
  return llm ? { logger, llm } : { logger };
}
