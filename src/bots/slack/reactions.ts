import type { App as BoltApp } from '@slack/bolt';
import { z } from 'zod';
import type { AdapterDeps } from '../platform.js';
import type { Logger } from '../../logger.js';

/**
 * `reaction_added` / `reaction_removed` (scope reactions:read), as the Events API delivers them:
 * https://docs.slack.dev/reference/events/reaction_added. Only reactions on messages matter here.
 */
export const ReactionBody = z.object({
  team_id: z.string().optional(),
  event_id: z.string().optional(),
  event: z.object({
    type: z.enum(['reaction_added', 'reaction_removed']),
    user: z.string().min(1),
    reaction: z.string().min(1),
    item: z.object({ type: z.literal('message'), channel: z.string().min(1), ts: z.string().min(1) }),
  }),
});

/** 👍 (`+1`, `thumbsup`, with any skin tone) is a like; 👎 (`-1`, `thumbsdown`) a dislike. */
export function reactionKind(name: string): 'like' | 'dislike' | undefined {
  const bare = name.replace(/::skin-tone-\d$/, '');
  if (bare === '+1' || bare === 'thumbsup') return 'like';
  if (bare === '-1' || bare === 'thumbsdown') return 'dislike';
  return undefined;
}

/**
 * 👍 and 👎 on the bot's posts become the channel's signals. The event names the message by
 * channel and ts only, which is all the store needs, however old the post. Slack's retries of
 * an event are harmless: a signal already recorded is not counted again.
 */
export function listenForReactions(bolt: BoltApp, deps: Pick<AdapterDeps, 'inFlight' | 'reactions'>, logger: Logger): void {
  const handle = async ({ body, context }: { body: unknown; context: { botUserId?: string } }) => {
    const parsed = ReactionBody.safeParse(body);
    if (!parsed.success) return;
    const { event, team_id } = parsed.data;
    const kind = reactionKind(event.reaction);
    if (!kind || event.user === context.botUserId) return;
    const fields = { channel: event.item.channel, ts: event.item.ts, user: event.user, kind, added: event.type === 'reaction_added' };
    await deps.inFlight.run(async () => {
      try {
        const outcome = deps.reactions({ platform: 'slack', workspaceId: team_id ?? '', channelId: event.item.channel, messageId: event.item.ts, userId: event.user, kind, added: fields.added });
        if (outcome.channel) logger.info({ ...fields, changed: outcome.changed }, 'slack reaction recorded as a signal');
      } catch (err) {
        logger.error({ err, ...fields }, 'slack reaction not recorded');
      }
    });
  };
  bolt.event('reaction_added', handle);
  bolt.event('reaction_removed', handle);
}
