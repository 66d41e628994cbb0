import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach } from 'vitest';
import type { Clock } from '../../src/clock.js';
import type { PaperLibrary } from '../../src/index/library.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import type { ChannelRef, Delivery, Platform, PostedMessage } from '../../src/model/delivery.js';
import type { Paper } from '../../src/model/paper.js';
import { markedToPlain, type Reply } from '../../src/model/reply.js';
import { Scheduler, type SchedulerOptions } from '../../src/scheduler/scheduler.js';
import { Store } from '../../src/store/store.js';

/** A fresh DATA_DIR under the system temp folder; `cleanup` removes it. */
export function tempDataDir(): { dir: string; file: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'paperbot-store-'));
  return { dir, file: join(dir, 'paperbot.sqlite'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A fresh database file for each test, and `open()` for as many connections to it as the test
 * needs (a restart is a second `open()`); every connection is closed and the folder removed
 * after the test. Closing twice is harmless, so tests may close a store themselves to simulate
 * a stop.
 */
export function useTempStores(): { open(): Store; readonly file: string } {
  let temp: ReturnType<typeof tempDataDir> | undefined;
  const opened: Store[] = [];
  beforeEach(() => {
    temp = tempDataDir();
  });
  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
    temp?.cleanup();
  });
  return {
    open() {
      const store = Store.open(temp!.file);
      opened.push(store);
      return store;
    },
    get file() {
      return temp!.file;
    },
  };
}

export interface PostedRecord {
  channel: ChannelRef;
  reply: Reply;
  messageId: string;
  key: string | undefined;
  /** When the platform took it, by the test's clock. */
  at: Date;
}

export interface ThreadReplyRecord extends PostedRecord {
  parent: string;
}

/**
 * A Delivery that records what a channel would see, and models the delivery contract honestly:
 * posts are remembered with their key, `findPosted` finds them, a thread skips replies already
 * there under their key. Like Slack (and Discord after its nonce window) it does not refuse a
 * second post with the same key, so a scheduler that resends blindly shows up as a duplicate.
 *
 * `fail` queues errors thrown before the next posts reach the channel; `failAfterPost` errors
 * answered after a post reached it (a 503 or a dropped connection on the way back); `failFind`
 * errors of the next lookups; `failThread` errors before the next thread replies. `onPost` runs
 * after a post is recorded and `onThreadReply(i)` before reply i: a test makes either never
 * resolve to stop the process at that point.
 */
export class FakeDelivery implements Delivery {
  readonly posts: PostedRecord[] = [];
  readonly threadReplies: ThreadReplyRecord[] = [];
  /** Each postInThread call that completed, with the replies it was given. */
  readonly threads: Array<{ parent: string; title: string; replies: readonly Reply[] }> = [];
  readonly fail: Error[] = [];
  readonly failAfterPost: Error[] = [];
  readonly failFind: Error[] = [];
  readonly failThread: Error[] = [];
  onPost: (() => Promise<never>) | undefined;
  onThreadReply: ((i: number) => Promise<void>) | undefined;
  private sent = 0;

  constructor(
    readonly platform: Platform = 'console',
    private readonly clock: Clock = { now: () => new Date() },
  ) {}

  async post(channel: ChannelRef, reply: Reply, key?: string): Promise<PostedMessage> {
    const error = this.fail.shift();
    if (error) throw error;
    const messageId = `m${++this.sent}`;
    this.posts.push({ channel, reply, messageId, key, at: this.clock.now() });
    const answered = this.failAfterPost.shift();
    if (answered) throw answered;
    if (this.onPost) return this.onPost();
    return { messageId };
  }

  async findPosted(channel: ChannelRef, key: string, since: Date): Promise<PostedMessage | undefined> {
    const error = this.failFind.shift();
    if (error) throw error;
    const found = this.posts.find((p) => p.key === key && sameRef(p.channel, channel) && p.at >= since);
    return found ? { messageId: found.messageId } : undefined;
  }

  async postInThread(channel: ChannelRef, parent: PostedMessage, title: string, replies: readonly Reply[], keyPrefix?: string): Promise<PostedMessage[]> {
    const posted: PostedMessage[] = [];
    for (const [i, reply] of replies.entries()) {
      const key = keyPrefix === undefined ? undefined : `${keyPrefix}#${i}`;
      const there = key !== undefined ? this.threadReplies.find((r) => r.parent === parent.messageId && r.key === key) : undefined;
      if (there) {
        posted.push({ messageId: there.messageId });
        continue;
      }
      await this.onThreadReply?.(i);
      const error = this.failThread.shift();
      if (error) throw error;
      const messageId = `m${++this.sent}`;
      this.threadReplies.push({ channel, reply, messageId, key, at: this.clock.now(), parent: parent.messageId });
      posted.push({ messageId });
    }
    this.threads.push({ parent: parent.messageId, title, replies });
    return posted;
  }

  /** How many posts the channel shows under each key. */
  countByKey(): Map<string | undefined, number> {
    const counts = new Map<string | undefined, number>();
    for (const p of this.posts) counts.set(p.key, (counts.get(p.key) ?? 0) + 1);
    return counts;
  }

  /** The replies under a post, in the order they reached the thread. */
  repliesUnder(messageId: string): ThreadReplyRecord[] {
    return this.threadReplies.filter((r) => r.parent === messageId);
  }
}

function sameRef(a: ChannelRef, b: ChannelRef): boolean {
  return a.platform === b.platform && a.channelId === b.channelId && (a.workspaceId ?? '') === (b.workspaceId ?? '');
}

/** Headings, text, context lines and card titles: what a reader sees, one per line. */
export function textOf(reply: Reply): string {
  return reply.blocks
    .map((b) => (b.kind === 'text' ? markedToPlain(b.text) : b.kind === 'heading' || b.kind === 'context' ? b.text : b.kind === 'paper' ? b.card.title : ''))
    .filter(Boolean)
    .join('\n');
}

export function cardIds(reply: Reply): string[] {
  return reply.blocks.flatMap((b) => (b.kind === 'paper' ? [b.card.id] : []));
}

/** A logger whose JSON lines land in `lines`, to assert on what an operator would read. */
export function captureLogger(): { logger: pino.Logger; lines: Array<{ level: number; msg: string; [k: string]: unknown }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as { level: number; msg: string }) });
  return { logger, lines };
}

/** Real papers given one more digest appearance on `date`, as if that day's digest listed them. */
export function listedOn(papers: readonly Paper[], date: string): Paper[] {
  return papers.map((p, i) => ({ ...p, digests: [...p.digests, { date, file: `digest-${date}.txt`, rank: i + 1 }] }));
}

/** An index whose papers are `base` with `extra` replacing same-id papers. */
export function indexWith(base: readonly Paper[], extra: readonly Paper[]): PaperIndex {
  const byId = new Map(base.map((p) => [p.id, p]));
  for (const p of extra) byId.set(p.id, p);
  return PaperIndex.build([...byId.values()]);
}

export function scheduler(store: Store, library: PaperLibrary, clock: Clock, deliveries: Delivery[], extra: Partial<SchedulerOptions> = {}): Scheduler {
  return new Scheduler({ store, library, clock, deliveries, logger: pino({ level: 'silent' }), instanceId: 'test-a', ...extra });
}
