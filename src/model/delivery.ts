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
 */
export interface Delivery {
  readonly platform: Platform;
  post(channel: ChannelRef, reply: Reply): Promise<PostedMessage>;
  /** Replies in a thread under a message posted before (Discord thread / Slack thread_ts). */
  postInThread(channel: ChannelRef, parent: PostedMessage, threadTitle: string, replies: readonly Reply[]): Promise<void>;
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
