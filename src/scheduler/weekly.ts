import type { Clock } from '../clock.js';
import type { PaperIndex } from '../index/paperIndex.js';
import type { Logger } from '../logger.js';
import type { ChannelRef, Delivery } from '../model/delivery.js';
import { buildWeeklyPost, weeklyMarkedLate, type WeeklyPost } from '../present/weeklyPost.js';
import type { CarryingMessage } from '../store/deliveredRepo.js';
import type { Store } from '../store/store.js';
import type { ChannelKey, PostRecord } from '../store/types.js';
import { WEEKLY, type WeeklySubscription } from '../store/weeklyRepo.js';
import { addDays, isoDay } from '../time/days.js';
import { localDay } from '../time/schedule.js';
import { isoWeek, latestWeeklySlot } from '../time/weekly.js';
import { attemptSend, type RetryPolicy, type SendOutcome } from './deliveryOutcome.js';
import type { NeverTwice } from './neverTwice.js';
import { weeklyKey } from './postKeys.js';
import { BLOOM_DAYS, upvoteIdentity, weeklyPicks } from './weeklyPicks.js';

/** Days of upvote observations kept: enough for the late bloomers of any week. */
const UPVOTE_DAYS_KEPT = 60;

export interface WeeklyOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  instanceId: string;
  lateAfterMs: number;
  retry: RetryPolicy;
  neverTwice: NeverTwice;
  deliveries: ReadonlyMap<string, Delivery>;
  /** The scheduler's outcome bookkeeping (retry, give up, pause the channel). */
  settle(
    channel: ChannelKey,
    outcome: SendOutcome,
    record: { sent(id: string): void; retry(at: Date, reason: string): void; failed(reason: string): void; what: string; fields: Record<string, unknown> },
  ): boolean;
  /** Where `findPosted` starts looking for a post first claimed at that row's time. */
  lookbackFrom(row: PostRecord, now: Date): Date;
  channelRef: (channel: ChannelKey) => ChannelRef;
  channelLog: (channel: ChannelKey) => string;
}

/**
 * The weekly digest, under the daily post's rules: a week is claimed in the post ledger before
 * it is sent, carries a key, is looked up in the channel before any resend, and after downtime
 * only the latest missed week is posted, once, marked late. Also records the library's upvotes
 * per day, which the late bloomers are computed from.
 */
export class WeeklyDigests {
  private observed: PaperIndex | undefined;

  constructor(private readonly options: WeeklyOptions) {}

  /** Appends today's upvotes of the recent papers, once per index. */
  recordUpvotes(index: PaperIndex): void {
    if (this.observed === index) return;
    const newest = index.digestDates().at(-1);
    if (!newest) return;
    const since = addDays(newest, -(BLOOM_DAYS + 7));
    // No paper's first day is after the newest digest day.
    const observations = index.firstAppearingBetween(since, newest).map((p) => ({ identity: upvoteIdentity(p), upvotes: p.upvotes }));
    const today = isoDay(this.options.clock.now());
    this.options.store.upvotes.record(observations, today, addDays(today, -UPVOTE_DAYS_KEPT));
    this.observed = index;
  }

  /** Sends the weekly digests that are due; returns how many went out. */
  async run(index: PaperIndex): Promise<number> {
    let sent = 0;
    for (const sub of this.options.store.weekly.all()) {
      try {
        if (await this.runOne(sub, index)) sent++;
      } catch (err) {
        this.options.logger.error({ err, channel: this.options.channelLog(sub) }, 'weekly digest failed unexpectedly');
      }
    }
    return sent;
  }

  private async runOne(sub: WeeklySubscription, index: PaperIndex): Promise<boolean> {
    const { store, clock, logger, instanceId } = this.options;
    const delivery = this.options.deliveries.get(sub.platform);
    if (!delivery || store.pauses.get(sub)) return false;
    const now = clock.now();
    const slot = latestWeeklySlot(sub, now);
    if (!slot || slot < sub.scheduleFrom) return false;
    const day = localDay(slot, sub.timezone);
    const week = isoWeek(day);
    if (!store.posts.isOpen(sub, WEEKLY, week, now)) return false;
    if (!(await this.settleEarlierWeeks(sub, delivery, week))) return false;
    const ref = this.options.channelRef(sub);
    const picks = weeklyPicks(index, day, sub.topN, (identity, until) => store.upvotes.series(identity, until));
    const built = picks && buildWeeklyPost(week, picks.window, picks.best, picks.bloomers);
    const shown = built && { ...built, reply: (await this.options.neverTwice.present(sub, ref, 'weekly', built.reply, delivery)).reply };
    const claim = store.posts.claim({
      channel: sub,
      kind: WEEKLY,
      day: week,
      digestDate: shown?.until,
      key: weeklyKey(sub, week),
      payload: shown ? JSON.stringify(shown) : undefined,
      hasThread: false,
      dueAt: slot,
      instanceId,
      now,
    });
    if (claim.outcome === 'no_new_papers') logger.info({ channel: this.options.channelLog(sub), week }, 'weekly digest skipped: no digest newer than the last one posted');
    if (claim.outcome !== 'claimed') return false;
    const record = claim.record;
    const post = record.payload ? (JSON.parse(record.payload) as WeeklyPost) : undefined;
    if (!post || !record.key) {
      store.posts.markFailed(sub, WEEKLY, week, instanceId, 'nothing to post');
      return false;
    }
    const dueAt = record.dueAt ?? slot;
    const late = now.getTime() - dueAt.getTime() > this.options.lateAfterMs;
    const reply = (late ? weeklyMarkedLate(post, dueAt, sub.timezone) : post).reply;
    const key = record.key;
    let found = false;
    const outcome = await attemptSend(
      async () => {
        if (claim.resend) {
          const posted = await delivery.findPosted(ref, key, this.options.lookbackFrom(record, now));
          if (posted) {
            found = true;
            return posted.messageId;
          }
        }
        return (await delivery.post(ref, reply, key)).messageId;
      },
      claim.attempt,
      now,
      this.options.retry,
    );
    const done = this.options.settle(sub, outcome, {
      sent: (messageId) => this.confirm(sub, week, post, { postKey: key, messageId, day: localDay(dueAt, sub.timezone) }, found, late),
      retry: (at, reason) => store.posts.markRetry(sub, WEEKLY, week, instanceId, at, reason),
      failed: (reason) => store.posts.markFailed(sub, WEEKLY, week, instanceId, reason),
      what: 'weekly digest',
      fields: { week, key },
    });
    if (!done) return false;
    const fields = { channel: this.options.channelLog(sub), week, until: post.until, key, attempt: claim.attempt };
    if (found) logger.info(fields, 'weekly digest found in the channel under its key: recorded as sent, not posted again');
    else logger.info({ ...fields, late }, 'weekly digest sent');
    return true;
  }

  /** Confirms the week and records its best papers as the channel's weekly ones, in one transaction. */
  private confirm(sub: WeeklySubscription, week: string, post: WeeklyPost, message: CarryingMessage, found: boolean, late: boolean): void {
    const { store, clock, instanceId } = this.options;
    store.atomically(() => {
      if (found) store.posts.markFound(sub, WEEKLY, week, instanceId, message.messageId, clock.now());
      else store.posts.markSent(sub, WEEKLY, week, instanceId, message.messageId, clock.now(), late);
      this.options.neverTwice.record(sub, 'weekly', post.reply, message, clock.now());
    });
  }

  /** Earlier weeks still open are asked about in the channel first, as the daily post does with earlier days. */
  private async settleEarlierWeeks(sub: WeeklySubscription, delivery: Delivery, week: string): Promise<boolean> {
    const { store, clock, logger, instanceId } = this.options;
    for (const row of store.posts.openBefore(sub, WEEKLY, week)) {
      if (row.status === 'claimed' || !row.key) return false;
      const fields = { channel: this.options.channelLog(sub), week: row.day, key: row.key, current: week };
      try {
        const posted = await delivery.findPosted(this.options.channelRef(sub), row.key, this.options.lookbackFrom(row, clock.now()));
        if (posted) {
          const post = row.payload ? (JSON.parse(row.payload) as WeeklyPost) : undefined;
          store.atomically(() => {
            store.posts.markFound(sub, WEEKLY, row.day, instanceId, posted.messageId, clock.now());
            if (post) this.options.neverTwice.record(sub, 'weekly', post.reply, { postKey: row.key!, messageId: posted.messageId, day: localDay(row.dueAt ?? clock.now(), sub.timezone) }, clock.now());
          });
          logger.info(fields, 'earlier weekly digest found in the channel under its key: recorded as sent');
        } else {
          store.posts.markMissing(sub, WEEKLY, row.day, `not in the channel; superseded by ${week}`);
          logger.warn(fields, 'earlier weekly digest never reached the channel: superseded by this week’s');
        }
      } catch (err) {
        logger.warn({ ...fields, err }, 'could not look for an earlier weekly digest in the channel; trying again next tick');
        return false;
      }
    }
    return true;
  }
}
