import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setImmediate as pause } from 'node:timers/promises';
import type { Clock } from '../clock.js';
import type { PaperLibrary } from '../index/library.js';
import type { PaperIndex } from '../index/paperIndex.js';
import type { Logger } from '../logger.js';
import type { ChannelRef, Delivery } from '../model/delivery.js';
import { PaperbotError } from '../model/errors.js';
import type { Paper } from '../model/paper.js';
import type { Reply } from '../model/reply.js';
import type { AlertCandidate, PaperIdentity } from '../store/alertRepo.js';
import { DAILY } from '../store/postLedger.js';
import type { Store } from '../store/store.js';
import type { AlertRecord, ChannelKey, PostRecord, Subscription } from '../store/types.js';
import { buildAlert } from '../present/alertPost.js';
import { buildDailyPost, markedLate, type DailyPost } from '../present/dailyPost.js';
import { NeverTwice } from './neverTwice.js';
import { WeeklyDigests } from './weekly.js';
import { attemptSend, DEFAULT_RETRY, type RetryPolicy, type SendOutcome } from './deliveryOutcome.js';
import { keyIdentities } from './paperIdentity.js';
import { alertKey, dailyPostKey, threadKeyPrefix } from './postKeys.js';
import { latestSlot, localDay } from '../time/schedule.js';
import { isoDay } from '../time/days.js';
import { watchMatch, watchMatcher } from '../index/watchMatch.js';
import { recordingPapers } from './recordPapers.js';
import { withTaste } from './tasteSection.js';

/**
 * How far before a post's first claim `findPosted` looks: a clock stepped back (NTP), or a host
 * clock a day or more ahead of the platform's (which stamps the message), must not hide a post
 * that is in the channel. The lookups are bounded by pages anyway, and run only for outcomes
 * left unknown.
 */
const FIND_LOOKBACK_MS = 7 * 24 * 60 * 60_000;

/** Papers judged new or known per transaction, so a big library never stalls answers for long. */
const JUDGE_BATCH = 2000;

export interface SchedulerOptions {
  store: Store;
  library: PaperLibrary;
  clock: Clock;
  /** The running adapters; channels of other platforms wait until their adapter runs. */
  deliveries: readonly Delivery[];
  logger: Logger;
  /** Names this process in the ledger; two instances must differ. */
  instanceId?: string;
  /** A claim older than this without a confirmation is taken to be dead (its sender stopped). */
  claimLeaseMs?: number;
  /** A post sent this long after its time is marked late. */
  lateAfterMs?: number;
  retry?: RetryPolicy;
  /**
   * Resolves once the index is current (the start-up check or rebuild of the digests folder and
   * the start-up fetch are done): `start` runs no tick before, so nothing is judged on a stale index.
   */
  indexCurrent?: () => Promise<unknown>;
  /** The longest `start` waits for `indexCurrent`; a day judged empty meanwhile stays provisional anyway. */
  indexWaitMs?: number;
}

export interface TickReport {
  posted: number;
  alerted: number;
  /** Weekly digests sent. */
  weekly?: number;
}

/**
 * Decides what is due from the store and hands it to the adapters' deliveries. Every decision
 * goes through a database claim, so restarts, clock jumps and a second instance on the same
 * file never send a day's post twice; every post carries a key, and whatever may already be in
 * the channel (a claim whose sender died, an answer lost on the way back) is looked up by that
 * key before it is sent again. See README, "Exactly once".
 */
export class Scheduler {
  private readonly deliveries = new Map<string, Delivery>();
  private readonly instanceId: string;
  private readonly claimLeaseMs: number;
  private readonly lateAfterMs: number;
  private readonly retry: RetryPolicy;
  private readonly neverTwice: NeverTwice;
  private readonly weekly: WeeklyDigests;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private ticking = false;
  private stopped = false;
  /** The index whose papers are recorded as known; each index is judged once. */
  private judged: PaperIndex | undefined;
  /** When the last tick over a ready index began; the health endpoint reports it. */
  lastTickAt: Date | undefined;

  constructor(private readonly options: SchedulerOptions) {
    // Every message's papers are recorded: reactions on it are the channel's signals.
    for (const d of options.deliveries) this.deliveries.set(d.platform, recordingPapers(d, options.store, options.clock));
    this.instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.claimLeaseMs = options.claimLeaseMs ?? 5 * 60_000;
    this.lateAfterMs = options.lateAfterMs ?? 10 * 60_000;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.neverTwice = new NeverTwice(options.store, options.logger);
    this.weekly = new WeeklyDigests({
      ...options,
      instanceId: this.instanceId,
      lateAfterMs: this.lateAfterMs,
      retry: this.retry,
      neverTwice: this.neverTwice,
      deliveries: this.deliveries,
      settle: (channel, outcome, record) => this.settle(channel, outcome, record),
      lookbackFrom,
      channelRef,
      channelLog,
    });
  }

  /**
   * Once the index is current: ticks every `intervalMs` and right after each index swap.
   * Ticking reads the clock, so jumps are harmless.
   */
  start(intervalMs = 30_000): void {
    const begin = () => {
      if (this.stopped) return;
      this.unsubscribe = this.options.library.onSwap(() => void this.tick());
      this.timer = setInterval(() => {
        if (!this.ticking) void this.tick();
      }, intervalMs);
      this.timer.unref();
      void this.tick();
    };
    const indexCurrent = this.options.indexCurrent;
    if (!indexCurrent) {
      begin();
      return;
    }
    const { logger } = this.options;
    const started = performance.now();
    const waitMs = this.options.indexWaitMs ?? 10 * 60_000;
    logger.info({ waitMs }, 'scheduler waiting for the index to be current');
    let timeout: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timeout = setTimeout(() => resolve('timeout'), waitMs);
      timeout.unref();
    });
    const current = indexCurrent().then(
      () => 'current' as const,
      (err: unknown) => {
        logger.warn({ err }, 'making the index current failed; scheduling from the index as it is');
        return 'failed' as const;
      },
    );
    void Promise.race([current, timedOut]).then((how) => {
      clearTimeout(timeout);
      if (this.stopped) return;
      const ms = Math.round(performance.now() - started);
      if (how === 'timeout') logger.warn({ ms }, 'index still not current: scheduling anyway; days judged empty stay open for digests arriving later');
      else logger.info({ ms, how }, 'index current: scheduler started');
      begin();
    });
  }

  /** Stops ticking; resolves when a tick under way is done (a stop while waiting for the index does not wait for it). */
  stop(): Promise<unknown> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    return this.queue;
  }

  /** One pass: expire dead claims, queue alerts for new papers, send what is due, complete threads. Ticks never overlap. */
  tick(): Promise<TickReport> {
    const run = this.queue.then(() => this.runTick());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runTick(): Promise<TickReport> {
    const report: TickReport = { posted: 0, alerted: 0 };
    if (!this.options.library.ready) return report;
    this.lastTickAt = this.options.clock.now();
    this.ticking = true;
    try {
      const index = this.options.library.current();
      this.expireClaims();
      await this.recordLibrary(index);
      // Channels due the same day with the same top N share one post: summaries are costly to build.
      const built = new Map<string, DailyPost | undefined>();
      const postFor = (day: string, topN: number) => {
        const key = `${day} ${topN}`;
        if (!built.has(key)) built.set(key, buildDailyPost(index, day, topN));
        return built.get(key);
      };
      for (const sub of this.options.store.subscriptions.all()) {
        try {
          if (await this.runSubscription(sub, postFor)) report.posted++;
        } catch (err) {
          this.options.logger.error({ err, channel: channelLog(sub) }, 'daily post failed unexpectedly');
        }
      }
      this.weekly.recordUpvotes(index);
      report.weekly = await this.weekly.run(index);
      await this.completeThreads();
      report.alerted = await this.sendAlerts(index);
    } catch (err) {
      this.options.logger.error({ err }, 'scheduler tick failed');
    } finally {
      this.ticking = false;
    }
    return report;
  }

  private expireClaims(): void {
    const before = new Date(this.options.clock.now().getTime() - this.claimLeaseMs);
    for (const post of this.options.store.posts.expireClaims(before)) {
      this.options.logger.warn(
        { channel: channelLog(post), kind: post.kind, day: post.day, key: post.key },
        'daily post unconfirmed: its sender stopped before confirming; the channel is asked before it is sent again',
      );
    }
    for (const alert of this.options.store.alerts.expireClaims(before)) {
      this.options.logger.warn(
        { channel: channelLog(alert), alert: alert.id, key: alert.key },
        'alert unconfirmed: its sender stopped before confirming; the channel is asked before it is sent again',
      );
    }
  }

  /** True when the day's post is out (sent now, or found in the channel). */
  private async runSubscription(sub: Subscription, postFor: (day: string, topN: number) => DailyPost | undefined): Promise<boolean> {
    const { store, clock, logger } = this.options;
    const delivery = this.deliveries.get(sub.platform);
    if (!delivery || store.pauses.get(sub)) return false;
    const now = clock.now();
    const slot = latestSlot(sub, now);
    if (!slot || slot < sub.scheduleFrom) return false;
    const day = localDay(slot, sub.timezone);
    if (!store.posts.isOpen(sub, DAILY, day, now)) return false;
    if (!(await this.settleEarlierDays(sub, delivery, day))) return false;
    // Built before the claim: a bug here must not leave a claimed day that was never sent.
    const shared = withTaste(this.options.library.current(), store, sub, day, postFor(day, sub.topN));
    const built = shared && (await this.neverTwice.dailyPost(sub, channelRef(sub), shared, delivery));
    const claim = store.posts.claim({
      channel: sub,
      kind: DAILY,
      day,
      digestDate: built?.digestDate,
      key: dailyPostKey(sub, day),
      payload: built ? JSON.stringify(built) : undefined,
      hasThread: (built?.thread.length ?? 0) > 0,
      dueAt: slot,
      instanceId: this.instanceId,
      now,
    });
    if (claim.outcome === 'no_new_papers') logger.info({ channel: channelLog(sub), day, digest: built?.digestDate ?? null }, 'daily post skipped: no digest newer than the last one posted');
    if (claim.outcome !== 'claimed') return false;

    const record = claim.record;
    const post = record.payload ? (JSON.parse(record.payload) as DailyPost) : undefined;
    if (!post || !record.key) {
      store.posts.markFailed(sub, DAILY, day, this.instanceId, 'nothing to post');
      return false;
    }
    const dueAt = record.dueAt ?? slot;
    const late = now.getTime() - dueAt.getTime() > this.lateAfterMs;
    const shown = late ? markedLate(post, dueAt, sub.timezone) : post;
    const ref = channelRef(sub);
    const key = record.key;
    let found = false;
    const outcome = await attemptSend(
      async () => {
        if (claim.resend) {
          const posted = await delivery.findPosted(ref, key, lookbackFrom(record, now));
          if (posted) {
            found = true;
            return posted.messageId;
          }
        }
        return (await delivery.post(ref, shown.reply, key)).messageId;
      },
      claim.attempt,
      now,
      this.retry,
    );
    const done = this.settle(sub, outcome, {
      sent: (messageId) =>
        store.atomically(() => {
          if (found) store.posts.markFound(sub, DAILY, day, this.instanceId, messageId, clock.now());
          else store.posts.markSent(sub, DAILY, day, this.instanceId, messageId, clock.now(), late);
          this.neverTwice.record(sub, 'posts', post.reply, { postKey: key, messageId, day }, clock.now());
        }),
      retry: (at, reason) => store.posts.markRetry(sub, DAILY, day, this.instanceId, at, reason),
      failed: (reason) => store.posts.markFailed(sub, DAILY, day, this.instanceId, reason),
      what: 'daily post',
      fields: { day, key },
    });
    if (!done) return false;
    const fields = { channel: channelLog(sub), day, digest: post.digestDate, key, attempt: claim.attempt };
    if (found) logger.info(fields, 'daily post found in the channel under its key: recorded as sent, not posted again');
    else if (late) logger.info({ ...fields, dueAt: dueAt.toISOString() }, 'daily post sent late');
    else logger.info(fields, 'daily post sent');
    return true;
  }

  /**
   * Earlier days of the channel still open (being sent, or their outcome unknown) decide whether
   * this day's digest is new, so they are settled first: the channel is asked for each by its
   * key. False when that cannot be done now (a live claim, or the channel cannot be read).
   */
  private async settleEarlierDays(sub: Subscription, delivery: Delivery, day: string): Promise<boolean> {
    const { store, clock, logger } = this.options;
    for (const row of store.posts.openBefore(sub, DAILY, day)) {
      if (row.status === 'claimed' || !row.key) return false;
      const fields = { channel: channelLog(sub), day: row.day, key: row.key, today: day };
      try {
        const posted = await delivery.findPosted(channelRef(sub), row.key, lookbackFrom(row, clock.now()));
        if (posted) {
          const post = row.payload ? (JSON.parse(row.payload) as DailyPost) : undefined;
          store.atomically(() => {
            store.posts.markFound(sub, DAILY, row.day, this.instanceId, posted.messageId, clock.now());
            if (post) this.neverTwice.record(sub, 'posts', post.reply, { postKey: row.key!, messageId: posted.messageId, day: row.day }, clock.now());
          });
          logger.info(fields, 'earlier daily post found in the channel under its key: recorded as sent');
        } else {
          store.posts.markMissing(sub, DAILY, row.day, `not in the channel; superseded by ${day}`);
          logger.warn(fields, 'earlier daily post never reached the channel: superseded by today’s post');
        }
      } catch (err) {
        logger.warn({ ...fields, err }, 'could not look for an earlier daily post in the channel; trying again next tick');
        return false;
      }
    }
    return true;
  }

  /** Posts the summary threads still to complete: just sent, or cut short by a crash or a failure. */
  private async completeThreads(): Promise<void> {
    const { store, clock, logger } = this.options;
    const now = clock.now();
    const before = new Date(now.getTime() - this.claimLeaseMs);
    const wanted = (channel: ChannelKey) => this.deliveries.has(channel.platform) && !store.pauses.get(channel);
    for (const row of store.posts.claimThreads(this.instanceId, now, before, wanted)) {
      const delivery = this.deliveries.get(row.platform)!;
      const fields = { channel: channelLog(row), day: row.day, key: row.key, attempt: row.threadAttempts };
      const post = row.payload ? (JSON.parse(row.payload) as DailyPost) : undefined;
      if (!post || !row.key || !row.messageId) {
        store.posts.markThreadFailed(row, this.instanceId, 'nothing to post');
        continue;
      }
      const messageId = row.messageId;
      const prefix = threadKeyPrefix(row.key);
      const outcome = await attemptSend(
        async () => {
          await delivery.postInThread(channelRef(row), { messageId }, post.threadTitle, post.thread, prefix);
          return messageId;
        },
        row.threadAttempts,
        now,
        this.retry,
      );
      this.settle(row, outcome, {
        sent: () => store.posts.markThreadDone(row, this.instanceId),
        retry: (at, reason) => store.posts.markThreadRetry(row, this.instanceId, at, reason),
        failed: (reason) => store.posts.markThreadFailed(row, this.instanceId, reason),
        what: 'summary thread',
        fields: { day: row.day, key: row.key },
      });
      if (outcome.kind === 'sent') logger.info({ ...fields, replies: post.thread.length }, row.threadAttempts > 1 ? 'summary thread completed after an interruption' : 'summary thread posted');
    }
  }

  /** Records a send's outcome; a permanent failure pauses the channel. */
  private settle(
    channel: ChannelKey,
    outcome: SendOutcome,
    record: { sent(id: string): void; retry(at: Date, reason: string): void; failed(reason: string): void; what: string; fields: Record<string, unknown> },
  ): boolean {
    const { store, logger, clock } = this.options;
    const fields = { channel: channelLog(channel), what: record.what, ...record.fields };
    switch (outcome.kind) {
      case 'sent':
        record.sent(outcome.messageId);
        return true;
      case 'retry':
        record.retry(outcome.at, outcome.reason);
        logger.warn({ ...fields, retryAt: outcome.at.toISOString(), reason: outcome.reason }, 'scheduled post failed; will ask the channel and retry');
        return false;
      case 'give_up':
        record.failed(outcome.reason);
        logger.error({ ...fields, attempts: this.retry.maxAttempts, reason: outcome.reason }, 'scheduled post failed every attempt; giving up on it');
        return false;
      case 'pause':
        record.failed(outcome.reason);
        store.pauses.pause(channel, outcome.reason, clock.now());
        logger.warn({ ...fields, reason: outcome.reason }, 'channel paused: cannot post there; run subscribe there to resume');
        return false;
    }
  }

  /**
   * Records the index's papers as known to the library and queues alerts for the new ones that
   * match a watch. New means none of the paper's identities was known: whichever file brings it,
   * and never for papers a rebuild, a snapshot or a second id brings back.
   */
  private async recordLibrary(index: PaperIndex): Promise<void> {
    if (this.judged === index) return;
    const { store, clock, logger, library } = this.options;
    const baseline = !store.alerts.hasBaseline();
    const fresh: PaperIdentity[] = [];
    // In short transactions with answers between them; each batch is recorded for good, so an
    // index replaced meanwhile (or a crash) leaves nothing half done: the rest is judged later.
    // Judging needs a paper's id and title key only: the papers themselves are read for the new ones alone.
    for (let start = 0; start < index.size; start += JUDGE_BATCH) {
      const batch = index.identityKeys(start, start + JUDGE_BATCH).map((key) => ({ paperId: key.id, identities: () => keyIdentities(key) }));
      fresh.push(...store.alerts.sortOut(batch, clock.now(), baseline));
      await pause();
      if (library.current() !== index) return;
    }
    this.judged = index;
    if (baseline) {
      store.alerts.setBaseline(clock.now());
      logger.info({ papers: index.size }, 'first run: the library’s papers recorded as known, no alerts for them');
      return;
    }
    if (fresh.length === 0) return;
    const byId = new Map(fresh.map(({ paperId }) => [paperId, index.get(paperId)!]));
    const result = store.alerts.ingest(
      fresh,
      clock.now(),
      (newIds) =>
        this.matchWatches(
          index,
          newIds.map((id) => byId.get(id)!),
        ),
      {
        key: (candidate, alertId) => alertKey(candidate.channel, alertId),
        reply: (candidate, ids) =>
          JSON.stringify(
            buildAlert(
              candidate.query,
              ids.map((id) => byId.get(id)!),
              watchMatch(candidate.query, index.acronyms()),
            ),
          ),
      },
    );
    if (result.newPapers.length > 0) logger.info({ papers: result.newPapers.length, alerts: result.alerts.length }, 'new papers in the library: alerts queued');
  }

  private matchWatches(index: PaperIndex, fresh: readonly Paper[]): AlertCandidate[] {
    const candidates: AlertCandidate[] = [];
    for (const watch of this.options.store.watches.all()) {
      if (this.options.store.pauses.get(watch)) continue;
      const paperIds = fresh.filter(watchMatcher(watch.query, index.acronyms())).map((p) => p.id);
      if (paperIds.length > 0) candidates.push({ channel: watch, query: watch.query, paperIds });
    }
    return candidates;
  }

  private async sendAlerts(index: PaperIndex): Promise<number> {
    const { store, clock, logger } = this.options;
    let sent = 0;
    for (const alert of store.alerts.claimDue(new Set(this.deliveries.keys()), this.instanceId, clock.now())) {
      const delivery = this.deliveries.get(alert.platform)!;
      if (store.pauses.get(alert)) {
        store.alerts.markFailed(alert.id, this.instanceId, 'channel paused');
        continue;
      }
      const ref = channelRef(alert);
      const key = alert.key;
      let found = false;
      let shown: Reply | undefined;
      const outcome = await attemptSend(
        async () => {
          if (key && alert.attempts > 1) {
            const posted = await delivery.findPosted(ref, key, new Date(alert.createdAt.getTime() - FIND_LOOKBACK_MS));
            if (posted) {
              found = true;
              if (alert.reply) shown = JSON.parse(alert.reply) as Reply;
              return posted.messageId;
            }
          }
          const presented = await this.neverTwice.present(alert, ref, 'posts', this.alertReply(alert, index), delivery);
          shown = presented.reply;
          if (presented.kept.length === 0) return ALL_REPEATS;
          return (await delivery.post(ref, presented.reply, key)).messageId;
        },
        alert.attempts,
        clock.now(),
        this.retry,
      );
      const fields = { channel: channelLog(alert), alert: alert.id, key, papers: alert.paperIds.length, attempt: alert.attempts };
      if (outcome.kind === 'sent' && outcome.messageId === ALL_REPEATS) {
        store.alerts.markFailed(alert.id, this.instanceId, 'every paper of it was already posted in this channel');
        logger.info(fields, 'alert not sent: the channel already got every paper of it');
        continue;
      }
      if (!this.settleAlert(alert, outcome, shown)) continue;
      sent++;
      logger.info(fields, found ? 'alert found in the channel under its key: recorded as sent, not posted again' : 'alert sent');
    }
    return sent;
  }

  /** The alert as queued; alerts queued before their reply was stored are built from the index, and wait while it lacks their papers. */
  private alertReply(alert: AlertRecord, index: PaperIndex): Reply {
    if (alert.reply) return JSON.parse(alert.reply) as Reply;
    const papers = alert.paperIds.map((id) => index.get(id)).filter((p): p is Paper => p !== undefined);
    if (papers.length === 0) throw new PaperbotError('alert_papers_missing', 'the papers of this alert are not in the index yet');
    return buildAlert(alert.query, papers, watchMatch(alert.query, index.acronyms()));
  }

  private settleAlert(alert: AlertRecord, outcome: SendOutcome, shown: Reply | undefined): boolean {
    const { store, clock } = this.options;
    return this.settle(alert, outcome, {
      sent: (messageId) =>
        store.atomically(() => {
          store.alerts.markSent(alert.id, this.instanceId, messageId, clock.now());
          if (shown && alert.key) this.neverTwice.record(alert, 'posts', shown, { postKey: alert.key, messageId, day: isoDay(clock.now()) }, clock.now());
        }),
      retry: (at, reason) => store.alerts.markRetry(alert.id, this.instanceId, at, reason),
      failed: (reason) => store.alerts.markFailed(alert.id, this.instanceId, reason),
      what: 'alert',
      fields: { alert: alert.id, query: alert.query, key: alert.key },
    });
  }
}

/** What an alert's send returns when every paper of it is a repeat: nothing is posted. */
const ALL_REPEATS = '';

/** Where `findPosted` starts looking for a post first claimed at that row's time. */
function lookbackFrom(row: PostRecord, now: Date): Date {
  return new Date((row.firstClaimedAt ?? row.claimedAt ?? now).getTime() - FIND_LOOKBACK_MS);
}

export function channelRef(channel: ChannelKey): ChannelRef {
  return channel.workspaceId ? { platform: channel.platform, workspaceId: channel.workspaceId, channelId: channel.channelId } : { platform: channel.platform, channelId: channel.channelId };
}

function channelLog(channel: ChannelKey): string {
  return `${channel.platform}:${channel.workspaceId}/${channel.channelId}`;
}
