import type { Database, Statement } from 'better-sqlite3';
import { SavedPaperRecord } from '../model/savedPaper.js';
import type { Platform } from '../model/delivery.js';

/** A member's own list, or a channel's shared one; lists are per workspace. */
export interface ReadingList {
  platform: Platform;
  workspaceId: string;
  kind: 'user' | 'channel';
  /** The user id for a member's list, the channel id for a channel's. */
  owner: string;
}

export interface SavedPaper {
  record: SavedPaperRecord;
  /** Who saved it: their display name, else their user id. */
  savedBy?: string;
  savedAt: Date;
}

interface SavedRow {
  record: string;
  saved_by: string | null;
  saved_by_name: string | null;
  saved_at: string;
}

const LIST_WHERE = 'platform = @platform AND workspace_id = @workspace_id AND list_kind = @list_kind AND owner = @owner';

export class SavedRepo {
  private readonly insertStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly countStmt: Statement;
  private readonly pageStmt: Statement;
  private readonly allStmt: Statement;

  constructor(db: Database) {
    this.insertStmt = db.prepare(`
      INSERT INTO saved_papers (platform, workspace_id, list_kind, owner, paper_id, record, saved_by, saved_by_name, saved_at)
      VALUES (@platform, @workspace_id, @list_kind, @owner, @paper_id, @record, @saved_by, @saved_by_name, @saved_at)
      ON CONFLICT DO NOTHING`);
    this.deleteStmt = db.prepare(`DELETE FROM saved_papers WHERE ${LIST_WHERE} AND paper_id = @paper_id`);
    this.countStmt = db.prepare(`SELECT COUNT(*) AS n FROM saved_papers WHERE ${LIST_WHERE}`);
    // Newest first; the paper id breaks ties so pages never overlap.
    this.pageStmt = db.prepare(`SELECT record, saved_by, saved_by_name, saved_at FROM saved_papers WHERE ${LIST_WHERE} ORDER BY saved_at DESC, paper_id LIMIT @limit OFFSET @offset`);
    this.allStmt = db.prepare(`SELECT record, saved_by, saved_by_name, saved_at FROM saved_papers WHERE ${LIST_WHERE} ORDER BY saved_at, paper_id`);
  }

  /** Adds the paper to the list; false when it was already there (the first save is kept). */
  save(list: ReadingList, record: SavedPaperRecord, savedBy: { id?: string; name?: string }, now: Date): boolean {
    const row = { ...listParams(list), paper_id: record.id, record: JSON.stringify(record), saved_by: savedBy.id ?? null, saved_by_name: savedBy.name ?? null, saved_at: now.toISOString() };
    return this.insertStmt.run(row).changes > 0;
  }

  unsave(list: ReadingList, paperId: string): boolean {
    return this.deleteStmt.run({ ...listParams(list), paper_id: paperId }).changes > 0;
  }

  count(list: ReadingList): number {
    return (this.countStmt.get(listParams(list)) as { n: number }).n;
  }

  /** One page, newest save first. */
  page(list: ReadingList, limit: number, offset: number): SavedPaper[] {
    return (this.pageStmt.all({ ...listParams(list), limit, offset }) as SavedRow[]).map(toSaved);
  }

  /** The whole list, oldest save first: the order an export keeps. */
  all(list: ReadingList): SavedPaper[] {
    return (this.allStmt.all(listParams(list)) as SavedRow[]).map(toSaved);
  }
}

function listParams(list: ReadingList) {
  return { platform: list.platform, workspace_id: list.workspaceId, list_kind: list.kind, owner: list.owner };
}

function toSaved(row: SavedRow): SavedPaper {
  const saved: SavedPaper = { record: SavedPaperRecord.parse(JSON.parse(row.record)), savedAt: new Date(row.saved_at) };
  const who = row.saved_by_name ?? row.saved_by;
  if (who) saved.savedBy = who;
  return saved;
}
