import type { PaperLibrary } from '../index/library.js';
import type { Block } from '../model/reply.js';
import { plain } from '../model/reply.js';
import { tldr } from '../summary/tldr.js';
import { paperCard } from '../present/cards.js';
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
      const sentences = tldr(paper);
      const card = paperCard(paper, []);
      const blocks: Block[] = [
        // The thread (or the card it answers) names the paper: the heading does not repeat its title.
        { kind: 'heading', text: `TL;DR (${paper.id})` },
        {
          kind: 'text',
          text: plain(sentences.length > 0 ? sentences.map((s) => `• ${s.text}`).join('\n') : 'The digest has no abstract for this paper.'),
        },
        { kind: 'context', text: `Sentences quoted from the abstract. Read it: ${card.links.primary}` },
      ];
      return { visibility: 'channel', blocks, thread: { key: paper.id, title: paper.title } };
    },
  };
}
