import type { Platform } from '../model/delivery.js';

/** A channel's identity across the bot: the same id on two platforms is two channels. */
export interface ChannelKey {
  platform: Platform;
  /** Guild or workspace id; '' where the platform has none (the console). */
  workspaceId: string;
  channelId: string;
}

export interface Subscription extends ChannelKey {
  /** HH:MM in `timezone`. */
  postTime: string;
  /** Canonical IANA name, e.g. Europe/Berlin. */
  timezone: string;
  topN: number;
  subscribedBy?: string;
  createdAt: Date;
  /** Slots before this instant are never due. */
  scheduleFrom: Date;
  /** The post ends with a "For this channel" section: picks ranked by the channel's signals. */
  forChannel: boolean;
}

export interface Watch extends ChannelKey {
  id: number;
  query: string;
  createdBy?: string;
  createdAt: Date;
}

export interface Pause extends ChannelKey {
  pausedAt: Date;
  reason: string;
}

export type PostStatus = 'claimed' | 'sent' | 'retry' | 'failed' | 'unconfirmed' | 'empty';

export type ThreadStatus = 'pending' | 'done' | 'failed';

export interface PostRecord extends ChannelKey {
  kind: string;
  day: string;
  digestDate?: string;
  status: PostStatus;
  late: boolean;
  attempts: number;
  claimedAt?: Date;
  sentAt?: Date;
  messageId?: string;
  error?: string;
  /** The key the post carries in the channel (absent on rows written before keyed posts). */
  key?: string;
  /** The post as first built (JSON), so a resend or a completed thread shows the same papers. */
  payload?: string;
  /** The scheduled instant the post was for. */
  dueAt?: Date;
  firstClaimedAt?: Date;
  /** Absent when the post has no thread. */
  threadStatus?: ThreadStatus;
  threadAttempts: number;
}

export type AlertStatus = 'pending' | 'claimed' | 'sent' | 'retry' | 'failed' | 'unconfirmed';

export interface AlertRecord extends ChannelKey {
  id: number;
  query: string;
  paperIds: string[];
  status: AlertStatus;
  attempts: number;
  createdAt: Date;
  /** The key the alert carries in the channel (absent on alerts queued before keyed posts). */
  key?: string;
  /** The alert as built when it was queued (JSON): sending it needs no index. */
  reply?: string;
}

export function sameChannel(a: ChannelKey, b: ChannelKey): boolean {
  return a.platform === b.platform && a.workspaceId === b.workspaceId && a.channelId === b.channelId;
}
