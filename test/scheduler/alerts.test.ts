import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { PaperLibrary } from '../../src/index/library.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import { DeliveryError } from '../../src/model/delivery.js';
import type { Paper } from '../../src/model/paper.js';
import { loadDigests } from '../../src/parser/loadDigests.js';
import { watchMatcher } from '../../src/scheduler/watchMatch.js';
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
  withNewDay = PaperIndex.build(load.papers, load.digests.map((d) => d.date));
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
