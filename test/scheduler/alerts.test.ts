import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { PaperLibrary } from '../../src/index/library.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import { DeliveryError } from '../../src/model/delivery.js';
import type { Paper } from '../../src/model/paper.js';
import { loadDigests } from '../../src/parser/loadDigests.js';
import { titleId } from '../../src/parser/ids.js';
import { watchMatcher } from '../../src/index/watchMatch.js';
import { RAW_DIR, SEEDS_DIR, TODAY, seedIndex } from '../helpers/seeds.js';
import { cardIds, FakeDelivery, indexWith, listedOn, scheduler, textOf, useTempStores } from './harness.js';

const console_ = { platform: 'console' as const, workspaceId: '', channelId: 'console' };
const NEW_DIGEST = '2026-08-21'; // a real HF API day the seeds do not contain
const FORGE_WM = '2608.14022'; // "ForgeWM: … Video World Models", listed that day

let seeds: PaperIndex;
let withNewDay: PaperIndex;
let newDayIds: Set<string>;
beforeAll(async () => {
  seeds = await seedIndex();
  const load = await loadDigests([SEEDS_DIR, join(RAW_DIR, `${NEW_DIGEST}.json`)], { today: TODAY });
  withNewDay = PaperIndex.build(
    load.papers,
    load.digests.map((d) => d.date),
  );
  newDayIds = new Set(load.papers.filter((p) => p.digests.some((d) => d.date === NEW_DIGEST)).map((p) => p.id));
});

const { open } = useTempStores();

describe('watch alerts', () => {
  it('posts the new digest’s matching papers when it is ingested, and only those', async () => {
    const clock = new FixedClock(new Date(`${TODAY}T12:00:00Z`));
    const store = open();
    const library = new PaperLibrary(seeds);
    const delivery = new FakeDelivery();
    const s = scheduler(store, library, clock, [delivery]);
    await s.tick(); // first run: the loaded digests are the baseline
    store.watches.add(console_, 'world model', 'u1', clock.now());
    const oldMatches = seeds.papers().filter((p) => /world model/i.test(`${p.title} ${p.abstract}`));
    expect(oldMatches.length).toBeGreaterThan(0);

    library.swap(withNewDay);
    await s.tick();

    expect(delivery.posts).toHaveLength(1);
    const alert = delivery.posts[0]!.reply;
    expect(textOf(alert)).toMatch(/^New papers for “world model”/);
    const ids = cardIds(alert);
    expect(ids).toContain(FORGE_WM);
    for (const id of ids) expect(newDayIds.has(id)).toBe(true);
    for (const old of oldMatches) expect(ids).not.toContain(old.id);
  });

  it('never repeats a paper to a channel: not after a restart, not when a later digest lists it again', async () => {
    const clock = new FixedClock(new Date(`${TODAY}T12:00:00Z`));
    const store = open();
    const library = new PaperLibrary(seeds);
    const delivery = new FakeDelivery();
    await scheduler(store, library, clock, [delivery]).tick();
    store.watches.add(console_, 'world model', 'u1', clock.now());
    library.swap(withNewDay);
    await scheduler(store, library, clock, [delivery]).tick();
    expect(delivery.posts).toHaveLength(1);

    // Restart: a new process loads the same digests.
    await scheduler(open(), new PaperLibrary(withNewDay), clock, [delivery], { instanceId: 'restarted' }).tick();
    expect(delivery.posts).toHaveLength(1);

    // A later digest lists ForgeWM again, next to a seed paper never alerted before.
    const forge = withNewDay.get(FORGE_WM)!;
    const again = listedOn([forge], '2026-11-24');
    library.swap(indexWith(withNewDay.papers(), again));
    await scheduler(store, library, clock, [delivery]).tick();
    expect(delivery.posts).toHaveLength(1);
  });

  it('alerts each channel for its own watches, and skips a paused channel', async () => {
    const clock = new FixedClock(new Date(`${TODAY}T12:00:00Z`));
    const store = open();
    const library = new PaperLibrary(seeds);
    const discordA = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'a' };
    const discordB = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'b' };
    const delivery = new FakeDelivery('discord');
    const s = scheduler(store, library, clock, [delivery]);
    await s.tick();
    store.watches.add(discordA, 'coding agents', 'u1', clock.now());
    store.watches.add(discordB, 'world model', 'u1', clock.now());
    store.pauses.pause(discordB, 'forbidden: Missing Access', clock.now());
    library.swap(withNewDay);
    await s.tick();
    expect(delivery.posts.map((p) => p.channel.channelId)).toEqual(['a']);
    expect(textOf(delivery.posts[0]!.reply)).toMatch(/“coding agents”/);
    expect(cardIds(delivery.posts[0]!.reply)).toContain('2608.19799'); // SWE-bench Science: Can Coding Agents …
  });

  it('retries an alert after a transient failure and sends it once', async () => {
    const clock = new FixedClock(new Date(`${TODAY}T12:00:00Z`));
    const store = open();
    const library = new PaperLibrary(seeds);
    const delivery = new FakeDelivery();
    const s = scheduler(store, library, clock, [delivery]);
    await s.tick();
    store.watches.add(console_, 'world model', 'u1', clock.now());
    delivery.fail.push(new DeliveryError('transient', 'socket hang up'));
    library.swap(withNewDay);
    await s.tick();
    expect(delivery.posts).toHaveLength(0);
    clock.advance(2 * 60_000);
    await s.tick();
    await s.tick();
    expect(delivery.posts).toHaveLength(1);
  });

  it('a first run over existing digests sends no alerts', async () => {
    const clock = new FixedClock(new Date(`${TODAY}T12:00:00Z`));
    const store = open();
    store.watches.add(console_, 'world model', 'u1', clock.now());
    const delivery = new FakeDelivery();
    await scheduler(store, new PaperLibrary(withNewDay), clock, [delivery]).tick();
    expect(delivery.posts).toHaveLength(0);
  });
});

describe('watch matching', () => {
  it('needs every word, and counts an acronym’s long form', () => {
    const acronyms = seeds.acronyms();
    expect(acronyms.get('moe')).toBeDefined();
    const moe = watchMatcher('moe', acronyms);
    const spelledOut = seeds.papers().filter((p: Paper) => /mixture[- ]of[- ]experts/i.test(p.abstract) && !/\bmoe\b/i.test(`${p.title} ${p.abstract}`));
    expect(spelledOut.length).toBeGreaterThan(0);
    for (const p of spelledOut) expect(moe(p)).toBe(true);
    const both = watchMatcher('moe routing', acronyms);
    const matched = seeds.papers().filter(both);
    expect(matched.length).toBeGreaterThan(0);
    for (const p of matched) expect(`${p.title} ${p.abstract}`).toMatch(/rout/i);
  });
});

describe('alerts for every paper new to the library', () => {
  const DAY = '2026-11-23';
  const paper = (id: string, title: string, extra: Partial<Paper> = {}): Paper => ({
    id,
    title,
    abstract: 'A world model trained on driving video predicts the next frames from actions.',
    authors: ['A. Author'],
    upvotes: 3,
    digests: [{ date: DAY, file: `${DAY}.json`, rank: 1 }],
    ...extra,
  });
  const first = paper('2611.00001', 'Action-Conditioned World Model for Driving', { arxivId: '2611.00001' });
  const later = paper('2611.00002', 'A World Model That Plans in Latent Space', { arxivId: '2611.00002', digests: [{ date: DAY, file: `${DAY}.json`, rank: 7 }] });

  async function watching(store: ReturnType<typeof open>, clock: FixedClock, delivery: FakeDelivery, library: PaperLibrary) {
    const s = scheduler(store, library, clock, [delivery]);
    await s.tick(); // the baseline: the seeds are known
    store.watches.add(console_, 'world model', 'u1', clock.now());
    return s;
  }

  it('a paper added later to the same day’s file alerts, and only that paper', async () => {
    const clock = new FixedClock(new Date(`${DAY}T10:00:00Z`));
    const store = open();
    const library = new PaperLibrary(seeds);
    const delivery = new FakeDelivery('console', clock);
    const s = await watching(store, clock, delivery, library);

    library.swap(indexWith(seeds.papers(), [first]));
    await s.tick();
    expect(delivery.posts.map((p) => cardIds(p.reply))).toEqual([[first.id]]);

    // The day's file is fetched again in the afternoon with one more paper.
    library.swap(indexWith(seeds.papers(), [first, later]));
    await s.tick();
    expect(delivery.posts.map((p) => cardIds(p.reply))).toEqual([[first.id], [later.id]]);
    expect(textOf(delivery.posts[1]!.reply)).toMatch(/^New papers for “world model”\n1 paper new to the library matches this channel's watch\./);
  });

  it('never for a paper already in the library: a rebuild, a restart, other digest dates, a second id or a v2', async () => {
    const clock = new FixedClock(new Date(`${DAY}T10:00:00Z`));
    const store = open();
    const asTitleId = paper(titleId(first.title), first.title);
    const library = new PaperLibrary(indexWith(seeds.papers(), [asTitleId]));
    const delivery = new FakeDelivery('console', clock);
    await scheduler(store, library, clock, [delivery]).tick(); // baseline includes the paper under its title-derived id
    store.watches.add(console_, 'world model', 'u1', clock.now());

    // A rebuild, the same paper with its arXiv id (and title in other case), then as a v2, then with its dates moved a year.
    library.swap(indexWith(seeds.papers(), [asTitleId]));
    library.swap(indexWith(seeds.papers(), [{ ...first, title: first.title.toUpperCase() }]));
    await scheduler(open(), library, clock, [delivery], { instanceId: 'restarted' }).tick();
    library.swap(indexWith(seeds.papers(), [{ ...first, id: '2611.00001v2', arxivId: '2611.00001v2', title: 'Action-conditioned world model for driving (v2)' }]));
    const s = scheduler(open(), library, clock, [delivery], { instanceId: 'again' });
    await s.tick();
    const moved = seeds.papers().map((p) => ({ ...p, digests: p.digests.map((d) => ({ ...d, date: `2024${d.date.slice(4)}` })) }));
    library.swap(indexWith(moved, [first]));
    await s.tick();
    expect(delivery.posts).toHaveLength(0);

    library.swap(indexWith(moved, [first, later]));
    await s.tick();
    expect(delivery.posts.map((p) => cardIds(p.reply))).toEqual([[later.id]]);
  });

  it('an alert queued before a restart is sent after it, even from an index that lacks its papers', async () => {
    const clock = new FixedClock(new Date(`${DAY}T10:00:00Z`));
    const store = open();
    const library = new PaperLibrary(seeds);
    const dead = new FakeDelivery('console', clock);
    const s = await watching(store, clock, dead, library);
    dead.fail.push(new DeliveryError('transient', 'ECONNRESET'));
    library.swap(indexWith(seeds.papers(), [first]));
    await s.tick(); // queued, first attempt failed; then the process stops
    store.close();

    clock.advance(5 * 60_000);
    const delivery = new FakeDelivery('console', clock);
    await scheduler(open(), new PaperLibrary(seeds), clock, [delivery], { instanceId: 'restarted' }).tick(); // a stale snapshot
    expect(delivery.posts.map((p) => cardIds(p.reply))).toEqual([[first.id]]);
  });

  it('an alert the channel took while the answer was lost is found by its key and not posted again', async () => {
    const clock = new FixedClock(new Date(`${DAY}T10:00:00Z`));
    const store = open();
    const library = new PaperLibrary(seeds);
    const delivery = new FakeDelivery('console', clock);
    const s = await watching(store, clock, delivery, library);
    delivery.failAfterPost.push(new DeliveryError('transient', '503'));
    library.swap(indexWith(seeds.papers(), [first]));
    await s.tick();
    clock.advance(5 * 60_000);
    await s.tick();
    await s.tick();
    expect(delivery.posts).toHaveLength(1);
    expect(delivery.posts[0]!.key).toMatch(/^a\d+-/);
  });

  it('an alert queued by the previous version waits while the index lacks its papers, then goes out', async () => {
    const clock = new FixedClock(new Date(`${DAY}T10:00:00Z`));
    const store = open();
    store['db']
      .prepare("INSERT INTO alerts (platform, workspace_id, channel_id, query, paper_ids, status, created_at) VALUES ('console', '', 'console', 'world model', ?, 'pending', ?)")
      .run(JSON.stringify([first.id]), clock.now().toISOString());
    const library = new PaperLibrary(seeds);
    const delivery = new FakeDelivery('console', clock);
    const s = scheduler(store, library, clock, [delivery]);
    await s.tick();
    expect(store.alerts.get(1)).toMatchObject({ status: 'retry' });
    library.swap(indexWith(seeds.papers(), [first]));
    clock.advance(2 * 60_000);
    await s.tick();
    expect(delivery.posts.map((p) => cardIds(p.reply))).toEqual([[first.id]]);
    expect(store.alerts.get(1)?.status).toBe('sent');
  });
});
