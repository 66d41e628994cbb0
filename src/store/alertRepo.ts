import type { Database, Statement, Transaction } from 'better-sqlite3';
import { channelFromRow, channelParams, type ChannelRow } from './rows.js';
import type { AlertRecord, AlertStatus, ChannelKey } from './types.js';

interface AlertRow extends ChannelRow {
  id: number;
  query: string;
  paper_ids: string;
  status: AlertStatus;
  attempts: number;
  created_at: string;
  post_key: string | null;
  reply: string | null;
}

/** A paper as the library holds it, with every identity it may appear under. */
export interface PaperIdentity {
  paperId: string;
  /** Its arXiv id without version, its other id, its normalised title. */
  identities(): readonly string[];
}

/** New papers that match a channel's watch, before the never-repeat filter. */
export interface AlertCandidate {
  channel: ChannelKey;
  query: string;
  paperIds: readonly string[];
}

export interface AlertContent {
  /** The key the alert carries in the channel. */
  key: (candidate: AlertCandidate, alertId: number) => string;
  /** The alert's reply as JSON, for the papers left after the never-repeat filter. */
  reply: (candidate: AlertCandidate, paperIds: readonly string[]) => string;
}

export interface IngestResult {
  /** Papers none of whose identities the library had held before. */
  newPapers: string[];
  alerts: AlertRecord[];
}

const DUE = "(status IN ('pending', 'unconfirmed') OR (status = 'retry' AND retry_at <= @now))";
const BASELINE = 'known_papers_baseline';

/**
 * Watch alerts as an outbox: recording the library's new papers, the alerts they raise and the
 * alert ledger happen in one transaction; the scheduler claims and sends them later. The
 * ledger's primary key (channel, paper) is what makes "never repeat a paper to a channel" hold,
 * and `known_papers` what makes "only papers new to the library" hold across restarts.
 */
export class AlertRepo {
  private readonly baselineStmt: Statement;
  private readonly setBaselineStmt: Statement;
  private readonly knownStmt: Statement;
  private readonly knownAmongStmt: Statement<[string], string>;
  private readonly insertKnownStmt: Statement;
  private readonly insertAlertStmt: Statement;
  private readonly ledgerStmt: Statement;
  private readonly setContentStmt: Statement;
  private readonly deleteAlertStmt: Statement;
  private readonly dueStmt: Statement;
  private readonly claimStmt: Statement;
  private readonly sentStmt: Statement;
  private readonly retryStmt: Statement;
  private readonly failedStmt: Statement;
  private readonly expireStmt: Statement;
  private readonly getStmt: Statement;
  private readonly sortTx: Transaction<(papers: readonly PaperIdentity[], at: string, baseline: boolean) => PaperIdentity[]>;
  private readonly ingestTx: Transaction<(papers: readonly PaperIdentity[], now: Date, match: (newPaperIds: string[]) => AlertCandidate[], content: AlertContent) => IngestResult>;

  constructor(db: Database) {
    this.baselineStmt = db.prepare('SELECT value FROM library_state WHERE key = ?');
    this.setBaselineStmt = db.prepare('INSERT INTO library_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING');
    this.knownStmt = db.prepare('SELECT 1 FROM known_papers WHERE identity = ?');
    this.knownAmongStmt = db.prepare<[string], string>('SELECT identity FROM known_papers WHERE identity IN (SELECT value FROM json_each(?))').pluck();
    this.insertKnownStmt = db.prepare('INSERT INTO known_papers (identity, paper_id, first_seen_at) VALUES (?, ?, ?) ON CONFLICT (identity) DO NOTHING');
    this.insertAlertStmt = db.prepare(`
      INSERT INTO alerts (platform, workspace_id, channel_id, query, paper_ids, status, created_at)
      VALUES (@platform, @workspace_id, @channel_id, @query, '[]', 'pending', @now)`);
    this.ledgerStmt = db.prepare(`
      INSERT INTO alert_ledger (platform, workspace_id, channel_id, paper_id, alert_id)
      VALUES (@platform, @workspace_id, @channel_id, @paper_id, @alert_id) ON CONFLICT DO NOTHING`);
    this.setContentStmt = db.prepare('UPDATE alerts SET paper_ids = @paper_ids, post_key = @post_key, reply = @reply WHERE id = @id');
    this.deleteAlertStmt = db.prepare('DELETE FROM alerts WHERE id = ?');
    this.dueStmt = db.prepare(`SELECT * FROM alerts WHERE ${DUE} ORDER BY id`);
    this.claimStmt = db.prepare(`
      UPDATE alerts SET status = 'claimed', attempts = attempts + 1, claimed_by = @instance, claimed_at = @now, retry_at = NULL
      WHERE id = @id AND ${DUE} RETURNING *`);
    this.sentStmt = db.prepare(`
      UPDATE alerts SET status = 'sent', sent_at = @now, message_id = @message_id, error = NULL
      WHERE id = @id AND status = 'claimed' AND claimed_by = @instance`);
    this.retryStmt = db.prepare("UPDATE alerts SET status = 'retry', retry_at = @retry_at, error = @error WHERE id = @id AND status = 'claimed' AND claimed_by = @instance");
    this.failedStmt = db.prepare("UPDATE alerts SET status = 'failed', error = @error WHERE id = @id AND status = 'claimed' AND claimed_by = @instance");
    this.expireStmt = db.prepare(`
      UPDATE alerts SET status = 'unconfirmed', error = 'no confirmation: the sender stopped between claim and confirmation'
      WHERE status = 'claimed' AND claimed_at < @before RETURNING *`);
    this.getStmt = db.prepare('SELECT * FROM alerts WHERE id = ?');
    this.sortTx = db.transaction((papers, at, baseline) => this.sortLocked(papers, at, baseline));
    this.ingestTx = db.transaction((papers, now, match, content) => this.ingestLocked(papers, now, match, content));
  }

  /** Whether the first library of this database has been recorded as known. */
  hasBaseline(): boolean {
    return this.baselineStmt.get(BASELINE) !== undefined;
  }

  /** Marks the library recorded so far as the baseline: papers recorded later are news. */
  setBaseline(now: Date): void {
    this.setBaselineStmt.run(BASELINE, now.toISOString());
  }

  /**
   * One batch of the library, in one short transaction: papers with an identity known before are
   * recorded under all their identities (a new alias of a known paper is still no news) and left
   * out; the rest are returned, for `ingest`. With `baseline` every paper is recorded as known.
   */
  sortOut(papers: readonly PaperIdentity[], now: Date, baseline: boolean): PaperIdentity[] {
    if (papers.length === 0) return [];
    return this.sortTx.immediate(papers, now.toISOString(), baseline);
  }

  /**
   * Records the given papers as known and queues alerts for those still new (none of their
   * identities seen before, checked again under the write lock) that `match` finds, skipping
   * papers already alerted to that channel. All or nothing.
   */
  ingest(papers: readonly PaperIdentity[], now: Date, match: (newPaperIds: string[]) => AlertCandidate[], content: AlertContent): IngestResult {
    return this.ingestTx.immediate(papers, now, match, content);
  }

  private sortLocked(papers: readonly PaperIdentity[], at: string, baseline: boolean): PaperIdentity[] {
    const fresh: PaperIdentity[] = [];
    const identities = papers.map((paper) => paper.identities());
    // The batch's known identities in one question, kept up to date as its papers are recorded: each paper is judged as if alone, in order.
    const known = new Set(baseline ? [] : this.knownAmongStmt.all(JSON.stringify(identities.flat())));
    papers.forEach((paper, i) => {
      const own = identities[i]!;
      if (!baseline && !own.some((identity) => known.has(identity))) {
        fresh.push(paper);
        return;
      }
      for (const identity of own) {
        if (known.has(identity)) continue;
        this.insertKnownStmt.run(identity, paper.paperId, at);
        known.add(identity);
      }
    });
    return fresh;
  }

  private ingestLocked(papers: readonly PaperIdentity[], now: Date, match: (newPaperIds: string[]) => AlertCandidate[], content: AlertContent): IngestResult {
    const at = now.toISOString();
    const newPapers: string[] = [];
    for (const paper of papers) {
      // Known when any identity is: the same paper under a second id, or a v2, is no news.
      const identities = paper.identities();
      const known = identities.some((identity) => this.knownStmt.get(identity) !== undefined);
      for (const identity of identities) this.insertKnownStmt.run(identity, paper.paperId, at);
      if (!known) newPapers.push(paper.paperId);
    }
    if (newPapers.length === 0) return { newPapers, alerts: [] };
    const alerts: AlertRecord[] = [];
    for (const candidate of match(newPapers)) {
      const params = channelParams(candidate.channel);
      const alertId = Number(this.insertAlertStmt.run({ ...params, query: candidate.query, now: at }).lastInsertRowid);
      const fresh = candidate.paperIds.filter((paperId) => this.ledgerStmt.run({ ...params, paper_id: paperId, alert_id: alertId }).changes > 0);
      if (fresh.length === 0) {
        this.deleteAlertStmt.run(alertId);
        continue;
      }
      this.setContentStmt.run({ id: alertId, paper_ids: JSON.stringify(fresh), post_key: content.key(candidate, alertId), reply: content.reply(candidate, fresh) });
      alerts.push(toAlert(this.getStmt.get(alertId) as AlertRow));
    }
    return { newPapers, alerts };
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

  /** Alerts claimed before `before` and never confirmed: the next attempt asks the channel first. */
  expireClaims(before: Date): AlertRecord[] {
    return (this.expireStmt.all({ before: before.toISOString() }) as AlertRow[]).map(toAlert);
  }

  get(id: number): AlertRecord | undefined {
    const row = this.getStmt.get(id) as AlertRow | undefined;
    return row ? toAlert(row) : undefined;
  }
}

function toAlert(row: AlertRow): AlertRecord {
  const alert: AlertRecord = {
    ...channelFromRow(row),
    id: row.id,
    query: row.query,
    paperIds: JSON.parse(row.paper_ids) as string[],
    status: row.status,
    attempts: row.attempts,
    createdAt: new Date(row.created_at),
  };
  if (row.post_key) alert.key = row.post_key;
  if (row.reply) alert.reply = row.reply;
  return alert;
}
