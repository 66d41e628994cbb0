import type { Database, Statement, Transaction } from 'better-sqlite3';
import { channelFromRow, channelParams, type ChannelRow } from './rows.js';
import type { AlertRecord, AlertStatus, ChannelKey } from './types.js';

interface AlertRow extends ChannelRow {
  id: number;
  query: string;
  paper_ids: string;
  status: AlertStatus;
  attempts: number;
}

/** Papers of new digests that match a channel's watch, before the never-repeat filter. */
export interface AlertCandidate {
  channel: ChannelKey;
  query: string;
  paperIds: readonly string[];
}

export interface IngestResult {
  /** Digest days this call saw first (another instance may have taken the rest). */
  newDates: string[];
  /** True on the first run of a new database: the existing digests become the baseline, no alerts. */
  baseline: boolean;
  alerts: AlertRecord[];
}

const DUE = "(status = 'pending' OR (status = 'retry' AND retry_at <= @now))";

/**
 * Watch alerts as an outbox: ingesting a digest writes pending alerts and the alert ledger in one
 * transaction; the scheduler claims and sends them later. The ledger's primary key
 * (channel, paper) is what makes "never repeat a paper to a channel" hold.
 */
export class AlertRepo {
  private readonly countDatesStmt: Statement;
  private readonly insertDateStmt: Statement;
  private readonly insertAlertStmt: Statement;
  private readonly ledgerStmt: Statement;
  private readonly setPapersStmt: Statement;
  private readonly deleteAlertStmt: Statement;
  private readonly dueStmt: Statement;
  private readonly claimStmt: Statement;
  private readonly sentStmt: Statement;
  private readonly retryStmt: Statement;
  private readonly failedStmt: Statement;
  private readonly expireStmt: Statement;
  private readonly ingestTx: Transaction<(dates: readonly string[], now: Date, match: (newDates: string[]) => AlertCandidate[]) => IngestResult>;

  constructor(db: Database) {
    this.countDatesStmt = db.prepare('SELECT COUNT(*) AS n FROM ingested_digests');
    this.insertDateStmt = db.prepare('INSERT INTO ingested_digests (date, ingested_at) VALUES (?, ?) ON CONFLICT (date) DO NOTHING');
    this.insertAlertStmt = db.prepare(`
      INSERT INTO alerts (platform, workspace_id, channel_id, query, paper_ids, status, created_at)
      VALUES (@platform, @workspace_id, @channel_id, @query, '[]', 'pending', @now)`);
    this.ledgerStmt = db.prepare(`
      INSERT INTO alert_ledger (platform, workspace_id, channel_id, paper_id, alert_id)
      VALUES (@platform, @workspace_id, @channel_id, @paper_id, @alert_id) ON CONFLICT DO NOTHING`);
    this.setPapersStmt = db.prepare('UPDATE alerts SET paper_ids = ? WHERE id = ?');
    this.deleteAlertStmt = db.prepare('DELETE FROM alerts WHERE id = ?');
    this.dueStmt = db.prepare(`SELECT * FROM alerts WHERE ${DUE} ORDER BY id`);
    this.claimStmt = db.prepare(`
      UPDATE alerts SET status = 'claimed', attempts = attempts + 1, claimed_by = @instance, claimed_at = @now, retry_at = NULL
      WHERE id = @id AND ${DUE} RETURNING *`);
    this.sentStmt = db.prepare(`
      UPDATE alerts SET status = 'sent', sent_at = @now, message_id = @message_id, error = NULL
      WHERE id = @id AND status IN ('claimed', 'unconfirmed') AND claimed_by = @instance`);
    this.retryStmt = db.prepare("UPDATE alerts SET status = 'retry', retry_at = @retry_at, error = @error WHERE id = @id AND status = 'claimed' AND claimed_by = @instance");
    this.failedStmt = db.prepare("UPDATE alerts SET status = 'failed', error = @error WHERE id = @id AND status = 'claimed' AND claimed_by = @instance");
    this.expireStmt = db.prepare(`
      UPDATE alerts SET status = 'unconfirmed', error = 'no confirmation: the sender stopped between claim and send'
      WHERE status = 'claimed' AND claimed_at < @before RETURNING *`);
    this.ingestTx = db.transaction((dates, now, match) => this.ingestLocked(dates, now, match));
  }

  /**
   * Records digest days not seen before and queues alerts for the papers `match` finds in them,
   * skipping papers already alerted to that channel. All or nothing, under the write lock.
   */
  ingest(dates: readonly string[], now: Date, match: (newDates: string[]) => AlertCandidate[]): IngestResult {
    return this.ingestTx.immediate(dates, now, match);
  }

  private ingestLocked(dates: readonly string[], now: Date, match: (newDates: string[]) => AlertCandidate[]): IngestResult {
    const baseline = (this.countDatesStmt.get() as { n: number }).n === 0;
    const at = now.toISOString();
    const newDates = dates.filter((d) => this.insertDateStmt.run(d, at).changes > 0);
    if (baseline || newDates.length === 0) return { newDates, baseline, alerts: [] };
    const alerts: AlertRecord[] = [];
    for (const candidate of match(newDates)) {
      const params = channelParams(candidate.channel);
      const alertId = Number(this.insertAlertStmt.run({ ...params, query: candidate.query, now: at }).lastInsertRowid);
      const fresh = candidate.paperIds.filter((paperId) => this.ledgerStmt.run({ ...params, paper_id: paperId, alert_id: alertId }).changes > 0);
      if (fresh.length === 0) {
        this.deleteAlertStmt.run(alertId);
        continue;
      }
      this.setPapersStmt.run(JSON.stringify(fresh), alertId);
      alerts.push({ ...candidate.channel, id: alertId, query: candidate.query, paperIds: fresh, status: 'pending', attempts: 0 });
    }
    return { newDates, baseline, alerts };
  }

  /** Claims every alert that is due for the given platforms; each is claimed by one instance only. */
  claimDue(platforms: ReadonlySet<string>, instanceId: string, now: Date): AlertRecord[] {
    const at = now.toISOString();
    const claimed: AlertRecord[] = [];
    for (const row of this.dueStmt.all({ now: at }) as AlertRow[]) {
      if (!platforms.has(row.platform)) continue;
      const won = this.claimStmt.get({ id: row.id, instance: instanceId, now: at }) as AlertRow | undefined;
      if (won) claimed.push(toAlert(won));
    }
    return claimed;
  }

  markSent(id: number, instanceId: string, messageId: string, now: Date): void {
    this.sentStmt.run({ id, instance: instanceId, message_id: messageId, now: now.toISOString() });
  }

  markRetry(id: number, instanceId: string, retryAt: Date, error: string): void {
    this.retryStmt.run({ id, instance: instanceId, retry_at: retryAt.toISOString(), error });
  }

  markFailed(id: number, instanceId: string, error: string): void {
    this.failedStmt.run({ id, instance: instanceId, error });
  }

  /** Alerts claimed before `before` and never confirmed: not resent (at most once, like posts). */
  expireClaims(before: Date): AlertRecord[] {
    return (this.expireStmt.all({ before: before.toISOString() }) as AlertRow[]).map(toAlert);
  }
}

function toAlert(row: AlertRow): AlertRecord {
  return { ...channelFromRow(row), id: row.id, query: row.query, paperIds: JSON.parse(row.paper_ids) as string[], status: row.status, attempts: row.attempts };
}
