import { webApi } from '@slack/bolt';
import type { ChannelRef, Delivery, PostedMessage } from '../../model/delivery.js';
import { DeliveryError, type DeliveryFailure } from '../../model/delivery.js';
import type { Reply } from '../../model/reply.js';
import { renderReply, type SlackMessage } from './blocks.js';

type WebClient = InstanceType<typeof webApi.WebClient>;

/** Slack platform errors, by what the sender should do about them, with advice a user can act on. */
const PLATFORM_ERRORS: Record<string, { failure: DeliveryFailure; advice: string }> = {
  channel_not_found: { failure: 'gone', advice: 'I cannot see this channel. If it is private or a DM, add me to it first.' },
  is_archived: { failure: 'gone', advice: 'This channel is archived, so I cannot post in it.' },
  not_in_channel: { failure: 'forbidden', advice: 'I am not a member of this channel. Invite me with `/invite @paperbot`, then try again.' },
  missing_scope: { failure: 'forbidden', advice: 'I lack a Slack permission for this. Ask a workspace admin to reinstall the app from slack/manifest.yml.' },
  restricted_action: { failure: 'forbidden', advice: 'This workspace does not let me post in this channel.' },
  account_inactive: { failure: 'forbidden', advice: 'The paperbot app has been deactivated in this workspace.' },
  token_revoked: { failure: 'forbidden', advice: 'The paperbot app has been uninstalled from this workspace.' },
  invalid_auth: { failure: 'forbidden', advice: 'My Slack token is not valid any more. Ask an admin to check SLACK_BOT_TOKEN.' },
  ratelimited: { failure: 'rate_limited', advice: 'Slack is rate-limiting me right now. Try again in a minute.' },
};

/**
 * Any error from the Web API as a DeliveryError whose message a user can read: the scheduler
 * needs `failure` to pause or retry, and chat replies show `userMessage`.
 */
export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as { code?: string; data?: { error?: string }; retryAfter?: number; statusCode?: number };
  if (e?.code === webApi.ErrorCode.RateLimitedError) {
    const seconds = typeof e.retryAfter === 'number' ? e.retryAfter : 60;
    return new DeliveryError('rate_limited', `Slack is rate-limiting me right now. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`, {
      cause: err,
      retryAfterMs: seconds * 1000,
    });
  }
  if (e?.code === webApi.ErrorCode.PlatformError && e.data?.error) {
    const known = PLATFORM_ERRORS[e.data.error];
    if (known) return new DeliveryError(known.failure, known.advice, { cause: err });
    return new DeliveryError('transient', `Slack refused the message (${e.data.error}). The error has been logged.`, { cause: err });
  }
  if (e?.code === webApi.ErrorCode.HTTPError) {
    return new DeliveryError('transient', `Slack is having trouble (HTTP ${e.statusCode ?? '?'}). Try again in a moment.`, { cause: err });
  }
  return new DeliveryError('transient', 'I could not reach Slack. Try again in a moment.', { cause: err });
}

/** Posts through the Web API; every failure comes out as a DeliveryError. */
export class SlackPoster {
  constructor(private readonly client: WebClient) {}

  /** Returns the message ts, which is also the thread_ts for replies under it. */
  async postMessage(channelId: string, message: SlackMessage, threadTs?: string): Promise<string> {
    try {
      const result = await this.client.chat.postMessage({
        channel: channelId,
        text: message.text,
        blocks: message.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
        unfurl_media: false,
      });
      if (!result.ts) throw new DeliveryError('transient', 'Slack did not confirm the message. Try again in a moment.');
      return result.ts;
    } catch (err) {
      throw toDeliveryError(err);
    }
  }

  async postEphemeral(channelId: string, userId: string, message: SlackMessage, threadTs?: string): Promise<void> {
    try {
      await this.client.chat.postEphemeral({
        channel: channelId,
        user: userId,
        text: message.text,
        blocks: message.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    } catch (err) {
      throw toDeliveryError(err);
    }
  }
}

/** What the scheduler posts through on Slack: a message, and replies in its thread (thread_ts). */
export class SlackDelivery implements Delivery {
  readonly platform = 'slack' as const;
  private readonly poster: SlackPoster;

  constructor(client: WebClient) {
    this.poster = new SlackPoster(client);
  }

  async post(channel: ChannelRef, reply: Reply): Promise<PostedMessage> {
    return { messageId: await this.poster.postMessage(channel.channelId, renderReply(reply)) };
  }

  /** Slack threads have no title of their own: the parent message already names the subject. */
  async findPosted(_channel: ChannelRef, _key: string, _since: Date): Promise<PostedMessage | undefined> {
    return undefined;
  }

  async postInThread(channel: ChannelRef, parent: PostedMessage, _threadTitle: string, replies: readonly Reply[]): Promise<void> {
    for (const reply of replies) await this.poster.postMessage(channel.channelId, renderReply(reply), parent.messageId);
  }
}
