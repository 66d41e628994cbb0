import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../clock.js';
import type { PaperLibrary } from '../index/library.js';
import type { PaperIndex } from '../index/paperIndex.js';
import type { Logger } from '../logger.js';
import type { ChannelRef, Delivery } from '../model/delivery.js';
import type { Paper } from '../model/paper.js';
import type { AlertCandidate } from '../store/alertRepo.js';
import type { Store } from '../store/store.js';
import type { AlertRecord, ChannelKey, Subscription } from '../store/types.js';
import { buildAlert } from './alertPost.js';
import { buildDailyPost, markedLate, type DailyPost } from './dailyPost.js';
import { attemptSend, DEFAULT_RETRY, type RetryPolicy, type SendOutcome } from './deliveryOutcome.js';
import { latestSlot, localDay } from './schedule.js';
import { papersOfDigests, watchMatcher } from './watchMatch.js';

export const DAILY = 'daily';

export interface SchedulerOptions {
  store: Store;
  library: PaperLibrary;
  clock: Clock;
  /** The running adapters; channels of other platforms wait until their adapter runs. */
  deliveries: readonly Delivery[];
  logger: Logger;
  /** Names this process in the ledger; two instances must differ. */
  instanceId?: string;
  /** A claim older than this without a confirmation is declared unconfirmed (sender died). */
  claimLeaseMs?: number;
  /** A post sent this long after its time is marked late. */
  lateAfterMs?: number;
  retry?: RetryPolicy;
}

export interface TickReport {
  posted: number;
  alerted: number;
}

/**
 * Decides what is due from the store and hands it to the adapters' deliveries. Every decision
 * goes through a database claim, so restarts, clock jumps and a second instance on the same
 * file never send a day's post twice. Delivery is at most once: see README, "Exactly once".
 */
export class Scheduler {
  private readonly deliveries = new Map<string, Delivery>();
  private readonly instanceId: string;
  private readonly claimLeaseMs: number;
  private readonly lateAfterMs: number;
  private readonly retry: RetryPolicy;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private ticking = false;
  /** When the last tick over a ready index began; the health endpoint reports it. */
  lastTickAt: Date | undefined;

  constructor(private readonly options: SchedulerOptions) {
    for (const d of options.deliveries) this.deliveries.set(d.platform, d);
    this.instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.claimLeaseMs = options.claimLeaseMs ?? 10 * 60_000;
    this.lateAfterMs = options.lateAfterMs ?? 10 * 60_000;
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  /** Ticks every `intervalMs` and right after each index swap. Ticking reads the clock, so jumps are harmless. */
  start(intervalMs = 30_000): void {
    this.unsubscribe = this.options.library.onSwap(() => void this.tick());
    this.timer = setInterval(() => {
      if (!this.ticking) void this.tick();
    }, intervalMs);
    this.timer.unref();
    void this.tick();
  }

  stop(): Promise<unknown> {
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    return this.queue;
  }

  /** One pass: expire dead claims, queue alerts for new digests, send what is due. Ticks never overlap. */
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
      this.queueAlerts(index);
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
        { channel: channelLog(post), day: post.day },
        'daily post unconfirmed: its sender stopped between claim and confirmation; not resending (at most once)',
      );
    }
    for (const alert of this.options.store.alerts.expireClaims(before)) {
      this.options.logger.warn({ channel: channelLog(alert), alert: alert.id }, 'alert unconfirmed: not resending (at most once)');
    }
  }

  /** True when a post went out. */
  private async runSubscription(sub: Subscription, postFor: (day: string, topN: number) => DailyPost | undefined): Promise<boolean> {
    const { store, clock } = this.options;
    const delivery = this.deliveries.get(sub.platform);
    if (!delivery || store.pauses.get(sub)) return false;
    const now = clock.now();
    const slot = latestSlot(sub, now);
    if (!slot || slot < sub.scheduleFrom) return false;
    const day = localDay(slot, sub.timezone);
    if (!store.posts.isOpen(sub, DAILY, day, now)) return false;
    const lateSince = now.getTime() - slot.getTime() > this.lateAfterMs ? slot : undefined;
    // Built before the claim: a bug here must not leave a claimed day that was never sent.
    const onTime = postFor(day, sub.topN);
    const post = onTime && lateSince ? markedLate(onTime, lateSince, sub.timezone) : onTime;
    const claim = store.posts.claim({ channel: sub, kind: DAILY, day, digestDate: post?.digestDate, late: lateSince !== undefined, instanceId: this.instanceId, now });
    if (claim.outcome !== 'claimed' || !post) return false;

    const ref = channelRef(sub);
    const outcome = await attemptSend(async () => (await delivery.post(ref, post.reply)).messageId, claim.attempt, now, this.retry);
    const done = this.settle(sub, outcome, {
      sent: (messageId) => store.posts.markSent(sub, DAILY, day, this.instanceId, messageId, clock.now()),
      retry: (at, reason) => store.posts.markRetry(sub, DAILY, day, this.instanceId, at, reason),
      failed: (reason) => store.posts.markFailed(sub, DAILY, day, this.instanceId, reason),
      what: `daily post for ${day}`,
    });
    if (outcome.kind !== 'sent') return false;
    this.options.logger.info({ channel: channelLog(sub), day, digest: post.digestDate, late: lateSince !== undefined }, 'daily post sent');
    try {
      await delivery.postInThread(ref, { messageId: outcome.messageId }, post.threadTitle, post.thread);
    } catch (err) {
      // The post itself is out; a missing thread is not worth a second post.
      this.options.logger.warn({ err, channel: channelLog(sub), day }, 'daily post sent, but its summary thread failed');
    }
    return done;
  }

  /** Records a send's outcome; a permanent failure pauses the channel. */
  private settle(
    channel: ChannelKey,
    outcome: SendOutcome,
    record: { sent(id: string): void; retry(at: Date, reason: string): void; failed(reason: string): void; what: string },
  ): boolean {
    const { store, logger, clock } = this.options;
    switch (outcome.kind) {
      case 'sent':
        record.sent(outcome.messageId);
        return true;
      case 'retry':
        record.retry(outcome.at, outcome.reason);
        logger.warn({ channel: channelLog(channel), retryAt: outcome.at.toISOString(), reason: outcome.reason }, `${record.what} failed; will retry`);
        return false;
      case 'give_up':
        record.failed(outcome.reason);
        logger.error({ channel: channelLog(channel), reason: outcome.reason }, `${record.what} failed ${this.retry.maxAttempts} times; giving up on it`);
        return false;
      case 'pause':
        record.failed(outcome.reason);
        store.pauses.pause(channel, outcome.reason, clock.now());
        logger.warn({ channel: channelLog(channel), reason: outcome.reason }, `channel paused: cannot post there (${record.what}); run subscribe there to resume`);
        return false;
    }
  }

  /** Records digest days not seen before and queues alerts for watches their papers match. */
  private queueAlerts(index: PaperIndex): void {
    const { store, clock, logger } = this.options;
    const result = store.alerts.ingest(index.digestDates(), clock.now(), (newDates) => this.matchWatches(index, newDates));
    if (result.baseline && result.newDates.length > 0) logger.info({ digests: result.newDates.length }, 'first run: existing digests recorded, no alerts for them');
    else if (result.newDates.length > 0) logger.info({ digests: result.newDates, alerts: result.alerts.length }, 'new digests: alerts queued');
  }

  private matchWatches(index: PaperIndex, newDates: string[]): AlertCandidate[] {
    const fresh = papersOfDigests(index.papers(), newDates);
    if (fresh.length === 0) return [];
    const candidates: AlertCandidate[] = [];
    for (const watch of this.options.store.watches.all()) {
      if (this.options.store.pauses.get(watch)) continue;
      const matches = watchMatcher(watch.query, index.acronyms());
      const paperIds = fresh.filter(matches).map((p) => p.id);
      if (paperIds.length > 0) candidates.push({ channel: watch, query: watch.query, paperIds });
    }
    return candidates;
  }

  private async sendAlerts(index: PaperIndex): Promise<number> {
    const { store, clock } = this.options;
    let sent = 0;
    for (const alert of store.alerts.claimDue(new Set(this.deliveries.keys()), this.instanceId, clock.now())) {
      const delivery = this.deliveries.get(alert.platform)!;
      if (store.pauses.get(alert)) {
        store.alerts.markFailed(alert.id, this.instanceId, 'channel paused');
        continue;
      }
      const papers = alert.paperIds.map((id) => index.get(id)).filter((p): p is Paper => p !== undefined);
      if (papers.length === 0) {
        store.alerts.markFailed(alert.id, this.instanceId, 'papers no longer in the index');
        continue;
      }
      const outcome = await attemptSend(async () => (await delivery.post(channelRef(alert), buildAlert(alert.query, papers))).messageId, alert.attempts, clock.now(), this.retry);
      if (this.settleAlert(alert, outcome)) sent++;
    }
    return sent;
  }

  private settleAlert(alert: AlertRecord, outcome: SendOutcome): boolean {
    const { store, clock } = this.options;
    return this.settle(alert, outcome, {
      sent: (messageId) => store.alerts.markSent(alert.id, this.instanceId, messageId, clock.now()),
      retry: (at, reason) => store.alerts.markRetry(alert.id, this.instanceId, at, reason),
      failed: (reason) => store.alerts.markFailed(alert.id, this.instanceId, reason),
      what: `alert for “${alert.query}”`,
    });
  }
}

export function channelRef(channel: ChannelKey): ChannelRef {
  return channel.workspaceId ? { platform: channel.platform, workspaceId: channel.workspaceId, channelId: channel.channelId } : { platform: channel.platform, channelId: channel.channelId };
}

function channelLog(channel: ChannelKey): string {
  return `${channel.platform}:${channel.workspaceId}/${channel.channelId}`;
}
