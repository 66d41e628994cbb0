import { z } from 'zod';

/**
 * The parts of Slack's payloads the adapter reads, checked at the edge: a payload without them
 * is logged and ignored instead of failing somewhere deeper.
 */
export const SlashCommandBody = z.object({
  text: z.string().default(''),
  user_id: z.string().min(1),
  /** Who typed it, for channel posts: a name, never a mention that would ping them. */
  user_name: z.string().optional(),
  channel_id: z.string().min(1),
  team_id: z.string().optional(),
  trigger_id: z.string().min(1),
  response_url: z.string().min(1),
});
export type SlashCommandBody = z.infer<typeof SlashCommandBody>;

export const BlockActionsBody = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string().min(1), team_id: z.string().optional(), username: z.string().optional(), name: z.string().optional() }),
  team: z.object({ id: z.string() }).nullish(),
  channel: z.object({ id: z.string().min(1) }).optional(),
  trigger_id: z.string().min(1),
  response_url: z.string().optional(),
  container: z
    .object({
      type: z.string(),
      message_ts: z.string().optional(),
      channel_id: z.string().optional(),
      is_ephemeral: z.boolean().optional(),
      thread_ts: z.string().optional(),
    })
    .optional(),
  /** Absent on ephemeral messages. */
  message: z.object({ ts: z.string(), thread_ts: z.string().optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional(), action_ts: z.string().optional() })).min(1),
});
export type BlockActionsBody = z.infer<typeof BlockActionsBody>;

export const AppMentionBody = z.object({
  event_id: z.string().optional(),
  team_id: z.string().optional(),
  event: z.object({
    type: z.literal('app_mention'),
    user: z.string().min(1),
    text: z.string().default(''),
    ts: z.string().min(1),
    channel: z.string().min(1),
    thread_ts: z.string().optional(),
  }),
});
export type AppMentionBody = z.infer<typeof AppMentionBody>;

/** `message.im`: a member writes to the bot in their DM with it. Edits, joins and bots have a subtype or bot_id and are skipped. */
export const DirectMessageBody = z.object({
  event_id: z.string().optional(),
  team_id: z.string().optional(),
  event: z.object({
    type: z.literal('message'),
    channel_type: z.literal('im'),
    subtype: z.string().optional(),
    bot_id: z.string().optional(),
    user: z.string().min(1),
    text: z.string().default(''),
    ts: z.string().min(1),
    channel: z.string().min(1),
  }),
});
export type DirectMessageBody = z.infer<typeof DirectMessageBody>;

/** conversations.replies, as far as finding a thread's paper needs. */
export const ThreadReplies = z.object({
  messages: z
    .array(
      z
        .object({
          ts: z.string(),
          bot_id: z.string().optional(),
          blocks: z.array(z.object({ block_id: z.string().optional() }).loose()).optional(),
        })
        .loose(),
    )
    .default([]),
});
export type ThreadMessage = z.infer<typeof ThreadReplies>['messages'][number];

/** users.info: the flags that make someone a workspace admin. */
export const UserInfo = z.object({
  user: z.object({
    is_admin: z.boolean().optional(),
    is_owner: z.boolean().optional(),
    is_primary_owner: z.boolean().optional(),
  }),
});
