import type { Clock } from '../clock.js';
import type { Platform } from '../model/delivery.js';
import type { Paper } from '../model/paper.js';
import type { Store } from '../store/store.js';
import type { ChannelKey } from '../store/types.js';
import type { CommandContext } from './command.js';

/** A member added or removed 👍 or 👎 on a message. */
export interface ReactionEvent {
  platform: Platform;
  /** Guild or workspace id. */
  workspaceId: string;
  /** The channel the message is in: needed on Slack, where a ts is unique only within its channel. */
  channelId?: string;
  messageId: string;
  userId: string;
  kind: 'like' | 'dislike';
  added: boolean;
}

export interface ReactionOutcome {
  /** The channel the post was for, when the message was one of the bot's paper posts. */
  channel?: ChannelKey;
  /** Signals added or removed (0 when the member had already reacted so, or the message carried no papers). */
  changed: number;
}

export type ReactionSignals = (event: ReactionEvent) => ReactionOutcome;

/**
 * 👍 and 👎 on the bot's paper posts become the channel's signals: the message is looked up in
 * the papers each post carried, so a reaction on a post of last month counts like one on today's.
 */
export function reactionSignals(store: Store, clock: Clock): ReactionSignals {
  return (event) => {
    const posted = store.postedPapers.papersOf(event.platform, event.workspaceId, event.messageId, event.platform === 'slack' ? event.channelId : undefined);
    if (!posted) return { changed: 0 };
    let changed = 0;
    for (const paper of posted.papers) {
      const signal = { paperId: paper.paperId, title: paper.title, userId: event.userId, kind: event.kind, at: clock.now() };
      if (event.added ? store.signals.add(posted.channel, signal) : store.signals.remove(posted.channel, signal)) changed++;
    }
    return { channel: posted.channel, changed };
  };
}

const CHAT: ReadonlySet<string> = new Set<Platform>(['console', 'discord', 'slack']);

/** A save in a chat channel is also that channel's signal that the paper is worth reading; unsaving takes it back. */
export function recordSave(store: Store, context: CommandContext, paper: Pick<Paper, 'id' | 'title'>, saved: boolean, now: Date): void {
  if (!CHAT.has(context.platform) || !context.channelId || !context.userId) return;
  const channel: ChannelKey = { platform: context.platform as Platform, workspaceId: context.workspaceId ?? '', channelId: context.channelId };
  const signal = { paperId: paper.id, title: paper.title, userId: context.userId, kind: 'save' as const, at: now };
  if (saved) store.signals.add(channel, signal);
  else store.signals.remove(channel, signal);
}
