import { Events, type Client, type MessageReaction, type PartialMessageReaction, type PartialUser, type User } from 'discord.js';
import type { AdapterDeps } from '../platform.js';
import type { Logger } from '../../logger.js';

/** Skin tones and the emoji variation selector: 👍🏽 is a 👍. */
const MODIFIERS = /[\u{1F3FB}-\u{1F3FF}\u{FE0F}]/gu;

/** 👍 is a like and 👎 a dislike; any other emoji says nothing about the paper. */
export function reactionKind(emoji: string | null): 'like' | 'dislike' | undefined {
  const bare = emoji?.replace(MODIFIERS, '');
  return bare === '👍' ? 'like' : bare === '👎' ? 'dislike' : undefined;
}

/**
 * 👍 and 👎 on the bot's posts become the channel's signals. The reaction may be on a message
 * posted long before this process started: with the Message, Channel, Reaction and User
 * partials discord.js still emits it, carrying only ids, and ids are all the store needs.
 */
export function listenForReactions(client: Client, deps: Pick<AdapterDeps, 'inFlight' | 'reactions'>, logger: Logger): void {
  const handle = (reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser, added: boolean) => {
    const kind = reactionKind(reaction.emoji.name);
    const guildId = reaction.message.guildId;
    // The bot's own reactions, and other bots', are not the channel's taste.
    if (!kind || !guildId || user.bot === true || user.id === client.user?.id) return;
    const event = { platform: 'discord' as const, workspaceId: guildId, channelId: reaction.message.channelId, messageId: reaction.message.id, userId: user.id, kind, added };
    void deps.inFlight.run(async () => {
      try {
        const outcome = deps.reactions(event);
        if (outcome.channel) logger.info({ message: event.messageId, user: event.userId, kind, added, changed: outcome.changed }, 'discord reaction recorded as a signal');
      } catch (err) {
        logger.error({ err, message: event.messageId }, 'discord reaction not recorded');
      }
    });
  };
  client.on(Events.MessageReactionAdd, (reaction, user) => handle(reaction, user, true));
  client.on(Events.MessageReactionRemove, (reaction, user) => handle(reaction, user, false));
}
