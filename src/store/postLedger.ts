import type { Database, Statement, Transaction } from 'better-sqlite3';
import { CHANNEL_WHERE, channelFromRow, channelParams, optionalDate, type ChannelRow } from './rows.js';
import type { ChannelKey, PostRecord, PostStatus, ThreadStatus } from './types.js';

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
  post_key: string | null;
  payload: string | null;
  due_at: string | null;
  first_claimed_at: string | null;
  thread_status: ThreadStatus | null;
  thread_attempts: number;
}

export interface ClaimRequest {
  channel: ChannelKey;
  kind: string;
  /** The channel's local calendar day the post is for. */
  day: string;
  /** The digest the post would show; undefined when no digest exists up to `day`. */
  digestDate: string | undefined;
  /** The key the post carries in the channel. */
  key: string;
  /** The post as built now (JSON); an earlier attempt's payload wins over it. */
  payload: string | undefined;
  /** Whether the post has a thread to complete once it is out. */
  hasThread: boolean;
  dueAt: Date;
  instanceId: string;
  now: Date;
}

export type ClaimOutcome =
  /**
   * This instance owns the send. `resend`: an earlier attempt may have reached the channel (its
   * sender died, or the platform answered with an error), so ask the channel before sending.
   */
  | { outcome: 'claimed'; attempt: number; resend: boolean; record: PostRecord }
  /** The day is decided already (sent, being sent, given up). */
  | { outcome: 'settled' }
  /** A transient failure is waiting for its retry time. */
  | { outcome: 'waiting' }
  /** A later day is in the ledger: the clock went back, never post the past again. */
  | { outcome: 'newer_day' }
  /** Nothing new to post: recorded as an empty day, which a digest arriving later that day reopens. */
  | { outcome: 'no_new_papers' };

/**
 * Rows whose digest reached the channel or is being sent. Rows from before keyed posts that
 * ended unconfirmed count too: they cannot be looked up, and resending them risks a duplicate.
 */
const DELIVERED = "(status IN ('sent', 'claimed') OR (status = 'unconfirmed' AND post_key IS NULL))";

/** Rows whose outcome is unknown until the channel is asked. */
const UNKNOWN = "status IN ('retry', 'unconfirmed') AND post_key IS NOT NULL";

/** The ledger kind of a channel's daily digest post. */
export const DAILY = 'daily';

/**
 * The post ledger: one row per (channel, kind, day). Inserting the row is the claim to send,
 * decided inside one write transaction, so two schedulers on one file never both send a day.
 * A row also remembers the post's key and content, and whether its summary thread is complete.
 */
export class PostLedger {
  private readonly getStmt: Statement;
  private readonly newerStmt: Statement;
  private readonly olderOpenStmt: Statement;
  private readonly lastDigestStmt: Statement;
  private readonly insertStmt: Statement;
  private readonly reclaimStmt: Statement;
  private readonly reopenStmt: Statement;
  private readonly sentStmt: Statement;
  private readonly foundStmt: Statement;
  private readonly missingStmt: Statement;
  private readonly retryStmt: Statement;
  private readonly failedStmt: Statement;
  private readonly expireStmt: Statement;
  private readonly latestStmt: Statement;
  private readonly threadsDueStmt: Statement;
  private readonly claimThreadStmt: Statement;
  private readonly threadDoneStmt: Statement;
  private readonly threadRetryStmt: Statement;
  private readonly threadFailedStmt: Statement;
  private readonly claimTx: Transaction<(request: ClaimRequest) => ClaimOutcome>;

  constructor(db: Database) {
    const channelKind = `${CHANNEL_WHERE} AND kind = @kind`;
    const key = `${channelKind} AND day = @day`;
    this.getStmt = db.prepare(`SELECT * FROM post_ledger WHERE ${key}`);
    this.newerStmt = db.prepare(`SELECT 1 FROM post_ledger WHERE ${channelKind} AND day > @day LIMIT 1`);
    this.olderOpenStmt = db.prepare(`SELECT * FROM post_ledger WHERE ${channelKind} AND day < @day AND (status = 'claimed' OR (${UNKNOWN})) ORDER BY day`);
    this.lastDigestStmt = db.prepare(`SELECT MAX(digest_date) AS d FROM post_ledger WHERE ${channelKind} AND ${DELIVERED}`);
    this.insertStmt = db.prepare(`
      INSERT INTO post_ledger (platform, workspace_id, channel_id, kind, day, digest_date, status, late, attempts, claimed_by, claimed_at,
        post_key, payload, due_at, first_claimed_at, thread_status)
      VALUES (@platform, @workspace_id, @channel_id, @kind, @day, @digest_date, @status, 0, @attempts, @instance, @now,
        @post_key, @payload, @due_at, @first_claimed_at, @thread_status)`);
    this.reclaimStmt = db.prepare(`
      UPDATE post_ledger SET status = 'claimed', attempts = attempts + 1, claimed_by = @instance, claimed_at = @now, retry_at = NULL,
        post_key = COALESCE(post_key, @post_key), payload = COALESCE(payload, @payload), digest_date = COALESCE(digest_date, @digest_date),
        due_at = COALESCE(due_at, @due_at), first_claimed_at = COALESCE(first_claimed_at, @now),
        thread_status = COALESCE(thread_status, @thread_status)
      WHERE ${key} AND (status = 'unconfirmed' OR (status = 'retry' AND retry_at <= @now)) RETURNING *`);
    this.reopenStmt = db.prepare(`
      UPDATE post_ledger SET status = 'claimed', attempts = 1, claimed_by = @instance, claimed_at = @now, digest_date = @digest_date,
        post_key = @post_key, payload = @payload, due_at = @due_at, first_claimed_at = @now, thread_status = @thread_status
      WHERE ${key} AND status = 'empty' RETURNING *`);
    this.sentStmt = db.prepare(`
      UPDATE post_ledger SET status = 'sent', sent_at = @now, message_id = @message_id, late = @late, error = NULL
      WHERE ${key} AND status = 'claimed' AND claimed_by = @instance`);
    this.foundStmt = db.prepare(`
      UPDATE post_ledger SET status = 'sent', sent_at = COALESCE(sent_at, @now), message_id = @message_id, error = NULL
      WHERE ${key} AND (status IN ('retry', 'unconfirmed') OR (status = 'claimed' AND claimed_by = @instance))`);
    this.missingStmt = db.prepare(`UPDATE post_ledger SET status = 'failed', error = @error WHERE ${key} AND ${UNKNOWN}`);
    this.retryStmt = db.prepare(`
      UPDATE post_ledger SET status = 'retry', retry_at = @retry_at, error = @error
      WHERE ${key} AND status = 'claimed' AND claimed_by = @instance`);
    this.failedStmt = db.prepare(`
      UPDATE post_ledger SET status = 'failed', error = @error
      WHERE ${key} AND status = 'claimed' AND claimed_by = @instance`);
    this.expireStmt = db.prepare(`
      UPDATE post_ledger SET status = 'unconfirmed', error = 'no confirmation: the sender stopped between claim and confirmation'
      WHERE status = 'claimed' AND claimed_at < @before RETURNING *`);
    this.latestStmt = db.prepare(`SELECT * FROM post_ledger WHERE ${channelKind} AND status != 'empty' ORDER BY day DESC LIMIT 1`);
    const threadDue = `status = 'sent' AND thread_status = 'pending' AND (thread_retry_at IS NULL OR thread_retry_at <= @now)
      AND (thread_claimed_at IS NULL OR thread_claimed_at < @before)`;
    this.threadsDueStmt = db.prepare(`SELECT * FROM post_ledger WHERE ${threadDue} ORDER BY day`);
    this.claimThreadStmt = db.prepare(`
      UPDATE post_ledger SET thread_claimed_by = @instance, thread_claimed_at = @now, thread_attempts = thread_attempts + 1
      WHERE ${key} AND ${threadDue} RETURNING *`);
    const mine = `${key} AND thread_status = 'pending' AND thread_claimed_by = @instance`;
    this.threadDoneStmt = db.prepare(`UPDATE post_ledger SET thread_status = 'done', thread_error = NULL WHERE ${mine}`);
    this.threadRetryStmt = db.prepare(`UPDATE post_ledger SET thread_claimed_at = NULL, thread_retry_at = @retry_at, thread_error = @error WHERE ${mine}`);
    this.threadFailedStmt = db.prepare(`UPDATE post_ledger SET thread_status = 'failed', thread_error = @error WHERE ${mine}`);
    this.claimTx = db.transaction((request: ClaimRequest) => this.decide(request));
  }

  /** Decides, under the database write lock, whether this instance sends the day's post. */
  claim(request: ClaimRequest): ClaimOutcome {
    return this.claimTx.immediate(request);
  }

  private decide(r: ClaimRequest): ClaimOutcome {
    const key = { ...channelParams(r.channel), kind: r.kind, day: r.day };
    const values = {
      ...key,
      digest_date: r.digestDate ?? null,
      post_key: r.key,
      payload: r.payload ?? null,
      due_at: r.dueAt.toISOString(),
      thread_status: r.hasThread ? 'pending' : null,
      instance: r.instanceId,
      now: r.now.toISOString(),
    };
    const existing = this.getStmt.get(key) as PostRow | undefined;
    if (existing) {
      if (existing.status === 'retry' || existing.status === 'unconfirmed') {
        const row = this.reclaimStmt.get(values) as PostRow | undefined;
        if (!row) return { outcome: 'waiting' };
        return { outcome: 'claimed', attempt: row.attempts, resend: true, record: toRecord(row) };
      }
      // An empty day is provisional: a digest that reaches the index later that day (a rebuild
      // still running, the start-up fetch, a file dropped late) is posted then, marked late.
      if (existing.status === 'empty' && r.payload !== undefined && this.isNewDigest(key, r.digestDate)) {
        const row = this.reopenStmt.get(values) as PostRow;
        return { outcome: 'claimed', attempt: 1, resend: false, record: toRecord(row) };
      }
      return { outcome: 'settled' };
    }
    if (this.newerStmt.get(key)) return { outcome: 'newer_day' };
    // An older day still being sent (or not yet asked about) decides whether this digest is new.
    if (this.olderOpenStmt.get(key)) return { outcome: 'waiting' };
    const claimed = r.payload !== undefined && this.isNewDigest(key, r.digestDate);
    this.insertStmt.run({
      ...values,
      status: claimed ? 'claimed' : 'empty',
      attempts: claimed ? 1 : 0,
      first_claimed_at: claimed ? values.now : null,
      thread_status: claimed ? values.thread_status : null,
    });
    if (!claimed) return { outcome: 'no_new_papers' };
    return { outcome: 'claimed', attempt: 1, resend: false, record: toRecord(this.getStmt.get(key) as PostRow) };
  }

  private isNewDigest(key: { platform: string; workspace_id: string; channel_id: string; kind: string }, digestDate: string | undefined): boolean {
    if (digestDate === undefined) return false;
    const last = (this.lastDigestStmt.get(key) as { d: string | null }).d;
    return last === null || digestDate > last;
  }

  /** Whether the day could still be claimed now (cheap check before building a post). */
  isOpen(channel: ChannelKey, kind: string, day: string, now: Date): boolean {
    const row = this.getStmt.get({ ...channelParams(channel), kind, day }) as PostRow | undefined;
    if (!row) return true;
    if (row.status === 'retry') return row.retry_at !== null && row.retry_at <= now.toISOString();
    return row.status === 'unconfirmed' || row.status === 'empty';
  }

  /** Days before `day` that are still being sent or whose outcome is unknown; they are settled first. */
  openBefore(channel: ChannelKey, kind: string, day: string): PostRecord[] {
    return (this.olderOpenStmt.all({ ...channelParams(channel), kind, day }) as PostRow[]).map(toRecord);
  }

  markSent(channel: ChannelKey, kind: string, day: string, instanceId: string, messageId: string, now: Date, late: boolean): boolean {
    return this.sentStmt.run({ ...channelParams(channel), kind, day, instance: instanceId, message_id: messageId, now: now.toISOString(), late: late ? 1 : 0 }).changes > 0;
  }

  /** The channel shows the post under its key: it is out, whatever the ledger said. */
  markFound(channel: ChannelKey, kind: string, day: string, instanceId: string, messageId: string, now: Date): boolean {
    return this.foundStmt.run({ ...channelParams(channel), kind, day, instance: instanceId, message_id: messageId, now: now.toISOString() }).changes > 0;
  }

  /** The channel does not show an older day's post, and a later day now takes its place. */
  markMissing(channel: ChannelKey, kind: string, day: string, error: string): boolean {
    return this.missingStmt.run({ ...channelParams(channel), kind, day, error }).changes > 0;
  }

  markRetry(channel: ChannelKey, kind: string, day: string, instanceId: string, retryAt: Date, error: string): void {
    this.retryStmt.run({ ...channelParams(channel), kind, day, instance: instanceId, retry_at: retryAt.toISOString(), error });
  }

  markFailed(channel: ChannelKey, kind: string, day: string, instanceId: string, error: string): void {
    this.failedStmt.run({ ...channelParams(channel), kind, day, instance: instanceId, error });
  }

  /**
   * Claims older than `before` whose sender never confirmed (it crashed or was killed mid-post).
   * They become 'unconfirmed': the next attempt asks the channel before sending again.
   */
  expireClaims(before: Date): PostRecord[] {
    return (this.expireStmt.all({ before: before.toISOString() }) as PostRow[]).map(toRecord);
  }

  /**
   * Claims the summary threads still to complete (a post just sent, or a thread cut short by a
   * crash or a failure), each by one instance; a thread claim older than `before` is free again.
   */
  claimThreads(instanceId: string, now: Date, before: Date, wanted: (channel: ChannelKey) => boolean): PostRecord[] {
    const at = { now: now.toISOString(), before: before.toISOString() };
    const claimed: PostRecord[] = [];
    for (const row of this.threadsDueStmt.all(at) as PostRow[]) {
      if (!wanted(channelFromRow(row))) continue;
      const won = this.claimThreadStmt.get({ ...channelParams(channelFromRow(row)), kind: row.kind, day: row.day, instance: instanceId, ...at }) as PostRow | undefined;
      if (won) claimed.push(toRecord(won));
    }
    return claimed;
  }

  markThreadDone(post: PostRecord, instanceId: string): void {
    this.threadDoneStmt.run({ ...channelParams(post), kind: post.kind, day: post.day, instance: instanceId });
  }

  markThreadRetry(post: PostRecord, instanceId: string, retryAt: Date, error: string): void {
    this.threadRetryStmt.run({ ...channelParams(post), kind: post.kind, day: post.day, instance: instanceId, retry_at: retryAt.toISOString(), error });
  }

  markThreadFailed(post: PostRecord, instanceId: string, error: string): void {
    this.threadFailedStmt.run({ ...channelParams(post), kind: post.kind, day: post.day, instance: instanceId, error });
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
    threadAttempts: row.thread_attempts,
  };
  if (row.digest_date) record.digestDate = row.digest_date;
  const claimedAt = optionalDate(row.claimed_at);
  if (claimedAt) record.claimedAt = claimedAt;
  const sentAt = optionalDate(row.sent_at);
  if (sentAt) record.sentAt = sentAt;
  if (row.message_id) record.messageId = row.message_id;
  if (row.error) record.error = row.error;
  if (row.post_key) record.key = row.post_key;
  if (row.payload) record.payload = row.payload;
  const dueAt = optionalDate(row.due_at);
  if (dueAt) record.dueAt = dueAt;
  const firstClaimedAt = optionalDate(row.first_claimed_at);
  if (firstClaimedAt) record.firstClaimedAt = firstClaimedAt;
  if (row.thread_status) record.threadStatus = row.thread_status;
  return record;
}
