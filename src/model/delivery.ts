import { PaperbotError } from './errors.js';
import type { Reply } from './reply.js';

export type Platform = 'console' | 'discord' | 'slack';

/** Where a scheduled post goes. */
export interface ChannelRef {
  platform: Platform;
  channelId: string;
  /** Guild or workspace id, where the platform has one. */
  workspaceId?: string;
}

export interface PostedMessage {
  /** Platform id of the posted message (Discord message id, Slack ts). */
  messageId: string;
}

/**
 * What the scheduler calls to post into a channel; each adapter implements it.
 * Failures are DeliveryErrors so the scheduler can tell "pause this channel" from "try later".
 *
 * Every scheduled post carries a key that names it for ever (subscription, day, part): the
 * same key is the same post. An adapter attaches the key to the message (Discord: nonce and a
 * marker the message carries; Slack: message metadata) so that `findPosted` can tell, after a
 * crash or an answer lost on the way back, whether the post is already in the channel.
 */
export interface Delivery {
  readonly platform: Platform;
  post(channel: ChannelRef, reply: Reply, key?: string): Promise<PostedMessage>;
  /**
   * Replies in a thread under a message posted before (Discord thread / Slack thread_ts). With
   * `keyPrefix`, reply i is keyed `${keyPrefix}#${i}` and replies already in the thread under
   * their key are not posted again, so calling it again completes a thread cut short.
   * Resolves to each reply's message, in order (those found already there included).
   */
  postInThread(channel: ChannelRef, parent: PostedMessage, threadTitle: string, replies: readonly Reply[], keyPrefix?: string): Promise<PostedMessage[]>;
  /** The message posted under `key` at or after `since`, when the channel shows one; undefined when none is found. */
  findPosted(channel: ChannelRef, key: string, since: Date): Promise<PostedMessage | undefined>;
  /** A link people can open to a message posted before; platforms without one (the console) leave it out. */
  permalink?(channel: ChannelRef, message: PostedMessage): Promise<string | undefined>;
}

/**
 * `gone` / `forbidden`: the bot cannot post there any more (deleted channel, kicked, missing
 * permission): pause, do not retry. `rate_limited` / `transient`: try again later.
 */
export type DeliveryFailure = 'gone' | 'forbidden' | 'rate_limited' | 'transient';

export class DeliveryError extends PaperbotError {
  constructor(
    readonly failure: DeliveryFailure,
    detail: string,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(`delivery_${failure}`, detail, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
  readonly retryAfterMs: number | undefined;

  get permanent(): boolean {
    return this.failure === 'gone' || this.failure === 'forbidden';
  }
}
