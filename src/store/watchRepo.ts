import type { Database, Statement } from 'better-sqlite3';
import { CHANNEL_WHERE, channelFromRow, channelParams, type ChannelRow } from './rows.js';
import type { ChannelKey, Watch } from './types.js';

interface WatchRow extends ChannelRow {
  id: number;
  query: string;
  created_by: string | null;
  created_at: string;
}

/** Two spellings of one query are one watch: case and spacing do not matter. */
export function watchKey(query: string): string {
  return query.trim().replace(/\s+/g, ' ').toLowerCase();
}

export class WatchRepo {
  private readonly insertStmt: Statement;
  private readonly byKeyStmt: Statement;
  private readonly byIdStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly forChannelStmt: Statement;
  private readonly allStmt: Statement;

  constructor(db: Database) {
    this.insertStmt = db.prepare(`
      INSERT INTO watches (platform, workspace_id, channel_id, query, query_key, created_by, created_at)
      VALUES (@platform, @workspace_id, @channel_id, @query, @query_key, @created_by, @now)
      ON CONFLICT (platform, workspace_id, channel_id, query_key) DO NOTHING`);
    this.byKeyStmt = db.prepare(`SELECT * FROM watches WHERE ${CHANNEL_WHERE} AND query_key = @query_key`);
    this.byIdStmt = db.prepare(`SELECT * FROM watches WHERE ${CHANNEL_WHERE} AND id = @id`);
    this.deleteStmt = db.prepare('DELETE FROM watches WHERE id = ?');
    this.forChannelStmt = db.prepare(`SELECT * FROM watches WHERE ${CHANNEL_WHERE} ORDER BY id`);
    this.allStmt = db.prepare('SELECT * FROM watches ORDER BY id');
  }

  /** Adds the watch, or returns the existing one with the same query (`created` false). */
  add(channel: ChannelKey, query: string, createdBy: string | undefined, now: Date): { watch: Watch; created: boolean } {
    const params = { ...channelParams(channel), query: query.trim().replace(/\s+/g, ' '), query_key: watchKey(query) };
    const created = this.insertStmt.run({ ...params, created_by: createdBy ?? null, now: now.toISOString() }).changes > 0;
    return { watch: toWatch(this.byKeyStmt.get(params) as WatchRow), created };
  }

  /** By id (`3`, `#3`) or by query text, within the channel. */
  find(channel: ChannelKey, idOrQuery: string): Watch | undefined {
    const id = /^#?(\d+)$/.exec(idOrQuery.trim());
    const row = id
      ? (this.byIdStmt.get({ ...channelParams(channel), id: Number(id[1]) }) as WatchRow | undefined)
      : (this.byKeyStmt.get({ ...channelParams(channel), query_key: watchKey(idOrQuery) }) as WatchRow | undefined);
    return row ? toWatch(row) : undefined;
  }

  delete(id: number): boolean {
    return this.deleteStmt.run(id).changes > 0;
  }

  forChannel(channel: ChannelKey): Watch[] {
    return (this.forChannelStmt.all(channelParams(channel)) as WatchRow[]).map(toWatch);
  }

  all(): Watch[] {
    return (this.allStmt.all() as WatchRow[]).map(toWatch);
  }
}

function toWatch(row: WatchRow): Watch {
  const watch: Watch = { ...channelFromRow(row), id: row.id, query: row.query, createdAt: new Date(row.created_at) };
  if (row.created_by) watch.createdBy = row.created_by;
  return watch;
}
