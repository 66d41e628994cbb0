import type { Clock } from '../clock.js';
import type { PaperLibrary } from '../index/library.js';
import { TRENDING_PERIODS, type TrendingPeriod } from '../index/trending.js';
import type { Block } from '../model/reply.js';
import { plain } from '../model/reply.js';
import { cardBlocks } from '../present/cards.js';
import type { Command, CommandDeclaration } from './command.js';
import { intOption } from './options.js';
import { humanDate, isoDay } from '../time/days.js';

export const TRENDING: CommandDeclaration = {
  name: 'trending',
  aliases: ['top', 't'],
  summary: 'The most upvoted papers of the latest digest day, week or month.',
  examples: ['trending', 'trending week', 'trending month --limit 10'],
  options: [
    { name: 'period', kind: 'text', positional: true, choices: TRENDING_PERIODS, description: 'Which period (default: day)' },
    { name: 'limit', kind: 'integer', description: 'How many papers (1-10)', min: 1, max: 10, cliMax: 100, default: 5 },
  ],
  visibility: 'channel',
};

export function trendingCommand(library: PaperLibrary, clock: Clock): Command {
  return {
    ...TRENDING,
    run(command) {
      // The router has checked the period against the declared choices.
      const word = command.args as TrendingPeriod;
      const limit = intOption(command, 'limit');
      const today = isoDay(clock.now());
      const result = library.current().trending(word, today, limit);
      if (!result.anchor || result.hits.length === 0) {
        return {
          visibility: 'ephemeral',
          blocks: [
            { kind: 'heading', text: 'Nothing trending yet' },
            { kind: 'text', text: plain('No digest has been loaded up to today.') },
          ],
        };
      }
      const span = word === 'day' ? humanDate(result.anchor) : `${humanDate(result.from!)} – ${humanDate(result.anchor)}`;
      const blocks: Block[] = [{ kind: 'heading', text: `Trending ${word === 'day' ? 'today' : `this ${word}`}: ${span}` }];
      if (result.anchor < today) blocks.push({ kind: 'context', text: `Latest digest is from ${humanDate(result.anchor)}.` });
      for (const hit of result.hits) blocks.push(...cardBlocks({ paper: hit.paper, score: hit.score }));
      return { visibility: 'channel', blocks };
    },
  };
}
