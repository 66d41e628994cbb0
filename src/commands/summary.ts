import type { PaperLibrary } from '../index/library.js';
import type { Block } from '../model/reply.js';
import { plain } from '../model/reply.js';
import { tldr } from '../summary/tldr.js';
import { paperCard } from './cards.js';
import type { Command } from './command.js';
import { resolvePaper } from './resolvePaper.js';

const USAGE = 'summary <id>';

export function summaryCommand(library: PaperLibrary): Command {
  return {
    name: 'summary',
    aliases: ['tldr', 's'],
    usage: USAGE,
    summary: 'A TL;DR: the two or three key sentences of the abstract, posted in a thread.',
    examples: ['summary t-91e2b2567c'],
    run(command, context) {
      const wanted = command.args.trim() || context.threadPaperId || '';
      const paper = resolvePaper(library.current(), wanted, USAGE);
      const sentences = tldr(paper);
      const card = paperCard(paper, []);
      const blocks: Block[] = [
        { kind: 'heading', text: `TL;DR: ${paper.title}` },
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
