import type { Clock } from '../clock.js';
import { isoDay } from '../clock.js';
import type { PaperLibrary } from '../index/library.js';
import { TRENDING_PERIODS, type TrendingPeriod } from '../index/trending.js';
import { UsageError } from '../model/errors.js';
import type { Block } from '../model/reply.js';
import { plain } from '../model/reply.js';
import { cardBlocks, humanDate } from './cards.js';
import type { Command } from './command.js';
import { intFlag } from './options.js';

const USAGE = 'trending [day|week|month] [--limit 1-10]';

export function trendingCommand(library: PaperLibrary, clock: Clock): Command {
  return {
    name: 'trending',
    aliases: ['top', 't'],
    usage: USAGE,
    summary: 'The most upvoted papers of the latest digest day, week or month.',
    examples: ['trending', 'trending week', 'trending month --limit 10'],
    run(command) {
      const word = (command.args.trim().toLowerCase() || 'day') as TrendingPeriod;
      if (!TRENDING_PERIODS.includes(word)) throw new UsageError(`Period must be day, week or month (got “${command.args.trim()}”). Usage: \`${USAGE}\`.`);
      const limit = intFlag(command, 'limit', 5, 1, 10);
      const today = isoDay(clock.now());
      const result = library.current().trending(word, today, limit);
      if (!result.anchor || result.hits.length === 0) {
        return { visibility: 'ephemeral', blocks: [{ kind: 'heading', text: 'Nothing trending yet' }, { kind: 'text', text: plain('No digest has been loaded up to today.') }] };
      }
      const span = word === 'day' ? humanDate(result.anchor) : `${humanDate(result.from!)} – ${humanDate(result.anchor)}`;
      const blocks: Block[] = [{ kind: 'heading', text: `Trending ${word === 'day' ? 'today' : `this ${word}`}: ${span}` }];
      if (result.anchor < today) blocks.push({ kind: 'context', text: `Latest digest is from ${humanDate(result.anchor)}.` });
      for (const hit of result.hits) blocks.push(...cardBlocks({ paper: hit.paper }));
      return { visibility: 'channel', blocks };
    },
  };
}
