import { DeliveryError } from '../model/delivery.js';

export type SendOutcome =
  | { kind: 'sent'; messageId: string }
  /** The bot cannot post there any more: pause the channel. */
  | { kind: 'pause'; reason: string }
  | { kind: 'retry'; at: Date; reason: string }
  /** Transient failures used up every attempt: give up on this one message. */
  | { kind: 'give_up'; reason: string };

export interface RetryPolicy {
  maxAttempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, firstDelayMs: 60_000, maxDelayMs: 30 * 60_000 };

/**
 * Runs one send and classifies its failure. Unknown errors count as transient: a bug in an
 * adapter must not pause a channel, and the attempts are bounded anyway.
 */
export async function attemptSend(send: () => Promise<string>, attempt: number, now: Date, policy: RetryPolicy): Promise<SendOutcome> {
  try {
    return { kind: 'sent', messageId: await send() };
  } catch (err) {
    const reason = err instanceof DeliveryError ? `${err.failure}: ${err.userMessage}` : err instanceof Error ? err.message : String(err);
    if (err instanceof DeliveryError && err.permanent) return { kind: 'pause', reason };
    if (attempt >= policy.maxAttempts) return { kind: 'give_up', reason };
    const backoff = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (attempt - 1));
    const wait = Math.max(backoff, err instanceof DeliveryError ? (err.retryAfterMs ?? 0) : 0);
    return { kind: 'retry', at: new Date(now.getTime() + wait), reason };
  }
}
