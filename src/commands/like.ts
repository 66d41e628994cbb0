import type { PaperLibrary } from '../index/library.js';
import type { Block } from '../model/reply.js';
import { plain } from '../model/reply.js';
import { cardBlocks } from '../present/cards.js';
import type { Command, CommandDeclaration } from './command.js';
import { PAPER_OPTION, usageText } from './options.js';
import { resolvePaper } from './resolvePaper.js';

export const LIKE: CommandDeclaration = {
  name: 'like',
  aliases: ['similar', 'more'],
  summary: 'Papers closest to a given one ("More like this").',
  examples: ['like t-91e2b2567c'],
  options: [{ ...PAPER_OPTION, required: true }],
  visibility: 'ephemeral',
};

export function likeCommand(library: PaperLibrary): Command {
  return {
    ...LIKE,
    run(command, context) {
      const index = library.current();
      const paper = resolvePaper(index, command.args, usageText(LIKE, context.platform));
      const hits = index.moreLike(paper, 5);
      const blocks: Block[] = [{ kind: 'heading', text: `More like “${paper.title}”` }];
      if (hits.length === 0) blocks.push({ kind: 'text', text: plain('No other paper in the digests is close to this one.') });
      for (const hit of hits) blocks.push(...cardBlocks(hit));
      return { visibility: 'ephemeral', blocks };
    },
  };
}
