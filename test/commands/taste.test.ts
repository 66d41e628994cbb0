import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { FixedClock } from '../../src/clock.js';
import type { CommandContext } from '../../src/commands/command.js';
import { readingListCommands } from '../../src/commands/readingList.js';
import { CommandRouter } from '../../src/commands/router.js';
import { reactionSignals } from '../../src/commands/signals.js';
import { subscriptionCommands } from '../../src/commands/subscribe.js';
import { tasteCommands } from '../../src/commands/taste.js';
import { PaperLibrary } from '../../src/index/library.js';
import type { PaperIndex } from '../../src/index/paperIndex.js';
import { tastePicks } from '../../src/index/tastePicks.js';
import { pickReason } from '../../src/present/channelPicks.js';
import type { Paper } from '../../src/model/paper.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import type { Store } from '../../src/store/store.js';
import { seedIndex } from '../helpers/seeds.js';
import { cardIds, FakeDelivery, textOf, useTempStores } from '../scheduler/harness.js';

let index: PaperIndex;
let moe: Paper;
beforeAll(async () => {
  index = await seedIndex();
  moe = index.search('mixture of experts', { limit: 1 })[0]!.paper;
});
const stores = useTempStores();
let store: Store;
let clock: FixedClock;
let r: CommandRouter;
beforeEach(() => {
  store = stores.open();
  clock = new FixedClock(new Date('2026-11-23T12:00:00Z'));
  const library = new PaperLibrary(index);
  const services = { store, clock, library, defaults: { postTime: '09:00', timezone: 'UTC' }, slackManagers: 'admins' as const };
  r = new CommandRouter([...readingListCommands(services), ...tasteCommands(services), ...subscriptionCommands(services)]);
});

const channel = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1' };
const member = (userId: string, admin = false): CommandContext => ({ ...channel, userId, userName: userId.toLowerCase(), canManageChannel: admin });
/** A post of the bot in C1 that carried these papers. */
const posted = (messageId: string, papers: Paper[]) =>
  store.postedPapers.record(
    channel,
    messageId,
    papers.map((p) => ({ paperId: p.id, title: p.title })),
    clock.now(),
  );
const react = (messageId: string, userId: string, kind: 'like' | 'dislike', added = true) =>
  reactionSignals(store, clock)({ platform: 'slack', workspaceId: 'T1', channelId: 'C1', messageId, userId, kind, added });
const reasons = (text: string) => text.split('\n').filter((l) => l.startsWith('Like “'));
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A reason naming the liked paper (its title cut short when long) and the counts. */
const reasonFor = (paper: Paper, counts: string) => new RegExp(`^Like “${escaped(paper.title.slice(0, 40))}[^”]*”, ${escaped(counts)}$`);

describe('signals from reactions', () => {
  it('counts a member’s 👍 once, however often it arrives, and removing it undoes it', () => {
    posted('1700000000.000100', [moe]);
    expect(react('1700000000.000100', 'UADA', 'like').changed).toBe(1);
    expect(react('1700000000.000100', 'UADA', 'like').changed).toBe(0);
    expect(store.signals.taste(channel)).toMatchObject([{ paperId: moe.id, likes: 1, dislikes: 0, saves: 0 }]);
    expect(react('1700000000.000100', 'UADA', 'like', false).changed).toBe(1);
    expect(store.signals.taste(channel)).toEqual([]);
  });

  it('ignores reactions on messages that carried no paper, and a ts of another channel', () => {
    posted('1700000000.000100', [moe]);
    expect(react('1700000000.000999', 'UADA', 'like')).toEqual({ changed: 0 });
    expect(reactionSignals(store, clock)({ platform: 'slack', workspaceId: 'T1', channelId: 'C2', messageId: '1700000000.000100', userId: 'UADA', kind: 'like', added: true })).toEqual({ changed: 0 });
    expect(store.signals.taste(channel)).toEqual([]);
  });

  it('a reaction on a post with several papers counts for each of them', () => {
    const [a, b] = index.papers();
    posted('1700000000.000200', [a!, b!]);
    expect(react('1700000000.000200', 'UADA', 'dislike').changed).toBe(2);
    expect(
      store.signals
        .taste(channel)
        .map((t) => [t.paperId, t.dislikes])
        .sort(),
    ).toEqual(
      [
        [a!.id, 1],
        [b!.id, 1],
      ].sort(),
    );
  });
});

describe('recommend', () => {
  it('with no signals says so and shows the trending papers instead', async () => {
    const reply = await r.handle('recommend', member('UADA'));
    expect(textOf(reply)).toContain('No signals from this channel yet');
    const trending = index.trending('week', '2026-11-23', 5).hits.map((h) => h.paper.id);
    expect(trending.length).toBeGreaterThan(0);
    expect(cardIds(reply)).toEqual(trending);
  });

  it('ranks recent papers like the liked ones, leaves out what was signalled, and says why', async () => {
    posted('1700000000.000100', [moe]);
    react('1700000000.000100', 'UADA', 'like');
    react('1700000000.000100', 'UBOB', 'like');
    const reply = await r.handle('recommend', member('UCAT'));
    const ids = cardIds(reply);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).not.toContain(moe.id);
    // Every pick is from the last 14 days of digests (the seeds' latest digest is Dec 10, 2025).
    for (const id of ids) expect(index.get(id)!.digests.some((d) => d.date >= '2025-11-27')).toBe(true);
    const text = textOf(reply);
    expect(text).toContain('From the digests of Nov 27, 2025 – Dec 10, 2025');
    expect(reasons(text)).toHaveLength(ids.length);
    for (const reason of reasons(text)) expect(reason).toMatch(reasonFor(moe, '👍 from 2 people'));
    // The first pick is about mixture-of-experts, as the liked paper is.
    expect(index.get(ids[0]!)!.title + index.get(ids[0]!)!.abstract).toMatch(/mixture[- ]of[- ]experts|\bMoE\b/i);
  });

  it('counts saves as likes: “saved by 3 people”', async () => {
    for (const user of ['UADA', 'UBOB', 'UCAT']) expect((await r.handle(`save ${moe.id}`, member(user))).error).toBeUndefined();
    const text = textOf(await r.handle('recommend', member('UDAN')));
    expect(reasons(text).length).toBeGreaterThan(0);
    expect(reasons(text)[0]).toMatch(reasonFor(moe, 'saved by 3 people'));
    // Unsaving takes the signal back.
    for (const user of ['UADA', 'UBOB', 'UCAT']) await r.handle(`unsave ${moe.id}`, member(user));
    expect(textOf(await r.handle('recommend', member('UDAN')))).toContain('No signals from this channel yet');
  });

  it('pushes papers like a disliked one down', async () => {
    posted('1700000000.000100', [moe]);
    react('1700000000.000100', 'UADA', 'like');
    const scores = () => new Map(tastePicks(index, store.signals.forChannel(channel), '2026-11-23', 10).picks.map((p) => [p.paper.id, p.score]));
    const before = cardIds(await r.handle('recommend --limit 10', member('UADA')));
    expect(before.length).toBeGreaterThan(2);
    const scoresBefore = scores();
    const top = index.get(before[0]!)!;
    posted('1700000000.000300', [top]);
    react('1700000000.000300', 'UBOB', 'dislike');
    const after = cardIds(await r.handle('recommend --limit 10', member('UADA')));
    expect(after).not.toContain(top.id);
    // No pick gains from a dislike, and the papers like the disliked one lose ground.
    const scoresAfter = scores();
    const lost = [...scoresBefore].filter(([id, score]) => id !== top.id && (scoresAfter.get(id) ?? 0) < score - 1e-9);
    expect(lost.length).toBeGreaterThan(0);
    for (const [id, score] of scoresAfter) expect(score).toBeLessThanOrEqual((scoresBefore.get(id) ?? Infinity) + 1e-9);
    expect(textOf(await r.handle('recommend', member('UADA')))).toContain('ranked by closeness to 1 paper this channel liked or saved, away from 1 it disliked.');
  });
});

describe('taste', () => {
  it('shows the channel’s signals to any member: counts per paper, liked and disliked', async () => {
    const [a] = index.papers().filter((p) => p.id !== moe.id);
    posted('1700000000.000100', [moe]);
    posted('1700000000.000200', [a!]);
    react('1700000000.000100', 'UADA', 'like');
    react('1700000000.000100', 'UBOB', 'like');
    await r.handle(`save ${moe.id}`, member('UBOB'));
    react('1700000000.000200', 'UCAT', 'dislike');
    const reply = await r.handle('taste', member('UDAN'));
    expect(reply.error).toBeUndefined();
    const text = textOf(reply);
    expect(text).toContain('4 signals from 3 members on 2 papers.');
    expect(text).toContain(`Liked\n• ${moe.title} (${moe.id}): 👍 2 · saved 1`);
    expect(text).toContain(`Disliked\n• ${a!.title} (${a!.id}): 👎 1`);
  });

  it('taste reset is for managers only; it clears the signals', async () => {
    posted('1700000000.000100', [moe]);
    react('1700000000.000100', 'UADA', 'like');
    const refused = await r.handle('taste reset', member('UADA'));
    expect(refused.error?.code).toBe('permission');
    expect(textOf(refused)).toContain("only workspace admins can clear this channel's taste");
    expect(store.signals.taste(channel)).toHaveLength(1);
    const done = await r.handle('taste reset', member('UADMIN', true));
    expect(textOf(done)).toContain('Removed 1 signal.');
    expect(store.signals.taste(channel)).toEqual([]);
    expect(textOf(await r.handle('taste', member('UADA')))).toContain('No signals from this channel yet');
  });
});

describe('the daily post’s “For this channel” section', () => {
  const tick = async () => {
    const delivery = new FakeDelivery('slack', clock);
    await new Scheduler({ store, library: new PaperLibrary(index), clock, deliveries: [delivery], logger: pino({ level: 'silent' }), instanceId: 't' }).tick();
    return delivery;
  };

  it('with --picks on, ends the post with 3 picks and their reasons; the post’s papers are recorded for reactions', async () => {
    clock.set(new Date('2026-11-23T08:00:00Z'));
    expect(textOf(await r.handle('subscribe 09:00 UTC --top 3 --picks on', member('UADMIN', true)))).toContain('Top 3 trending papers, then 3 picks for this channel');
    posted('1700000000.000100', [moe]);
    react('1700000000.000100', 'UADA', 'like');
    clock.set(new Date('2026-11-23T09:01:00Z'));
    const delivery = await tick();
    expect(delivery.posts).toHaveLength(1);
    const reply = delivery.posts[0]!.reply;
    const ids = cardIds(reply);
    expect(ids).toHaveLength(6);
    const text = textOf(reply);
    const lines = text.split('\n').filter((l) => l.startsWith('For this channel: '));
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.replace('For this channel: like', 'Like')).toMatch(reasonFor(moe, '👍 from 1 person'));
    // A 👍 on the post, or on a paper's summary in its thread, now counts for that paper.
    const post = store.postedPapers.papersOf('slack', 'T1', delivery.posts[0]!.messageId, 'C1');
    expect(post?.papers.map((p) => p.paperId)).toEqual(expect.arrayContaining(ids));
    const summary = delivery.threadReplies[0]!;
    expect(store.postedPapers.papersOf('slack', 'T1', summary.messageId, 'C1')?.papers.map((p) => p.paperId)).toEqual([ids[0]]);
  });

  it('without it (or with no signals) the post is the trending papers alone', async () => {
    clock.set(new Date('2026-11-23T08:00:00Z'));
    await r.handle('subscribe 09:00 UTC --top 3', member('UADMIN', true));
    posted('1700000000.000100', [moe]);
    react('1700000000.000100', 'UADA', 'like');
    clock.set(new Date('2026-11-23T09:01:00Z'));
    const delivery = await tick();
    expect(cardIds(delivery.posts[0]!.reply)).toHaveLength(3);
    expect(textOf(delivery.posts[0]!.reply)).not.toContain('For this channel');
  });

  it('picks takes on or off', async () => {
    const reply = await r.handle('subscribe --picks yes', member('UADMIN', true));
    expect(textOf(reply)).toContain('picks takes on or off (got “yes”)');
  });
});

describe('pick reasons', () => {
  it('name the liked paper, a long title cut at a word, and who liked and saved it', () => {
    expect(pickReason({ paperId: 'p', title: 'Tutel: Adaptive Mixture-of-Experts at Scale', likes: 2, saves: 1 })).toBe(
      'Like “Tutel: Adaptive Mixture-of-Experts at Scale”, 👍 from 2 people, saved by 1 person',
    );
    const long = 'DeepSpeed-MoE: Advancing Mixture-of-Experts Inference and Training to Power Next-Generation AI Scale';
    expect(pickReason({ paperId: 'p', title: long, likes: 0, saves: 3 })).toBe('Like “DeepSpeed-MoE: Advancing Mixture-of-Experts Inference and Training to Power…”, saved by 3 people');
  });
});

describe('withChannelPicks', () => {
  it('adds at most 3 picks, none already in the post, and keeps the post within 10 cards', async () => {
    const { buildDailyPost } = await import('../../src/present/dailyPost.js');
    const { withChannelPicks } = await import('../../src/present/channelPicks.js');
    const post = buildDailyPost(index, '2026-11-23', 3)!;
    const inPost = cardIds(post.reply);
    const others = index.papers().filter((p) => !inPost.includes(p.id));
    const because = { paperId: moe.id, title: moe.title, likes: 1, saves: 0 };
    const picks = [index.get(inPost[0]!)!, ...others.slice(0, 4)].map((paper) => ({ paper, score: 1, because }));
    expect(cardIds(withChannelPicks(post, picks).reply)).toEqual([...inPost, ...others.slice(0, 3).map((p) => p.id)]);
    const full = buildDailyPost(index, '2026-11-23', 9)!;
    expect(cardIds(withChannelPicks(full, picks).reply)).toHaveLength(10);
  });
});
