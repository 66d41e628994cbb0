import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { PaperLibrary } from '../../src/index/library.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import type { Paper } from '../../src/model/paper.js';
import type { Reply } from '../../src/model/reply.js';
import { cardIds, FakeDelivery, scheduler, textOf, useTempStores } from './harness.js';

const channel = { platform: 'console' as const, workspaceId: '', channelId: 'console' };
const TITLE = 'Sparse Mixture of Experts Routing for Long Context Inference';
const BERLIN_9 = (day: string) => new Date(`${day}T08:00:00Z`);

function paper(id: string, title: string, upvotes: number, date: string, extra: Partial<Paper> = {}): Paper {
  return { id, title, abstract: `${title}. We study it.`, authors: ['A. Author'], upvotes, digests: [{ date, file: `${date}.json`, rank: 1 }], ...extra };
}

/** A day's digest: the paper under test on top, two papers of that day under it. */
function day(date: string, top: Paper): PaperIndex {
  return PaperIndex.build([
    top,
    paper(`2511.1${date.slice(8)}01`, `Other paper one of ${date}`, 50, date, { arxivId: `2511.1${date.slice(8)}01` }),
    paper(`2511.1${date.slice(8)}02`, `Other paper two of ${date}`, 40, date, { arxivId: `2511.1${date.slice(8)}02` }),
  ]);
}

const cardTitles = (reply: Reply) => reply.blocks.flatMap((b) => (b.kind === 'paper' ? [b.card.title] : []));
const backAgainLines = (reply: Reply) =>
  textOf(reply)
    .split('\n')
    .filter((l) => l.startsWith('Back again:'));

const { open } = useTempStores();

describe('never the same paper twice', () => {
  it('posts a paper once under its arXiv id, a versioned id, a scraped page’s title id and a slightly changed title; later days link back, across restarts', async () => {
    const clock = new FixedClock(BERLIN_9('2026-11-23'));
    const delivery = new FakeDelivery('console', clock);
    let store = open();
    store.subscriptions.upsert({ ...channel, postTime: '09:00', timezone: 'Europe/Berlin', topN: 3 }, new Date('2026-11-22T00:00:00Z'));
    const library = new PaperLibrary(day('2026-11-23', paper('2511.05271', TITLE, 100, '2026-11-23', { arxivId: '2511.05271' })));
    await scheduler(store, library, clock, [delivery]).tick();

    const forms: Array<[string, Paper]> = [
      ['2026-11-24', paper('2511.05271v2', TITLE, 120, '2026-11-24', { arxivId: '2511.05271v2' })],
      ['2026-11-25', paper('t-5f0c2a91', TITLE, 130, '2026-11-25')],
      ['2026-11-26', paper('t-77d1e0b3', 'Sparse Mixtures of Experts Routing for Long Context Inference', 140, '2026-11-26')],
    ];
    for (const [date, form] of forms) {
      store.close(); // a restart between days: only the database remembers what the channel got
      store = open();
      library.swap(day(date, form));
      clock.set(BERLIN_9(date));
      await scheduler(store, library, clock, [delivery]).tick();
    }

    expect(delivery.posts).toHaveLength(4);
    const [first, ...later] = delivery.posts.map((p) => p.reply);
    expect(cardIds(first!)[0]).toBe('2511.05271');
    for (const [i, reply] of later.entries()) {
      expect(cardIds(reply)).toHaveLength(2);
      expect(cardTitles(reply).some((t) => /sparse mixture/i.test(t))).toBe(false);
      const [line] = backAgainLines(reply);
      expect(line).toMatch(/^Back again: “Sparse Mixtures? of Experts Routing for Long Context Inference”, posted here Nov 23, 2026/);
      expect(delivery.threads[i + 1]!.replies.map((r) => textOf(r).split('\n')[0])).not.toContain(`TL;DR: ${forms[i]![1].title}`);
    }
    expect(delivery.threads[0]!.replies.map((r) => textOf(r).split('\n')[0])).toContain(`TL;DR: ${TITLE}`);
  });

  it('keeps apart two papers with different arXiv ids even when their titles are a letter apart', async () => {
    const clock = new FixedClock(BERLIN_9('2026-11-23'));
    const delivery = new FakeDelivery('console', clock);
    const store = open();
    store.subscriptions.upsert({ ...channel, postTime: '09:00', timezone: 'Europe/Berlin', topN: 3 }, new Date('2026-11-22T00:00:00Z'));
    const library = new PaperLibrary(day('2026-11-23', paper('2511.05271', TITLE, 100, '2026-11-23', { arxivId: '2511.05271' })));
    const s = scheduler(store, library, clock, [delivery]);
    await s.tick();
    library.swap(day('2026-11-24', paper('2511.09999', 'Sparse Mixtures of Experts Routing for Long Context Inference', 90, '2026-11-24', { arxivId: '2511.09999' })));
    clock.set(BERLIN_9('2026-11-24'));
    await s.tick();
    expect(delivery.posts).toHaveLength(2);
    expect(cardIds(delivery.posts[1]!.reply)[0]).toBe('2511.09999');
    expect(backAgainLines(delivery.posts[1]!.reply)).toEqual([]);
  });

  it('a daily post links to the alert that carried a paper before', async () => {
    const clock = new FixedClock(new Date('2026-11-22T12:00:00Z'));
    const delivery = new FakeDelivery('console', clock);
    const store = open();
    const library = new PaperLibrary(day('2026-11-22', paper('2511.00001', 'Baseline paper nobody watches', 10, '2026-11-22', { arxivId: '2511.00001' })));
    const s = scheduler(store, library, clock, [delivery]);
    await s.tick(); // the baseline: no alerts for the papers already there
    store.watches.add(channel, 'mixture of experts', 'u1', clock.now());
    library.swap(day('2026-11-23', paper('2511.05271', TITLE, 100, '2026-11-23', { arxivId: '2511.05271' })));
    await s.tick();
    expect(delivery.posts).toHaveLength(1);
    expect(textOf(delivery.posts[0]!.reply)).toMatch(/^New papers for “mixture of experts”/);
    const alertId = delivery.posts[0]!.messageId;

    store.subscriptions.upsert({ ...channel, postTime: '09:00', timezone: 'Europe/Berlin', topN: 3 }, clock.now());
    clock.set(BERLIN_9('2026-11-24'));
    await s.tick();
    expect(delivery.posts).toHaveLength(2);
    const daily = delivery.posts[1]!.reply;
    expect(textOf(daily)).toMatch(/^Trending papers of Nov 23, 2026/);
    expect(cardIds(daily)).not.toContain('2511.05271');
    expect(backAgainLines(daily)).toEqual([`Back again: “${TITLE}”, posted here Nov 22, 2026`]);
    expect(store.delivered.earlier(channel, 'posts', { paperId: '2511.05271', title: TITLE, identities: ['arxiv:2511.05271'] })?.messageId).toBe(alertId);
  });

  it('an alert due in the same tick as the daily post that carried its only paper is not sent', async () => {
    const clock = new FixedClock(new Date('2026-11-22T12:00:00Z'));
    const delivery = new FakeDelivery('console', clock);
    const store = open();
    const library = new PaperLibrary(day('2026-11-22', paper('2511.00001', 'Baseline paper nobody watches', 10, '2026-11-22', { arxivId: '2511.00001' })));
    const s = scheduler(store, library, clock, [delivery]);
    await s.tick();
    store.watches.add(channel, 'mixture of experts', 'u1', clock.now());
    store.subscriptions.upsert({ ...channel, postTime: '09:00', timezone: 'Europe/Berlin', topN: 3 }, clock.now());
    library.swap(day('2026-11-23', paper('2511.05271', TITLE, 100, '2026-11-23', { arxivId: '2511.05271' })));
    clock.set(BERLIN_9('2026-11-23'));
    await s.tick();
    await s.tick();
    expect(delivery.posts).toHaveLength(1);
    expect(textOf(delivery.posts[0]!.reply)).toMatch(/^Trending papers of Nov 23, 2026/);
    expect(cardIds(delivery.posts[0]!.reply)).toContain('2511.05271');
    expect(store.alerts.get(1)).toMatchObject({ query: 'mixture of experts', status: 'failed', paperIds: ['2511.05271'] });
  });
});
