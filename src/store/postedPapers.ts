import type { Database, Statement } from 'better-sqlite3';
import type { Platform } from '../model/delivery.js';
import { channelFromRow, channelParams, type ChannelRow } from './rows.js';
import type { ChannelKey } from './types.js';

export interface PostedPaper {
  paperId: string;
  title: string;
}

/** A bot message found by its platform id, with the papers it carried and the channel it was for. */
export interface PostedMessagePapers {
  channel: ChannelKey;
  papers: PostedPaper[];
}

interface PostedRow extends ChannelRow {
  paper_id: string;
  title: string;
}

/** Which bot message carried which papers: what a reaction on the message is about. */
export class PostedPapers {
  private readonly insertStmt: Statement;
  private readonly byMessageStmt: Statement;

  constructor(db: Database) {
    this.insertStmt = db.prepare(`
      INSERT INTO posted_papers (platform, workspace_id, channel_id, message_id, paper_id, title, posted_at)
      VALUES (@platform, @workspace_id, @channel_id, @message_id, @paper_id, @title, @posted_at)
      ON CONFLICT DO NOTHING`);
    this.byMessageStmt = db.prepare(`
      SELECT platform, workspace_id, channel_id, paper_id, title FROM posted_papers
      WHERE platform = @platform AND workspace_id = @workspace_id AND message_id = @message_id AND (@channel_id IS NULL OR channel_id = @channel_id)
      ORDER BY posted_at, paper_id`);
  }

  record(channel: ChannelKey, messageId: string, papers: readonly PostedPaper[], at: Date): void {
    for (const paper of papers) {
      this.insertStmt.run({ ...channelParams(channel), message_id: messageId, paper_id: paper.paperId, title: paper.title, posted_at: at.toISOString() });
    }
  }

  /**
   * The papers of a bot message. Discord message ids are unique on the platform (and a thread
   * reply lives in a channel of its own), so `channelId` is left out there; a Slack ts is
   * unique only within its channel, so Slack gives it.
   */
  papersOf(platform: Platform, workspaceId: string, messageId: string, channelId?: string): PostedMessagePapers | undefined {
    const rows = this.byMessageStmt.all({ platform, workspace_id: workspaceId, message_id: messageId, channel_id: channelId ?? null }) as PostedRow[];
    if (rows.length === 0) return undefined;
    return { channel: channelFromRow(rows[0]!), papers: rows.map((r) => ({ paperId: r.paper_id, title: r.title })) };
  }
}
