import type { Clock } from '../clock.js';
import type { PaperLibrary } from '../index/library.js';
import { tastePicks } from '../index/tastePicks.js';
import { plain, type Block, type Reply } from '../model/reply.js';
import { cardBlocks } from '../present/cards.js';
import { pickBlocks } from '../present/channelPicks.js';
import type { Store } from '../store/store.js';
import { humanDate, isoDay } from '../time/days.js';
import { channelOf } from './channelAccess.js';
import type { Command, CommandDeclaration } from './command.js';
import { boolOption, intOption } from './options.js';

export interface TasteServices {
  store: Store;
  library: PaperLibrary;
  clock: Clock;
}

export const RECOMMEND: CommandDeclaration = {
  name: 'recommend',
  aliases: ['foryou'],
  summary: 'Recent papers for this channel, ranked by its 👍, 👎 and saves, each with its reason.',
  examples: ['recommend', 'recommend --limit 3 --share'],
  options: [
    { name: 'limit', kind: 'integer', description: 'How many papers (1-10)', min: 1, max: 10, default: 5 },
    { name: 'share', kind: 'boolean', description: 'Post the picks for the whole channel' },
  ],
  visibility: 'ephemeral',
};

/** What fills in when the channel's signals give nothing to rank by. */
const FALLBACK_PERIOD = 'week';

export function recommendCommand({ store, library, clock }: TasteServices): Command {
  return {
    ...RECOMMEND,
    run(command, context) {
      const channel = channelOf(context);
      const visibility = boolOption(command, 'share') ? 'channel' : 'ephemeral';
      const limit = intOption(command, 'limit');
      const index = library.current();
      const today = isoDay(clock.now());
      const signals = store.signals.forChannel(channel);
      const result = tastePicks(index, signals, today, limit);
      if (result.picks.length > 0) {
        const basis = [`${result.liked} paper${result.liked === 1 ? '' : 's'} this channel liked or saved`];
        if (result.disliked > 0) basis.push(`away from ${result.disliked} it disliked`);
        const blocks: Block[] = [
          { kind: 'heading', text: `For this channel: ${result.picks.length} recent paper${result.picks.length === 1 ? '' : 's'}` },
          { kind: 'context', text: `From the digests of ${humanDate(result.from!)} – ${humanDate(result.to!)}, ranked by closeness to ${basis.join(', ')}.` },
          ...pickBlocks(result.picks),
        ];
        return { visibility, blocks };
      }
      const why =
        signals.length === 0
          ? 'No signals from this channel yet. React 👍 or 👎 to my paper posts, or press Save on a paper, and I will recommend recent papers like the ones you liked.'
          : result.liked === 0
            ? 'This channel has only disliked papers so far: give 👍 to a post you like, or save a paper, and I will recommend papers like it.'
            : 'No recent paper is close to what this channel liked.';
      return fallback(why, visibility, index, today, limit, new Set(signals.map((s) => s.paperId)));
    },
  };
}

/** The reason there are no picks, and the trending papers instead (leaving out those already signalled). */
function fallback(why: string, visibility: Reply['visibility'], index: ReturnType<PaperLibrary['current']>, today: string, limit: number, signalled: ReadonlySet<string>): Reply {
  const trending = index
    .trending(FALLBACK_PERIOD, today, limit + signalled.size)
    .hits.filter((h) => !signalled.has(h.paper.id))
    .slice(0, limit);
  const blocks: Block[] = [
    { kind: 'heading', text: 'No recommendations yet' },
    { kind: 'text', text: plain(why) },
  ];
  if (trending.length > 0) {
    blocks.push({ kind: 'context', text: `Meanwhile, trending this ${FALLBACK_PERIOD}:` });
    for (const hit of trending) blocks.push(...cardBlocks({ paper: hit.paper }));
  }
  return { visibility, blocks };
}
