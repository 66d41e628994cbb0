import type { Database, Statement, Transaction } from 'better-sqlite3';

export interface UpvoteObservation {
  /** The paper's first identity (see paperIdentities): its arXiv id, else its own id. */
  identity: string;
  upvotes: number;
}

export interface ObservedUpvotes {
  day: string;
  upvotes: number;
}

/** Each paper's upvotes per observed day, kept for a bounded number of days. */
export class UpvoteHistory {
  private readonly upsertStmt: Statement;
  private readonly pruneStmt: Statement;
  private readonly seriesStmt: Statement;
  private readonly recordTx: Transaction<(observations: readonly UpvoteObservation[], day: string, keepFrom: string) => void>;

  constructor(db: Database) {
    this.upsertStmt = db.prepare(`
      INSERT INTO paper_upvotes (identity, observed_day, upvotes) VALUES (@identity, @day, @upvotes)
      ON CONFLICT (identity, observed_day) DO UPDATE SET upvotes = excluded.upvotes`);
    this.pruneStmt = db.prepare('DELETE FROM paper_upvotes WHERE observed_day < @keepFrom');
    this.seriesStmt = db.prepare('SELECT observed_day AS day, upvotes FROM paper_upvotes WHERE identity = @identity AND observed_day <= @until ORDER BY observed_day');
    this.recordTx = db.transaction((observations: readonly UpvoteObservation[], day: string, keepFrom: string) => {
      for (const o of observations) this.upsertStmt.run({ identity: o.identity, day, upvotes: o.upvotes });
      this.pruneStmt.run({ keepFrom });
    });
  }

  /** The day's observations (the last one of a day wins), dropping days before `keepFrom`. */
  record(observations: readonly UpvoteObservation[], day: string, keepFrom: string): void {
    this.recordTx.immediate(observations, day, keepFrom);
  }

  /** A paper's observations up to `until`, oldest first. */
  series(identity: string, until: string): ObservedUpvotes[] {
    return this.seriesStmt.all({ identity, until }) as ObservedUpvotes[];
  }
}
