import type { AnswererOptions } from '../answer/answerer.js';
import type { Clock } from '../clock.js';
import type { PaperLibrary } from '../index/library.js';
import { askCommand } from './ask.js';
import type { Command } from './command.js';
import { findCommand } from './find.js';
import { likeCommand } from './like.js';
import { showCommand } from './show.js';
import { summaryCommand } from './summary.js';
import { trendingCommand } from './trending.js';

export interface CoreServices {
  library: PaperLibrary;
  clock: Clock;
  /** The optional LLM for `ask` (offline extractive answers without it). */
  ask?: AnswererOptions;
}

/** The search commands every platform offers (help is added by the router). */
export function coreCommands({ library, clock, ask }: CoreServices): Command[] {
  return [findCommand(library), showCommand(library), trendingCommand(library, clock), summaryCommand(library), likeCommand(library), askCommand(library, clock, ask)];
}
