import { createHash } from 'node:crypto';
import type { ChannelKey } from '../store/types.js';

/**
 * Keys scheduled posts carry in the channel: the same post always gets the same key, so a
 * platform (Discord's nonce) or a look at the channel (`findPosted`) can tell a repeat from a
 * new post. A short hash of the channel keeps a key unique across channels and short enough
 * for a Discord nonce.
 */
function channelTag(channel: ChannelKey): string {
  return createHash('sha1').update(`${channel.platform}/${channel.workspaceId}/${channel.channelId}`).digest('hex').slice(0, 6);
}

/** The daily post of a channel-local day, e.g. `d20261201-3fa9c1`. */
export function dailyPostKey(channel: ChannelKey, day: string): string {
  return `d${day.replaceAll('-', '')}-${channelTag(channel)}`;
}

/** Prefix of the summary thread's replies: reply i is `${prefix}#${i}`. */
export function threadKeyPrefix(postKey: string): string {
  return `${postKey}t`;
}

/** A queued alert: its ledger id names it for ever. */
export function alertKey(channel: ChannelKey, alertId: number): string {
  return `a${alertId}-${channelTag(channel)}`;
}

/** The weekly digest of an ISO week, e.g. `w2026W49-3fa9c1`. */
export function weeklyKey(channel: ChannelKey, week: string): string {
  return `w${week.replace('-', '')}-${channelTag(channel)}`;
}
