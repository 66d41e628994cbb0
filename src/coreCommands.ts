import type { AnswererOptions } from './answer/answerer.js';
import { chatClientFromConfig } from './answer/llm/chatClient.js';
import { replyAnswerer } from './answer/replyAnswerer.js';
import type { Clock } from './clock.js';
import { askCommand } from './commands/ask.js';
import type { Command } from './commands/command.js';
import { findCommand } from './commands/find.js';
import { likeCommand } from './commands/like.js';
import { showCommand } from './commands/show.js';
import { summaryCommand } from './commands/summary.js';
import { trendingCommand } from './commands/trending.js';
import type { Config } from './config.js';
import type { PaperLibrary } from './index/library.js';
import type { Logger } from './logger.js';

export interface CoreServices {
  library: PaperLibrary;
  clock: Clock;
  /** The optional LLM for `ask` (offline extractive answers without it). */
  ask?: AnswererOptions;
}

/** The search commands every platform offers (help is added by the router). */
export function coreCommands({ library, clock, ask }: CoreServices): Command[] {
  return [findCommand(library), showCommand(library), trendingCommand(library, clock), summaryCommand(library), likeCommand(library), askCommand(replyAnswerer(library, clock, ask))];
}

/** `ask` answers offline unless LLM_BASE_URL, LLM_API_KEY and LLM_MODEL are all set. */
export function askOptions(config: Config, logger: Logger): AnswererOptions {
  const llm = chatClientFromConfig(config);
  return llm ? { logger, llm } : { logger };
}
