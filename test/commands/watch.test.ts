import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import type { CommandContext } from '../../src/commands/command.js';
import { CommandRouter } from '../../src/commands/router.js';
import { subscriptionCommands } from '../../src/commands/subscribe.js';
import { MAX_WATCHES, watchCommands } from '../../src/commands/watch.js';
import { PaperLibrary } from '../../src/index/library.js';
import type { PaperIndex } from '../../src/index/paperIndex.js';
import { Store } from '../../src/store/store.js';
import { seedIndex } from '../helpers/seeds.js';
import { PaperIndex as Index } from '../../src/index/paperIndex.js';
import { FixedClock as Clock } from '../../src/clock.js';
import { cardIds, FakeDelivery, scheduler, textOf, useTempStores } from '../scheduler/harness.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteIndex, writeSqliteIndex } from '../../src/index/sqliteIndexFile.js';
import { loadSeeds } from '../helpers/seeds.js';

let index: PaperIndex;
beforeAll(async () => {
  index = await seedIndex();
});
const stores = useTempStores();
let store: Store;
let r: CommandRouter;
beforeEach(() => {
  store = stores.open();
  const services = {
    store,
    clock: new FixedClock(new Date('2026-11-23T12:00:00Z')),
    library: new PaperLibrary(index),
    defaults: { postTime: '09:00', timezone: 'UTC' },
    slackManagers: 'admins-and-subscriber' as const,
  };
  r = new CommandRouter([...subscriptionCommands(services), ...watchCommands(services)]);
});

const admin: CommandContext = { platform: 'slack', workspaceId: 'T1', channelId: 'C1', userId: 'admin', canManageChannel: true };
const member = (userId: string): CommandContext => ({ platform: 'slack', workspaceId: 'T1', channelId: 'C1', userId, canManageChannel: false });

describe('watch, watches, unwatch', () => {
  it('adds a watch, says how many loaded papers match, and lists it', async () => {
    const reply = await r.handle('watch MoE routing', admin);
    expect(reply.error).toBeUndefined();
    expect(textOf(reply)).toMatch(/^Watching “MoE routing” \(#1\)/);
    expect(textOf(reply)).toMatch(/\d+ papers? in the digests loaded now match/);
    expect(reply.blocks.flatMap((b) => (b.kind === 'actions' ? b.buttons : []))).toEqual([{ label: 'Show current matches', command: 'watches #1' }]);
    expect(textOf(await r.handle('watch moe   ROUTING', admin))).toMatch(/^Already watching “MoE routing” \(#1\)/);
    expect(textOf(await r.handle('watches', member('anyone')))).toContain('#1  MoE routing');
  });

  it('removes a watch by words or by id', async () => {
    await r.handle('watch moe routing', admin);
    await r.handle('watch kv cache', admin);
    expect(textOf(await r.handle('unwatch #2', admin))).toBe('Stopped watching “kv cache” (#2)');
    expect(textOf(await r.handle('unwatch MoE Routing', admin))).toBe('Stopped watching “moe routing” (#1)');
    expect(textOf(await r.handle('watches', admin))).toMatch(/^No watches here/);
    expect((await r.handle('unwatch 7', admin)).error?.code).toBe('not_found');
  });

  it('refuses members who may not manage the channel, but lets a watch’s creator remove it', async () => {
    await r.handle('subscribe', admin);
    const refused = await r.handle('watch diffusion', member('bob'));
    expect(refused.error?.code).toBe('permission');
    expect(textOf(refused)).toMatch(/only workspace admins or the member who set it up/);
    await r.handle('watch diffusion', admin);
    expect((await r.handle('unwatch diffusion', member('bob'))).error?.code).toBe('permission');
  });

  it('admins-and-subscriber: in a channel nobody set up, a member may; then only admins and that member', async () => {
    const first = await r.handle('watch diffusion', member('bob'));
    expect(first.error).toBeUndefined();
    expect(store.watches.forChannel({ platform: 'slack', workspaceId: 'T1', channelId: 'C1' })[0]!.createdBy).toBe('bob');
    expect((await r.handle('subscribe 08:00', member('carol'))).error?.code).toBe('permission');
    expect((await r.handle('subscribe 08:00', member('bob'))).error).toBeUndefined();
    expect(store.subscriptions.all()[0]!.subscribedBy).toBe('bob');
    expect((await r.handle('watch moe', member('carol'))).error?.code).toBe('permission');
    expect((await r.handle('unsubscribe', member('bob'))).error).toBeUndefined();
  });

  it('explains an empty, stop-word-only or over-long query, and caps watches per channel', async () => {
    expect(textOf(await r.handle('watch', admin))).toMatch(/needs a query, e\.g\. `\/paper watch moe routing`/);
    expect(textOf(await r.handle('watch the of and', admin))).toMatch(/no words I can search for/);
    expect(textOf(await r.handle(`watch ${'long '.repeat(30)}`, admin))).toMatch(/at most 100 characters/);
    for (let i = 0; i < MAX_WATCHES; i++) await r.handle(`watch topic${i}`, admin);
    expect(textOf(await r.handle('watch one more', admin))).toMatch(new RegExp(`already has ${MAX_WATCHES} watches`));
  });

  it('"Show current matches" lists exactly the papers the watch alerts on', async () => {
    const clock = new Clock(new Date('2026-11-23T12:00:00Z'));
    const library = new PaperLibrary(Index.build([]));
    const delivery = new FakeDelivery('slack', clock);
    const s = scheduler(store, library, clock, [delivery]);
    await s.tick(); // an empty library is the baseline: every seed paper is new when it arrives
    const added = await r.handle('watch moe routing', admin);
    library.swap(index);
    await s.tick();
    const alerted = store.alerts.get(1)!.paperIds;
    expect(alerted.length).toBeGreaterThan(0);

    const shown = await r.handle('watches #1', member('anyone'));
    expect(textOf(shown)).toMatch(new RegExp(`^Papers matching “moe routing” \\(#1\\): ${alerted.length}\n`));
    const ids = cardIds(shown);
    expect(ids).toHaveLength(Math.min(10, alerted.length));
    for (const id of ids) expect(alerted).toContain(id);
    expect(textOf(added)).toContain(`${alerted.length} papers in the digests loaded now match`);
    for (const id of cardIds(delivery.posts[0]!.reply)) expect(alerted).toContain(id);
  });

  it('says so when a watch matches nothing yet, and when there is no such watch', async () => {
    await r.handle('watch quantum gravity llama', admin);
    expect(textOf(await r.handle('watches quantum gravity llama', admin))).toMatch(/: 0\nNo paper in the library has all these words/);
    expect((await r.handle('watches #9', admin)).error?.code).toBe('not_found');
  });

  it('counts and lists the same matches on the SQLite engine’s index file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperbot-watch-'));
    const seeds = await loadSeeds();
    writeSqliteIndex(
      join(dir, 'index.sqlite'),
      seeds.papers,
      seeds.digests.map((d) => d.date),
      null,
    );
    const file = openSqliteIndex(join(dir, 'index.sqlite')).index;
    const fileStore = Store.open(join(dir, 'paperbot.sqlite'));
    try {
      const onFile = new CommandRouter(
        watchCommands({
          store: fileStore,
          clock: new FixedClock(new Date('2026-11-23T12:00:00Z')),
          library: new PaperLibrary(file),
          defaults: { postTime: '09:00', timezone: 'UTC' },
          slackManagers: 'admins-and-subscriber',
        }),
      );
      const watches = ['moe routing', 'diffusion -video', 'author:Dao', 'org:nvidia', 'llm'];
      let listed = 0;
      for (const [i, query] of watches.entries()) {
        const [added, fileAdded] = [await r.handle(`watch ${query}`, admin), await onFile.handle(`watch ${query}`, admin)];
        expect(textOf(fileAdded), query).toBe(textOf(added));
        const [shown, fileShown] = [await r.handle(`watches #${i + 1}`, admin), await onFile.handle(`watches #${i + 1}`, admin)];
        expect(textOf(fileShown), query).toBe(textOf(shown));
        expect(cardIds(fileShown), query).toEqual(cardIds(shown));
        listed += cardIds(shown).length;
      }
      expect(listed).toBeGreaterThan(watches.length);
    } finally {
      fileStore.close();
      file.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
