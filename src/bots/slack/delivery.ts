import { webApi } from '@slack/bolt';
import type { ChannelRef, Delivery, PostedMessage } from '../../model/delivery.js';
import { DeliveryError, type DeliveryFailure } from '../../model/delivery.js';
import type { Reply } from '../../model/reply.js';
import { SendOnce } from '../sendOnce.js';
import { renderReply, type SlackMessage } from './blocks.js';
import { plural } from '../../text/plural.js';

type WebClient = InstanceType<typeof webApi.WebClient>;
type MessageMetadata = { event_type: string; event_payload: Record<string, string> };

/**
 * Scheduled posts carry their key as message metadata, which Slack keeps with the message and
 * returns from conversations.history / conversations.replies to callers that pass
 * `include_all_metadata` (https://docs.slack.dev/messaging/message-metadata). Users do not see it.
 */
const EVENT_TYPE = 'paperbot_scheduled_post';
/**
 * A history page (Slack allows up to 999, recommends no more than 200) and how many pages a
 * search reads. The history is read when an outcome is unknown, a thread once per summary
 * thread; an app installed from slack/manifest.yml is an internal one and keeps the usual
 * Tier 3 limits for these methods (commercially distributed non-Marketplace apps get far lower
 * ones: https://docs.slack.dev/apis/web-api/rate-limits).
 */
const PAGE = 200;
const MAX_PAGES = 10;
/** A scheduled post that has not been answered in this long is treated as an unknown outcome. */
const POST_TIMEOUT_MS = 15_000;

/**
 * The Web API client scheduled posts go through. The default client retries 5xx answers and
 * network errors by itself, which posts a message Slack already accepted a second time; here a
 * failed answer comes back at once, and the channel is checked before anything is sent again.
 */
export function deliveryClient(token: string, options: Omit<webApi.WebClientOptions, 'retryConfig'> = {}): WebClient {
  return new webApi.WebClient(token, { timeout: POST_TIMEOUT_MS, ...options, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
}

/** A failure after which the message may or may not exist: an HTTP 5xx, a timeout, a dropped connection. */
function ambiguous(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === webApi.ErrorCode.HTTPError || code === webApi.ErrorCode.RequestError;
}

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
    return new DeliveryError('rate_limited', `Slack is rate-limiting me right now. Try again in ${plural(seconds, 'second')}.`, {
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
  async postMessage(channelId: string, message: SlackMessage, threadTs?: string, metadata?: MessageMetadata): Promise<string> {
    try {
      const result = await this.client.chat.postMessage({
        channel: channelId,
        text: message.text,
        blocks: message.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        ...(metadata ? { metadata } : {}),
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
  private readonly once = new SendOnce<string>((err) => ambiguous(err instanceof DeliveryError ? err.cause : err));

  /** `client` should come from `deliveryClient`, so nothing is retried blindly. */
  constructor(private readonly client: WebClient) {
    this.poster = new SlackPoster(client);
  }

  async post(channel: ChannelRef, reply: Reply, key?: string): Promise<PostedMessage> {
    const message = renderReply(reply);
    if (!key) return { messageId: await this.poster.postMessage(channel.channelId, message) };
    // A post lost on the way back is seconds old; the margin covers a clock that differs from Slack's.
    const since = new Date(Date.now() - 10 * 60_000);
    const ts = await this.once.send(
      key,
      () => this.poster.postMessage(channel.channelId, message, undefined, metadataOf(key)),
      async () => (await this.findPosted(channel, key, since))?.messageId,
    );
    return { messageId: ts };
  }

  /**
   * Reads the channel's top-level messages since `since` (conversations.history with `oldest`,
   * https://docs.slack.dev/reference/methods/conversations.history; scopes channels:history and
   * groups:history) for one whose metadata names the key.
   */
  async findPosted(channel: ChannelRef, key: string, since: Date): Promise<PostedMessage | undefined> {
    const oldest = (since.getTime() / 1000).toFixed(6);
    const ts = await this.scan((cursor) => this.client.conversations.history({ channel: channel.channelId, oldest, include_all_metadata: true, limit: PAGE, ...(cursor ? { cursor } : {}) }), key);
    return ts ? { messageId: ts } : undefined;
  }

  /** A link to a posted message (chat.getPermalink, https://docs.slack.dev/reference/methods/chat.getPermalink; needs no scope). */
  async permalink(channel: ChannelRef, message: PostedMessage): Promise<string | undefined> {
    try {
      return (await this.client.chat.getPermalink({ channel: channel.channelId, message_ts: message.messageId })).permalink;
    } catch (err) {
      throw toDeliveryError(err);
    }
  }

  /**
   * Slack threads have no title of their own: the parent message already names the subject.
   * With `keyPrefix`, the thread is read first (conversations.replies, which also returns
   * metadata with `include_all_metadata`) and replies already there are not posted again.
   */
  async postInThread(channel: ChannelRef, parent: PostedMessage, _threadTitle: string, replies: readonly Reply[], keyPrefix?: string): Promise<PostedMessage[]> {
    const posted: PostedMessage[] = [];
    if (!keyPrefix) {
      for (const reply of replies) posted.push({ messageId: await this.poster.postMessage(channel.channelId, renderReply(reply), parent.messageId) });
      return posted;
    }
    const present = await this.threadKeys(channel.channelId, parent.messageId);
    for (const [i, reply] of replies.entries()) {
      const key = `${keyPrefix}#${i}`;
      const there = present.get(key);
      if (there) {
        posted.push({ messageId: there });
        continue;
      }
      const ts = await this.once.send(
        key,
        () => this.poster.postMessage(channel.channelId, renderReply(reply), parent.messageId, metadataOf(key)),
        async () => (await this.threadKeys(channel.channelId, parent.messageId)).get(key),
      );
      posted.push({ messageId: ts });
    }
    return posted;
  }

  /** The keys of the scheduled replies in a thread, with their ts. */
  private async threadKeys(channelId: string, threadTs: string): Promise<Map<string, string>> {
    const keys = new Map<string, string>();
    await this.scan((cursor) => this.client.conversations.replies({ channel: channelId, ts: threadTs, include_all_metadata: true, limit: PAGE, ...(cursor ? { cursor } : {}) }), undefined, keys);
    return keys;
  }

  /** Pages through a history read; returns the ts of the message keyed `key`, collecting every key into `into`. */
  private async scan(read: (cursor: string | undefined) => Promise<HistoryPage>, key: string | undefined, into?: Map<string, string>): Promise<string | undefined> {
    try {
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const result = await read(cursor);
        for (const m of result.messages ?? []) {
          const found = m.metadata?.event_type === EVENT_TYPE ? m.metadata.event_payload?.['key'] : undefined;
          if (typeof found !== 'string' || !m.ts) continue;
          into?.set(found, m.ts);
          if (found === key) return m.ts;
        }
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!result.has_more || !cursor) break;
      }
      return undefined;
    } catch (err) {
      throw toDeliveryError(err);
    }
  }
}

interface HistoryPage {
  messages?: Array<{ ts?: string; metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }>;
  has_more?: boolean;
  response_metadata?: { next_cursor?: string };
}

/** The metadata that names a message by its key, for findPosted to recognise it later. */
export function metadataOf(key: string): MessageMetadata {
  return { event_type: EVENT_TYPE, event_payload: { key } };
}
