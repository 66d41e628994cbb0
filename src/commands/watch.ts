import { NotFoundError, UsageError } from '../model/errors.js';
import type { PaperIndex } from '../index/paperIndex.js';
import { plain, type Block, type Reply } from '../model/reply.js';
import type { Watch } from '../store/types.js';
import { describeWatch, hasPositivePart, parseWatch } from '../index/watchMatch.js';
import { cardBlocks } from '../present/cards.js';
import { assertCanManage, channelOf, type ChannelSettingsServices } from './channelAccess.js';
import type { Command, CommandDeclaration } from './command.js';
import { exampleText, usageText } from './options.js';
import { commandText } from '../present/commandText.js';
import { countForm, plural } from '../text/plural.js';

export const WATCH: CommandDeclaration = {
  name: 'watch',
  summary: 'Post a short alert here when papers new to the library match these words.',
  examples: ['watch moe routing', 'watch author:"Tri Dao"', 'watch org:nvidia', 'watch diffusion -video'],
  options: [{ name: 'query', kind: 'text', positional: true, required: true, placeholder: 'words', description: 'e.g. moe routing, author:"Tri Dao", org:nvidia, diffusion -video', max: 200 }],
  visibility: 'channel',
  managesChannel: true,
};

export const UNWATCH: CommandDeclaration = {
  name: 'unwatch',
  summary: 'Stop a watch in this channel, by its words or its #id.',
  examples: ['unwatch moe routing', 'unwatch 3'],
  options: [{ name: 'query', kind: 'text', positional: true, required: true, placeholder: 'words|id', description: 'The watched query or its id', max: 200 }],
  visibility: 'channel',
  managesChannel: true,
};

export const WATCHES: CommandDeclaration = {
  name: 'watches',
  summary: "This channel's watches and their ids; with a watch, the papers it matches now.",
  examples: ['watches', 'watches #1'],
  options: [{ name: 'watch', kind: 'text', positional: true, placeholder: 'words|id', description: 'A watch (its words or #id): the papers it matches now', max: 200 }],
  visibility: 'ephemeral',
};
const MAX_QUERY = 100;
/** Enough for real topics, few enough that one digest cannot flood a channel with alerts. */
export const MAX_WATCHES = 20;

/** watch, unwatch and watches: alerts when a new digest brings papers on a topic. */
export function watchCommands(services: ChannelSettingsServices): Command[] {
  return [watchCommand(services), unwatchCommand(services), watchesCommand(services)];
}

function watchCommand({ store, clock, library, slackManagers }: ChannelSettingsServices): Command {
  return {
    ...WATCH,
    run(command, context) {
      const channel = channelOf(context);
      const subscriber = store.subscriptions.get(channel)?.subscribedBy;
      const watches = store.watches.forChannel(channel);
      assertCanManage(context, slackManagers, [subscriber, ...watches.map((w) => w.createdBy)], !store.subscriptions.get(channel) && watches.length === 0);
      const query = command.args.trim().replace(/\s+/g, ' ');
      if (query.length > MAX_QUERY) throw new UsageError(`A watch is a few words (at most ${MAX_QUERY} characters).`);
      if (!hasPositivePart(parseWatch(query))) {
        throw new UsageError(
          `“${query}” has no words I can search for${/(^|\s)-\S/.test(query) ? ' besides words to leave out' : ''}. Try a topic, an author or an organisation, e.g. \`watch moe routing\`, \`watch author:"Tri Dao"\`, \`watch diffusion -video\`.`,
        );
      }
      if (watches.length >= MAX_WATCHES && !store.watches.find(channel, query)) {
        throw new UsageError(`This channel already has ${MAX_WATCHES} watches. Remove one with \`${usageText(UNWATCH, context.platform)}\` (see \`/paper watches\`).`);
      }
      const { watch, created } = store.watches.add(channel, query, context.userId, clock.now());
      const resumed = store.pauses.resume(channel);
      const index = library.current();
      const matches = index.watchMatches(watch.query).total;
      const blocks: Block[] = [
        { kind: 'heading', text: created ? `Watching “${watch.query}” (#${watch.id})` : `Already watching “${watch.query}” (#${watch.id})` },
        {
          kind: 'text',
          text: plain(
            `When ${describeWatch(parseWatch(watch.query))} are new to the library, I post them here, whichever digest file brings them, and say which rule matched. A paper is never announced twice in this channel.`,
          ),
        },
        { kind: 'context', text: `${plural(matches, 'paper')} in the digests loaded now ${countForm(matches, 'matches', 'match')}; alerts are for new ones only.` },
      ];
      if (resumed) blocks.push({ kind: 'context', text: 'This channel was paused after a failed post; posting here again.' });
      if (matches > 0) blocks.push({ kind: 'actions', buttons: [{ label: 'Show current matches', command: matchesCommand(watch) }] });
      return { visibility: 'channel', blocks };
    },
  };
}

function unwatchCommand({ store, slackManagers }: ChannelSettingsServices): Command {
  return {
    ...UNWATCH,
    run(command, context) {
      const channel = channelOf(context);
      const wanted = command.args.trim();
      const watch = store.watches.find(channel, wanted);
      if (!watch) throw new NotFoundError(`This channel has no watch “${wanted}”. /paper watches lists them.`);
      assertCanManage(context, slackManagers, [store.subscriptions.get(channel)?.subscribedBy, watch.createdBy]);
      store.watches.delete(watch.id);
      return { visibility: 'channel', blocks: [{ kind: 'heading', text: `Stopped watching “${watch.query}” (#${watch.id})` }] };
    },
  };
}

/** Lists a watch's current matches: the same rule the alerts use, so the list is what the watch alerts on. */
export function matchesCommand(watch: Pick<Watch, 'id'>): string {
  return commandText('watches', `#${watch.id}`);
}

/** Matches shown at once; the count says how many there are in all. */
const SHOWN_MATCHES = 10;

function watchesCommand({ store, library }: ChannelSettingsServices): Command {
  return {
    ...WATCHES,
    run(command, context) {
      const channel = channelOf(context);
      const wanted = command.args.trim();
      if (wanted) {
        const watch = store.watches.find(channel, wanted);
        if (!watch) throw new NotFoundError(`This channel has no watch “${wanted}”. /paper watches lists them.`);
        return matchesReply(watch, library.current());
      }
      const watches = store.watches.forChannel(channel);
      if (watches.length === 0) {
        return {
          visibility: 'ephemeral',
          blocks: [
            { kind: 'heading', text: 'No watches here' },
            { kind: 'text', text: plain(`Add one with ${usageText(WATCH, context.platform)}, e.g. ${exampleText(WATCH, 'watch moe routing', context.platform)}.`) },
          ],
        };
      }
      return {
        visibility: 'ephemeral',
        blocks: [
          { kind: 'heading', text: `Watches in this channel (${watches.length})` },
          { kind: 'text', text: plain(watches.map((w) => `#${w.id}  ${w.query}`).join('\n')) },
          { kind: 'context', text: `Stop one with ${usageText(UNWATCH, context.platform)}; see what one matches with ${usageText(WATCHES, context.platform)}.` },
        ],
      };
    },
  };
}

/** The papers the watch matches in the library now, latest digest first. */
function matchesReply(watch: Watch, index: PaperIndex): Reply {
  const { total, latest: shown } = index.watchMatches(watch.query, SHOWN_MATCHES);
  const blocks: Block[] = [
    { kind: 'heading', text: `Papers matching “${watch.query}” (#${watch.id}): ${total}` },
    {
      kind: 'context',
      text:
        total === 0
          ? 'No paper in the library has all these words in its title or abstract yet; new ones will be posted here.'
          : `${total > shown.length ? `The ${shown.length} latest of ${total}. ` : ''}Each has every word in its title or abstract, the rule alerts use; new papers like these are posted here as they arrive.`,
    },
  ];
  for (const paper of shown) blocks.push(...cardBlocks({ paper }));
  return { visibility: 'ephemeral', blocks };
}
