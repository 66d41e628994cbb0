import { DiscordAPIError, HTTPError, RateLimitError, REST, Routes, type APIMessage, type RESTOptions } from 'discord.js';
import type { ChannelRef, Delivery, PostedMessage } from '../../model/delivery.js';
import type { Reply } from '../../model/reply.js';
import { SendOnce } from '../sendOnce.js';
import { toDeliveryError } from './deliveryError.js';
import { carriesKey, keyedBody } from './postKey.js';
import { renderReply } from './render.js';
import { messageBody, openThread } from './threads.js';

/** Get Channel Messages returns at most 100 per page, newest first, paged with `before`. */
const PAGE = 100;
/** How far back a search reads: a day's posts in a busy channel, not its whole history. */
const MAX_PAGES = 10;

/**
 * The REST client scheduled posts go through. discord.js retries 5xx answers and timeouts by
 * itself (`retries`, 3 by default), which would post a message Discord already created a second
 * time once its nonce window has passed; here a failed answer comes back at once and is
 * checked against the channel before anything is sent again.
 */
export function deliveryRest(token: string, options: Partial<RESTOptions> = {}): REST {
  return new REST({ ...options, retries: 0 }).setToken(token);
}

/** A failure after which the message may or may not exist: a 5xx, a timeout, a dropped connection. */
function ambiguous(err: unknown): boolean {
  if (err instanceof RateLimitError) return false;
  if (err instanceof DiscordAPIError || err instanceof HTTPError) return err.status >= 500;
  return true;
}

/** What the scheduler uses to post into Discord channels; every failure is a DeliveryError. */
export class DiscordDelivery implements Delivery {
  readonly platform = 'discord' as const;
  private readonly once = new SendOnce<PostedMessage>(ambiguous);

  /** `rest` should come from `deliveryRest`, so nothing is retried blindly. */
  constructor(private readonly rest: REST) {}

  async post(channel: ChannelRef, reply: Reply, key?: string): Promise<PostedMessage> {
    const body = messageBody(renderReply({ ...reply, visibility: 'channel' }));
    try {
      if (!key) return await this.create(channel.channelId, body);
      // A post lost on the way back is seconds old; the margin covers a clock that differs from Discord's.
      const since = new Date(Date.now() - 10 * 60_000);
      return await this.once.send(
        key,
        () => this.create(channel.channelId, keyedBody(body, key)),
        () => this.search(channel.channelId, key, since),
      );
    } catch (err) {
      throw toDeliveryError(err, `posting to channel ${channel.channelId}`);
    }
  }

  async findPosted(channel: ChannelRef, key: string, since: Date): Promise<PostedMessage | undefined> {
    try {
      return await this.search(channel.channelId, key, since);
    } catch (err) {
      throw toDeliveryError(err, `reading the recent messages of channel ${channel.channelId}`);
    }
  }

  /** The link Discord's "Copy Message Link" gives; a thread started on the message opens from there too. */
  async permalink(channel: ChannelRef, message: PostedMessage): Promise<string | undefined> {
    return `https://discord.com/channels/${channel.workspaceId ?? '@me'}/${channel.channelId}/${message.messageId}`;
  }

  async postInThread(channel: ChannelRef, parent: PostedMessage, threadTitle: string, replies: readonly Reply[], keyPrefix?: string): Promise<PostedMessage[]> {
    try {
      const thread = await openThread(this.rest, channel.channelId, parent.messageId, threadTitle);
      const present = keyPrefix ? await this.earliest(thread.id) : [];
      const posted: PostedMessage[] = [];
      for (const [i, reply] of replies.entries()) {
        const body = messageBody(renderReply({ ...reply, visibility: 'channel' }));
        if (!keyPrefix) {
          posted.push(await this.create(thread.id, body));
          continue;
        }
        const key = `${keyPrefix}#${i}`;
        const there = present.find((m) => carriesKey(m, key));
        if (there) {
          posted.push({ messageId: there.id });
          continue;
        }
        posted.push(
          await this.once.send(
            key,
            () => this.create(thread.id, keyedBody(body, key)),
            async () => {
              const found = (await this.earliest(thread.id)).find((m) => m.author.bot === true && carriesKey(m, key));
              return found ? { messageId: found.id } : undefined;
            },
          ),
        );
      }
      return posted;
    } catch (err) {
      throw toDeliveryError(err, `posting in a thread of channel ${channel.channelId}`);
    }
  }

  private async create(channelId: string, body: Record<string, unknown>): Promise<PostedMessage> {
    const message = (await this.rest.post(Routes.channelMessages(channelId), { body })) as APIMessage;
    return { messageId: message.id };
  }

  private async search(channelId: string, key: string, since: Date): Promise<PostedMessage | undefined> {
    const found = (await this.recent(channelId, since)).find((m) => m.author.bot === true && carriesKey(m, key));
    return found ? { messageId: found.id } : undefined;
  }

  /**
   * A thread's first messages, where its summaries are, however long the discussion under them
   * has grown: paged forwards with `after` from the thread's own id (its starter message's).
   */
  private async earliest(threadId: string): Promise<APIMessage[]> {
    const out: APIMessage[] = [];
    let after = threadId;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = new URLSearchParams({ limit: String(PAGE), after });
      const messages = (await this.rest.get(Routes.channelMessages(threadId), { query })) as APIMessage[];
      out.push(...messages);
      if (messages.length < PAGE) break;
      after = messages.reduce((max, m) => (BigInt(m.id) > BigInt(max) ? m.id : max), after);
    }
    return out;
  }

  /**
   * The channel's messages posted at or after `since`, newest first
   * (https://discord.com/developers/docs/resources/message#get-channel-messages).
   */
  private async recent(channelId: string, since: Date): Promise<APIMessage[]> {
    const out: APIMessage[] = [];
    let before: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = new URLSearchParams({ limit: String(PAGE), ...(before ? { before } : {}) });
      const messages = (await this.rest.get(Routes.channelMessages(channelId), { query })) as APIMessage[];
      const fresh = messages.filter((m) => Date.parse(m.timestamp) >= since.getTime());
      out.push(...fresh);
      if (messages.length < PAGE || fresh.length < messages.length) break;
      before = messages.at(-1)!.id;
    }
    return out;
  }
}
