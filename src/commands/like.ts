import type { PaperLibrary } from '../index/library.js';
import type { Block } from '../model/reply.js';
import { plain } from '../model/reply.js';
import { cardBlocks } from './cards.js';
import type { Command } from './command.js';
import { resolvePaper } from './resolvePaper.js';

const USAGE = 'like <id>';

export function likeCommand(library: PaperLibrary): Command {
  return {
    name: 'like',
    aliases: ['similar', 'more'],
    usage: USAGE,
    summary: 'Papers closest to a given one ("More like this").',
    examples: ['like t-91e2b2567c'],
    run(command) {
      const index = library.current();
      const paper = resolvePaper(index, command.args, USAGE);
      const hits = index.moreLike(paper, 5);
      const blocks: Block[] = [{ kind: 'heading', text: `More like “${paper.title}”` }];
      if (hits.length === 0) blocks.push({ kind: 'text', text: plain('No other paper in the digests is close to this one.') });
      for (const hit of hits) blocks.push(...cardBlocks(hit));
      return { visibility: 'ephemeral', blocks };
    },
  };
}
