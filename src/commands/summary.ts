import type { PaperLibrary } from '../index/library.js';
import { tldrBlocks } from '../present/tldrBlocks.js';
import type { Command, CommandDeclaration } from './command.js';
import { PAPER_OPTION, usageText } from './options.js';
import { resolvePaper } from './resolvePaper.js';

/** The id may be left out inside a paper's thread: the thread's paper is meant. */
export const SUMMARY: CommandDeclaration = {
  name: 'summary',
  aliases: ['tldr', 's'],
  summary: 'A TL;DR: the two or three key sentences of the abstract, posted in a thread.',
  examples: ['summary t-91e2b2567c'],
  options: [PAPER_OPTION],
  visibility: 'channel',
};

export function summaryCommand(library: PaperLibrary): Command {
  return {
    ...SUMMARY,
    run(command, context) {
      const wanted = command.args.trim() || context.threadPaperId || '';
      const paper = resolvePaper(library.current(), wanted, usageText(SUMMARY, context.platform));
      // The thread (or the card it answers) names the paper: the heading does not repeat its title.
      const blocks = tldrBlocks(paper, `TL;DR (${paper.id})`);
      return { visibility: 'channel', blocks, thread: { key: paper.id, title: paper.title } };
    },
  };
}
