import type { Database, Statement } from 'better-sqlite3';
import { CHANNEL_WHERE, channelParams } from './rows.js';
import type { ChannelKey } from './types.js';

export type SignalKind = 'like' | 'dislike' | 'save';

/** One member's 👍, 👎 or save of one paper in one channel. */
export interface Signal {
  paperId: string;
  /** The paper's title when the signal was given: the taste stays readable when the paper leaves the digests. */
  title: string;
  userId: string;
  kind: SignalKind;
  at: Date;
}

/** A paper's signals in a channel, counted in distinct members per kind. */
export interface PaperTaste {
  paperId: string;
  title: string;
  likes: number;
  dislikes: number;
  saves: number;
  /** The latest signal on the paper. */
  lastAt: Date;
}

interface SignalRow {
  paper_id: string;
  title: string;
  user_id: string;
  kind: SignalKind;
  at: string;
}

interface TasteRow {
  paper_id: string;
  title: string;
  likes: number;
  dislikes: number;
  saves: number;
  last_at: string;
}

/** The channel's taste: who liked, disliked or saved which paper there. */
export class SignalRepo {
  private readonly addStmt: Statement;
  private readonly removeStmt: Statement;
  private readonly allStmt: Statement;
  private readonly tasteStmt: Statement;
  private readonly resetStmt: Statement;

  constructor(db: Database) {
    // The first time counts: a second 👍 from the same member changes nothing.
    this.addStmt = db.prepare(`
      INSERT INTO signals (platform, workspace_id, channel_id, paper_id, user_id, kind, title, at)
      VALUES (@platform, @workspace_id, @channel_id, @paper_id, @user_id, @kind, @title, @at)
      ON CONFLICT DO NOTHING`);
    this.removeStmt = db.prepare(`DELETE FROM signals WHERE ${CHANNEL_WHERE} AND paper_id = @paper_id AND user_id = @user_id AND kind = @kind`);
    this.allStmt = db.prepare(`SELECT paper_id, title, user_id, kind, at FROM signals WHERE ${CHANNEL_WHERE} ORDER BY at, paper_id, user_id`);
    this.tasteStmt = db.prepare(`
      SELECT paper_id, MAX(title) AS title,
        SUM(kind = 'like') AS likes, SUM(kind = 'dislike') AS dislikes, SUM(kind = 'save') AS saves, MAX(at) AS last_at
      FROM signals WHERE ${CHANNEL_WHERE} GROUP BY paper_id ORDER BY last_at DESC, paper_id`);
    this.resetStmt = db.prepare(`DELETE FROM signals WHERE ${CHANNEL_WHERE}`);
  }

  /** True when the signal is new. */
  add(channel: ChannelKey, signal: Signal): boolean {
    return this.addStmt.run({ ...channelParams(channel), paper_id: signal.paperId, user_id: signal.userId, kind: signal.kind, title: signal.title, at: signal.at.toISOString() }).changes > 0;
  }

  /** True when there was such a signal. */
  remove(channel: ChannelKey, signal: Pick<Signal, 'paperId' | 'userId' | 'kind'>): boolean {
    return this.removeStmt.run({ ...channelParams(channel), paper_id: signal.paperId, user_id: signal.userId, kind: signal.kind }).changes > 0;
  }

  /** Every signal of the channel, oldest first. */
  forChannel(channel: ChannelKey): Signal[] {
    return (this.allStmt.all(channelParams(channel)) as SignalRow[]).map((r) => ({ paperId: r.paper_id, title: r.title, userId: r.user_id, kind: r.kind, at: new Date(r.at) }));
  }

  /** Per paper, the members who liked, disliked and saved it; the latest signal first. */
  taste(channel: ChannelKey): PaperTaste[] {
    return (this.tasteStmt.all(channelParams(channel)) as TasteRow[]).map((r) => ({
      paperId: r.paper_id,
      title: r.title,
      likes: r.likes,
      dislikes: r.dislikes,
      saves: r.saves,
      lastAt: new Date(r.last_at),
    }));
  }

  /** Clears the channel's signals; how many there were. */
  reset(channel: ChannelKey): number {
    return this.resetStmt.run(channelParams(channel)).changes;
  }
}
