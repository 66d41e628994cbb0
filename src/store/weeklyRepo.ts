import type { Database, Statement } from 'better-sqlite3';
import { CHANNEL_WHERE, channelFromRow, channelParams, type ChannelRow } from './rows.js';
import type { ChannelKey } from './types.js';

/** The post ledger kind of a channel's weekly digest; its ledger day is the ISO week (`2026-W49`). */
export const WEEKLY = 'weekly';

export interface WeeklySubscription extends ChannelKey {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** HH:MM in `timezone`. */
  postTime: string;
  timezone: string;
  topN: number;
  subscribedBy?: string;
  createdAt: Date;
  /** Slots before this instant are never due. */
  scheduleFrom: Date;
}

export type WeeklyInput = Omit<WeeklySubscription, 'createdAt' | 'scheduleFrom'>;

interface WeeklyRow extends ChannelRow {
  weekday: number;
  post_time: string;
  timezone: string;
  top_n: number;
  subscribed_by: string | null;
  created_at: string;
  schedule_from: string;
}

/** The channels that get the weekly digest, and when. */
export class WeeklyRepo {
  private readonly upsertStmt: Statement;
  private readonly getStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly allStmt: Statement;

  constructor(db: Database) {
    this.upsertStmt = db.prepare(`
      INSERT INTO weekly_subscriptions (platform, workspace_id, channel_id, weekday, post_time, timezone, top_n, subscribed_by, created_at, schedule_from)
      VALUES (@platform, @workspace_id, @channel_id, @weekday, @post_time, @timezone, @top_n, @subscribed_by, @now, @now)
      ON CONFLICT (platform, workspace_id, channel_id) DO UPDATE SET
        weekday = excluded.weekday, post_time = excluded.post_time, timezone = excluded.timezone, top_n = excluded.top_n,
        subscribed_by = excluded.subscribed_by, schedule_from = excluded.schedule_from`);
    this.getStmt = db.prepare(`SELECT * FROM weekly_subscriptions WHERE ${CHANNEL_WHERE}`);
    this.deleteStmt = db.prepare(`DELETE FROM weekly_subscriptions WHERE ${CHANNEL_WHERE}`);
    this.allStmt = db.prepare('SELECT * FROM weekly_subscriptions ORDER BY platform, workspace_id, channel_id');
  }

  /** Creates or replaces the channel's weekly digest; its schedule restarts now, so no past slot fires. */
  upsert(input: WeeklyInput, now: Date): WeeklySubscription {
    this.upsertStmt.run({
      ...channelParams(input),
      weekday: input.weekday,
      post_time: input.postTime,
      timezone: input.timezone,
      top_n: input.topN,
      subscribed_by: input.subscribedBy ?? null,
      now: now.toISOString(),
    });
    return this.get(input)!;
  }

  get(channel: ChannelKey): WeeklySubscription | undefined {
    const row = this.getStmt.get(channelParams(channel)) as WeeklyRow | undefined;
    return row ? toWeekly(row) : undefined;
  }

  delete(channel: ChannelKey): boolean {
    return this.deleteStmt.run(channelParams(channel)).changes > 0;
  }

  all(): WeeklySubscription[] {
    return (this.allStmt.all() as WeeklyRow[]).map(toWeekly);
  }
}

function toWeekly(row: WeeklyRow): WeeklySubscription {
  const sub: WeeklySubscription = {
    ...channelFromRow(row),
    weekday: row.weekday,
    postTime: row.post_time,
    timezone: row.timezone,
    topN: row.top_n,
    createdAt: new Date(row.created_at),
    scheduleFrom: new Date(row.schedule_from),
  };
  if (row.subscribed_by) sub.subscribedBy = row.subscribed_by;
  return sub;
}
