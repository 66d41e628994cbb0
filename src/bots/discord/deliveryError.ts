import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { DeliveryError } from '../../model/delivery.js';

/** Discord error codes meaning the target no longer exists (Unknown Channel / Guild / Message). */
const GONE = new Set([10003, 10004, 10008]);
/** Missing Access, Missing Permissions, Cannot send messages to this user, thread locked/archived. */
const FORBIDDEN = new Set([50001, 50013, 50007, 50083]);

/**
 * Maps a discord.js REST failure onto the scheduler's vocabulary: `gone`/`forbidden` pause the
 * channel, `rate_limited`/`transient` are retried later. Anything unknown is treated as transient
 * so a surprise never silently stops a channel's posts.
 */
export function toDeliveryError(err: unknown, what: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof RateLimitError) {
    return new DeliveryError('rate_limited', `Discord rate limit while ${what}; retry in ${err.retryAfter} ms`, { cause: err, retryAfterMs: err.retryAfter });
  }
  if (err instanceof DiscordAPIError) {
    const code = typeof err.code === 'number' ? err.code : -1;
    if (err.status === 404 || GONE.has(code)) return new DeliveryError('gone', `Discord says the target is gone while ${what}: ${err.message}`, { cause: err });
    if (err.status === 403 || FORBIDDEN.has(code)) return new DeliveryError('forbidden', `Discord refused access while ${what}: ${err.message}`, { cause: err });
    if (err.status === 429) return new DeliveryError('rate_limited', `Discord rate limit while ${what}`, { cause: err });
    return new DeliveryError('transient', `Discord error ${err.status} while ${what}: ${err.message}`, { cause: err });
  }
  if (err instanceof HTTPError) {
    return new DeliveryError(err.status === 429 ? 'rate_limited' : 'transient', `Discord HTTP ${err.status} while ${what}`, { cause: err });
  }
  return new DeliveryError('transient', `Could not reach Discord while ${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
