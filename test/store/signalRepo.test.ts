import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { Store } from '../../src/store/store.js';
import { useTempStores } from '../scheduler/harness.js';

const stores = useTempStores();
const channel = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'c1' };
const at = new Date('2026-11-23T12:00:00Z');

describe('signals and posted papers on SQLite', () => {
  it('keep one signal per member, paper and kind, across a reopen; reset clears only that channel', () => {
    const first = stores.open();
    const like = { paperId: 'p1', title: 'Paper one', userId: 'u1', kind: 'like' as const, at };
    expect(first.signals.add(channel, like)).toBe(true);
    expect(first.signals.add(channel, like)).toBe(false);
    first.signals.add(channel, { ...like, kind: 'save' });
    first.signals.add({ ...channel, channelId: 'c2' }, like);
    first.close();
    const again = stores.open();
    expect(again.signals.taste(channel)).toEqual([{ paperId: 'p1', title: 'Paper one', likes: 1, dislikes: 0, saves: 1, lastAt: at }]);
    expect(again.signals.remove(channel, like)).toBe(true);
    expect(again.signals.remove(channel, like)).toBe(false);
    expect(again.signals.reset(channel)).toBe(1);
    expect(again.signals.forChannel(channel)).toEqual([]);
    expect(again.signals.forChannel({ ...channel, channelId: 'c2' })).toHaveLength(1);
  });

  it('find a message’s papers by its id (Discord) or its channel and ts (Slack)', () => {
    const store = stores.open();
    store.postedPapers.record(
      channel,
      'm1',
      [
        { paperId: 'p1', title: 'Paper one' },
        { paperId: 'p2', title: 'Paper two' },
      ],
      at,
    );
    store.postedPapers.record({ platform: 'slack', workspaceId: 'T1', channelId: 'C1' }, '1700.0001', [{ paperId: 'p3', title: 'Paper three' }], at);
    expect(store.postedPapers.papersOf('discord', 'g1', 'm1')).toEqual({
      channel,
      papers: [
        { paperId: 'p1', title: 'Paper one' },
        { paperId: 'p2', title: 'Paper two' },
      ],
    });
    expect(store.postedPapers.papersOf('discord', 'g2', 'm1')).toBeUndefined();
    expect(store.postedPapers.papersOf('slack', 'T1', '1700.0001', 'C1')?.papers).toEqual([{ paperId: 'p3', title: 'Paper three' }]);
    expect(store.postedPapers.papersOf('slack', 'T1', '1700.0001', 'C2')).toBeUndefined();
  });

  it('a database from before signals upgrades: its subscriptions get no picks until asked', () => {
    const old = new Database(stores.file);
    const before = MIGRATIONS.findIndex((m) => m.includes('CREATE TABLE signals'));
    expect(before).toBeGreaterThan(0);
    for (const step of MIGRATIONS.slice(0, before)) old.exec(step);
    old.pragma(`user_version = ${before}`);
    old.prepare(`INSERT INTO subscriptions VALUES ('discord', 'g1', 'c1', '09:00', 'UTC', 3, NULL, @at, @at)`).run({ at: at.toISOString() });
    old.close();
    const store = Store.open(stores.file);
    try {
      expect(store.subscriptions.get(channel)).toMatchObject({ postTime: '09:00', forChannel: false });
      expect(store.subscriptions.upsert({ ...channel, postTime: '09:00', timezone: 'UTC', topN: 3, forChannel: true }, at).forChannel).toBe(true);
    } finally {
      store.close();
    }
  });
});
