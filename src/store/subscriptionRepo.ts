import type { Database, Statement } from 'better-sqlite3';
import { CHANNEL_WHERE, channelFromRow, channelParams, type ChannelRow } from './rows.js';
import type { ChannelKey, Subscription } from './types.js';

interface SubscriptionRow extends ChannelRow {
  post_time: string;
  timezone: string;
  top_n: number;
  subscribed_by: string | null;
  created_at: string;
  schedule_from: string;
  for_channel: number;
}

export interface SubscriptionInput extends ChannelKey {
  postTime: string;
  timezone: string;
  topN: number;
  subscribedBy?: string;
  /** Whether the post ends with picks ranked by the channel's signals; off when absent. */
  forChannel?: boolean;
}

export class SubscriptionRepo {
  private readonly upsertStmt: Statement;
  private readonly getStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly allStmt: Statement;

  constructor(db: Database) {
    this.upsertStmt = db.prepare(`
      INSERT INTO subscriptions (platform, workspace_id, channel_id, post_time, timezone, top_n, subscribed_by, created_at, schedule_from, for_channel)
      VALUES (@platform, @workspace_id, @channel_id, @post_time, @timezone, @top_n, @subscribed_by, @now, @now, @for_channel)
      ON CONFLICT (platform, workspace_id, channel_id) DO UPDATE SET
        post_time = excluded.post_time, timezone = excluded.timezone, top_n = excluded.top_n,
        subscribed_by = excluded.subscribed_by, schedule_from = excluded.schedule_from, for_channel = excluded.for_channel`);
    this.getStmt = db.prepare(`SELECT * FROM subscriptions WHERE ${CHANNEL_WHERE}`);
    this.deleteStmt = db.prepare(`DELETE FROM subscriptions WHERE ${CHANNEL_WHERE}`);
    this.allStmt = db.prepare('SELECT * FROM subscriptions ORDER BY platform, workspace_id, channel_id');
  }

  /** Creates or replaces the channel's subscription; the schedule restarts now, so no past slot fires. */
  upsert(input: SubscriptionInput, now: Date): Subscription {
    this.upsertStmt.run({
      ...channelParams(input),
      post_time: input.postTime,
      timezone: input.timezone,
      top_n: input.topN,
      subscribed_by: input.subscribedBy ?? null,
      now: now.toISOString(),
      for_channel: input.forChannel === true ? 1 : 0,
    });
    return this.get(input)!;
  }

  get(channel: ChannelKey): Subscription | undefined {
    const row = this.getStmt.get(channelParams(channel)) as SubscriptionRow | undefined;
    return row ? toSubscription(row) : undefined;
  }

  /** True when a subscription was removed. */
  delete(channel: ChannelKey): boolean {
    return this.deleteStmt.run(channelParams(channel)).changes > 0;
  }

  all(): Subscription[] {
    return (this.allStmt.all() as SubscriptionRow[]).map(toSubscription);
  }
}

function toSubscription(row: SubscriptionRow): Subscription {
  const sub: Subscription = {
    ...channelFromRow(row),
    postTime: row.post_time,
    timezone: row.timezone,
    topN: row.top_n,
    createdAt: new Date(row.created_at),
    scheduleFrom: new Date(row.schedule_from),
    forChannel: row.for_channel === 1,
  };
  if (row.subscribed_by) sub.subscribedBy = row.subscribed_by;
  return sub;
}
