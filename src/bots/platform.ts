import type { Clock } from '../clock.js';
import type { CommandRouter } from '../commands/router.js';
import type { ReactionSignals } from '../commands/signals.js';
import type { Suggestion, SuggestOptions } from '../commands/suggest.js';
import type { InFlight } from '../lifecycle/inFlight.js';
import type { StopPhase } from '../lifecycle/shutdown.js';
import type { Logger } from '../logger.js';
import type { Delivery, Platform } from '../model/delivery.js';

/** Autocomplete for paper options (ids, queries), without adapters touching the index. */
export type Suggest = (prefix: string, field: 'id' | 'query', options?: SuggestOptions) => Suggestion[];

/**
 * What every chat adapter is given, the same for each: the way into the commands and nothing of
 * the storage or index behind them. Each adapter also takes its own section of the config.
 */
export interface AdapterDeps {
  router: CommandRouter;
  suggest: Suggest;
  logger: Logger;
  clock: Clock;
  /** Answers being worked on; each event runs through it so a shutdown can finish them. */
  inFlight: InFlight;
  /** 👍/👎 on the bot's posts, recorded as the channel's signals. */
  reactions: ReactionSignals;
}

/** A chat platform as main.ts sees it: created by its factory, started and stopped the same way. */
export interface PlatformAdapter {
  readonly name: Platform;
  /** For the scheduler: posts into this platform's channels. */
  readonly delivery: Delivery;
  /** Where shutdown stops it (STOP_PHASES), and what that closes, for the shutdown log. */
  readonly stopsAt: { phase: StopPhase; what: string };
  /** Connects; a setup problem (refused token, taken port) rejects with a ConfigError to act on. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Connected to the platform right now (false while reconnecting); for the health endpoint. */
  connected(): boolean;
}
