import type { Database, Statement, Transaction } from 'better-sqlite3';
import { CHANNEL_WHERE, channelFromRow, channelParams, optionalDate, type ChannelRow } from './rows.js';
import type { ChannelKey, PostRecord, PostStatus } from './types.js';

interface PostRow extends ChannelRow {
  kind: string;
  day: string;
  digest_date: string | null;
  status: PostStatus;
  late: number;
  attempts: number;
  claimed_by: string | null;
  claimed_at: string | null;
  retry_at: string | null;
  sent_at: string | null;
  message_id: string | null;
  error: string | null;
}

export interface ClaimRequest {
  channel: ChannelKey;
  kind: string;
  /** The channel's local calendar day the post is for. */
  day: string;
  /** The digest the post would show; undefined when no digest exists up to `day`. */
  digestDate: string | undefined;
  late: boolean;
  instanceId: string;
  now: Date;
}

export type ClaimOutcome =
  /** This instance owns the send. */
  | { outcome: 'claimed'; attempt: number }
  /** The day is decided already (sent, being sent, given up, or empty). */
  | { outcome: 'settled' }
  /** A transient failure is waiting for its retry time. */
  | { outcome: 'waiting' }
  /** A later day is in the ledger: the clock went back, never post the past again. */
  | { outcome: 'newer_day' }
  /** The digest was already posted to this channel: recorded as an empty day, nothing sent. */
  | { outcome: 'no_new_papers' };

/** Statuses whose digest reached the channel, or may have. */
const DELIVERED = "('sent', 'claimed', 'unconfirmed')";

/**
 * The post ledger: one row per (channel, kind, day). Inserting the row is the claim to send,
 * decided inside one write transaction, so two schedulers on one file never both send a day.
 */
export class PostLedger {
  private readonly getStmt: Statement;
  private readonly newerStmt: Statement;
  private readonly supersedeStmt: Statement;
  private readonly lastDigestStmt: Statement;
  private readonly insertStmt: Statement;
  private readonly reclaimStmt: Statement;
  private readonly sentStmt: Statement;
  private readonly retryStmt: Statement;
  private readonly failedStmt: Statement;
  private readonly expireStmt: Statement;
  private readonly latestStmt: Statement;
  private readonly claimTx: Transaction<(request: ClaimRequest) => ClaimOutcome>;

  constructor(db: Database) {
    const key = `${CHANNEL_WHERE} AND kind = @kind`;
    this.getStmt = db.prepare(`SELECT * FROM post_ledger WHERE ${key} AND day = @day`);
    this.newerStmt = db.prepare(`SELECT 1 FROM post_ledger WHERE ${key} AND day > @day LIMIT 1`);
    this.supersedeStmt = db.prepare(
      `UPDATE post_ledger SET status = 'failed', error = 'superseded by ' || @day WHERE ${key} AND status = 'retry' AND day < @day`,
    );
    this.lastDigestStmt = db.prepare(`SELECT MAX(digest_date) AS d FROM post_ledger WHERE ${key} AND status IN ${DELIVERED}`);
    this.insertStmt = db.prepare(`
      INSERT INTO post_ledger (platform, workspace_id, channel_id, kind, day, digest_date, status, late, attempts, claimed_by, claimed_at)
      VALUES (@platform, @workspace_id, @channel_id, @kind, @day, @digest_date, @status, @late, @attempts, @instance, @now)`);
    this.reclaimStmt = db.prepare(`
      UPDATE post_ledger SET status = 'claimed', digest_date = @digest_date, late = @late, attempts = attempts + 1,
        claimed_by = @instance, claimed_at = @now, retry_at = NULL
      WHERE ${key} AND day = @day AND status = 'retry' AND retry_at <= @now`);
    this.sentStmt = db.prepare(`
      UPDATE post_ledger SET status = 'sent', sent_at = @now, message_id = @message_id, error = NULL
      WHERE ${key} AND day = @day AND status IN ('claimed', 'unconfirmed') AND claimed_by = @instance`);
    this.retryStmt = db.prepare(`
      UPDATE post_ledger SET status = 'retry', retry_at = @retry_at, error = @error
      WHERE ${key} AND day = @day AND status = 'claimed' AND claimed_by = @instance`);
    this.failedStmt = db.prepare(`
      UPDATE post_ledger SET status = 'failed', error = @error
      WHERE ${key} AND day = @day AND status = 'claimed' AND claimed_by = @instance`);
    this.expireStmt = db.prepare(`
      UPDATE post_ledger SET status = 'unconfirmed', error = 'no confirmation: the sender stopped between claim and send'
      WHERE status = 'claimed' AND claimed_at < @before RETURNING *`);
    this.latestStmt = db.prepare(`SELECT * FROM post_ledger WHERE ${key} AND status != 'empty' ORDER BY day DESC LIMIT 1`);
    this.claimTx = db.transaction((request: ClaimRequest) => this.decide(request));
  }

  /** Decides, under the database write lock, whether this instance sends the day's post. */
  claim(request: ClaimRequest): ClaimOutcome {
    return this.claimTx.immediate(request);
  }

  private decide(r: ClaimRequest): ClaimOutcome {
    const key = { ...channelParams(r.channel), kind: r.kind, day: r.day };
    const existing = this.getStmt.get(key) as PostRow | undefined;
    if (existing) {
      if (existing.status !== 'retry') return { outcome: 'settled' };
      const reclaimed = this.reclaimStmt.run({ ...key, digest_date: r.digestDate ?? null, late: r.late ? 1 : 0, instance: r.instanceId, now: r.now.toISOString() });
      return reclaimed.changes > 0 ? { outcome: 'claimed', attempt: existing.attempts + 1 } : { outcome: 'waiting' };
    }
    if (this.newerStmt.get(key)) return { outcome: 'newer_day' };
    // An older day still waiting to retry would show the same or an older digest: this day replaces it.
    this.supersedeStmt.run(key);
    const last = (this.lastDigestStmt.get(key) as { d: string | null }).d;
    const empty = r.digestDate === undefined || (last !== null && r.digestDate <= last);
    this.insertStmt.run({
      ...key,
      digest_date: r.digestDate ?? null,
      status: empty ? 'empty' : 'claimed',
      late: r.late ? 1 : 0,
      attempts: empty ? 0 : 1,
      instance: r.instanceId,
      now: r.now.toISOString(),
    });
    return empty ? { outcome: 'no_new_papers' } : { outcome: 'claimed', attempt: 1 };
  }

  /** Whether the day could still be claimed now (cheap check before building a post). */
  isOpen(channel: ChannelKey, kind: string, day: string, now: Date): boolean {
    const row = this.getStmt.get({ ...channelParams(channel), kind, day }) as PostRow | undefined;
    return !row || (row.status === 'retry' && row.retry_at !== null && row.retry_at <= now.toISOString());
  }

  markSent(channel: ChannelKey, kind: string, day: string, instanceId: string, messageId: string, now: Date): boolean {
    return this.sentStmt.run({ ...channelParams(channel), kind, day, instance: instanceId, message_id: messageId, now: now.toISOString() }).changes > 0;
  }

  markRetry(channel: ChannelKey, kind: string, day: string, instanceId: string, retryAt: Date, error: string): void {
    this.retryStmt.run({ ...channelParams(channel), kind, day, instance: instanceId, retry_at: retryAt.toISOString(), error });
  }

  markFailed(channel: ChannelKey, kind: string, day: string, instanceId: string, error: string): void {
    this.failedStmt.run({ ...channelParams(channel), kind, day, instance: instanceId, error });
  }

  /**
   * Claims older than `before` whose sender never confirmed (it crashed or was killed mid-post).
   * They become 'unconfirmed' and are NOT sent again: see README, "Exactly once".
   */
  expireClaims(before: Date): PostRecord[] {
    return (this.expireStmt.all({ before: before.toISOString() }) as PostRow[]).map(toRecord);
  }

  get(channel: ChannelKey, kind: string, day: string): PostRecord | undefined {
    const row = this.getStmt.get({ ...channelParams(channel), kind, day }) as PostRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** The channel's most recent post attempt (empty days skipped), for `subscriptions`. */
  latest(channel: ChannelKey, kind: string): PostRecord | undefined {
    const row = this.latestStmt.get({ ...channelParams(channel), kind }) as PostRow | undefined;
    return row ? toRecord(row) : undefined;
  }
}

function toRecord(row: PostRow): PostRecord {
  const record: PostRecord = {
    ...channelFromRow(row),
    kind: row.kind,
    day: row.day,
    status: row.status,
    late: row.late === 1,
    attempts: row.attempts,
  };
  if (row.digest_date) record.digestDate = row.digest_date;
  const claimedAt = optionalDate(row.claimed_at);
  if (claimedAt) record.claimedAt = claimedAt;
  const sentAt = optionalDate(row.sent_at);
  if (sentAt) record.sentAt = sentAt;
  if (row.message_id) record.messageId = row.message_id;
  if (row.error) record.error = row.error;
  return record;
}
