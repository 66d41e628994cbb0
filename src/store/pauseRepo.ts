import type { Database, Statement } from 'better-sqlite3';
import { CHANNEL_WHERE, channelFromRow, channelParams, type ChannelRow } from './rows.js';
import type { ChannelKey, Pause } from './types.js';

interface PauseRow extends ChannelRow {
  paused_at: string;
  reason: string;
}

/** Channels the bot can no longer post to: no posts or alerts go there until someone resumes them. */
export class PauseRepo {
  private readonly pauseStmt: Statement;
  private readonly resumeStmt: Statement;
  private readonly getStmt: Statement;
  private readonly allStmt: Statement;

  constructor(db: Database) {
    this.pauseStmt = db.prepare(`
      INSERT INTO paused_channels (platform, workspace_id, channel_id, paused_at, reason)
      VALUES (@platform, @workspace_id, @channel_id, @now, @reason)
      ON CONFLICT (platform, workspace_id, channel_id) DO NOTHING`);
    this.resumeStmt = db.prepare(`DELETE FROM paused_channels WHERE ${CHANNEL_WHERE}`);
    this.getStmt = db.prepare(`SELECT * FROM paused_channels WHERE ${CHANNEL_WHERE}`);
    this.allStmt = db.prepare('SELECT * FROM paused_channels ORDER BY paused_at');
  }

  pause(channel: ChannelKey, reason: string, now: Date): void {
    this.pauseStmt.run({ ...channelParams(channel), reason, now: now.toISOString() });
  }

  /** True when the channel was paused. */
  resume(channel: ChannelKey): boolean {
    return this.resumeStmt.run(channelParams(channel)).changes > 0;
  }

  get(channel: ChannelKey): Pause | undefined {
    const row = this.getStmt.get(channelParams(channel)) as PauseRow | undefined;
    return row ? toPause(row) : undefined;
  }

  all(): Pause[] {
    return (this.allStmt.all() as PauseRow[]).map(toPause);
  }
}

function toPause(row: PauseRow): Pause {
  return { ...channelFromRow(row), pausedAt: new Date(row.paused_at), reason: row.reason };
}
