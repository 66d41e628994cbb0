import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { DATABASE_FILE, Store } from '../../src/store/store.js';
import { StoreError } from '../../src/store/storeErrors.js';
import { tempDataDir } from '../scheduler/harness.js';

const now = new Date('2026-11-23T12:00:00Z');
const channel = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'c1' };
let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function temp() {
  const t = tempDataDir();
  cleanups.push(t.cleanup);
  return t;
}
function openError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StoreError) return err;
    throw err;
  }
  throw new Error('expected a StoreError');
}

describe('Store.open', () => {
  it('creates DATA_DIR and the database on the first run, in WAL mode at the latest schema', () => {
    const { dir } = temp();
    const dataDir = join(dir, 'nested', 'data');
    const store = Store.openInDataDir(dataDir);
    store.close();
    const file = join(dataDir, DATABASE_FILE);
    expect(existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('keeps subscriptions and watches across a restart', () => {
    const { file } = temp();
    const first = Store.open(file);
    first.subscriptions.upsert({ ...channel, postTime: '09:00', timezone: 'Europe/Berlin', topN: 3, subscribedBy: 'u1' }, now);
    first.watches.add(channel, 'MoE  routing', 'u1', now);
    first.close();
    const second = Store.open(file);
    expect(second.subscriptions.get(channel)).toMatchObject({ postTime: '09:00', timezone: 'Europe/Berlin', topN: 3, subscribedBy: 'u1' });
    expect(second.watches.find(channel, 'moe routing')?.query).toBe('MoE routing');
    second.close();
  });

  it('refuses a file that is not a database, with a clear error, and leaves it untouched', () => {
    const { file } = temp();
    const garbage = 'these are somebody else’s notes, not a database\n'.repeat(200);
    writeFileSync(file, garbage);
    const err = openError(() => Store.open(file));
    expect(err.failure).toBe('corrupt');
    expect(err.userMessage).toContain(file);
    expect(err.userMessage).toMatch(/backup/);
    expect(readFileSync(file, 'utf8')).toBe(garbage);
  });

  it('refuses a database with damaged pages and never rewrites it', () => {
    const { file } = temp();
    const store = Store.open(file);
    for (let i = 0; i < 300; i++) store.watches.add({ ...channel, channelId: `c${i}` }, `topic number ${i} with some padding words`, 'u', now);
    store.close();
    const bytes = readFileSync(file);
    bytes.fill(0x41, 4096 * 2, 4096 * 4);
    writeFileSync(file, bytes);
    const err = openError(() => Store.open(file));
    expect(err.failure).toBe('corrupt');
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('reports a database locked by another process instead of hanging or failing silently', () => {
    const { file } = temp();
    Store.open(file).close();
    const other = new Database(file);
    other.exec('BEGIN EXCLUSIVE');
    try {
      const err = openError(() => Store.open(file, { busyTimeoutMs: 50 }));
      expect(err.failure).toBe('locked');
      expect(err.userMessage).toMatch(/another process/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    Store.open(file).close();
  });

  it('refuses a database written by a newer paperbot', () => {
    const { file } = temp();
    Store.open(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    const err = openError(() => Store.open(file));
    expect(err.failure).toBe('newer_schema');
    expect(err.userMessage).toMatch(/newer/);
  });

  it('says DATA_DIR is unusable when it is a file', () => {
    const { dir } = temp();
    const notADir = join(dir, 'data');
    writeFileSync(notADir, 'x');
    expect(openError(() => Store.openInDataDir(notADir)).failure).toBe('unavailable');
  });

  it('makes a consistent backup copy while open', async () => {
    const { file, dir } = temp();
    const store = Store.open(file);
    store.subscriptions.upsert({ ...channel, postTime: '07:30', timezone: 'UTC', topN: 5 }, now);
    await store.backup(join(dir, 'backup.sqlite'));
    store.close();
    const copy = Store.open(join(dir, 'backup.sqlite'));
    expect(copy.subscriptions.get(channel)?.postTime).toBe('07:30');
    copy.close();
  });

  it('commits with synchronous = FULL, so a power cut cannot undo a claim or a "sent"', () => {
    const { file } = temp();
    const store = Store.open(file);
    // 2 is FULL (0 OFF, 1 NORMAL, 3 EXTRA).
    expect(store['db'].pragma('synchronous', { simple: true })).toBe(2);
    store.close();
  });

  it('upgrades a database of the previous schema: its subscriptions, ledger and queued alerts carry on', async () => {
    const { file } = temp();
    const old = new Database(file);
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    old
      .prepare("INSERT INTO post_ledger (platform, workspace_id, channel_id, kind, day, digest_date, status, attempts) VALUES ('discord', 'g1', 'c1', 'daily', '2026-11-22', '2026-11-13', 'sent', 1)")
      .run();
    old
      .prepare("INSERT INTO alerts (platform, workspace_id, channel_id, query, paper_ids, status, created_at) VALUES ('discord', 'g1', 'c1', 'moe', ?, 'pending', ?)")
      .run(JSON.stringify(['2611.00001']), now.toISOString());
    old.close();

    const store = Store.open(file);
    expect(store.posts.get(channel, 'daily', '2026-11-22')).toMatchObject({ status: 'sent', digestDate: '2026-11-13', threadAttempts: 0 });
    expect(store.posts.get(channel, 'daily', '2026-11-22')?.threadStatus).toBeUndefined();
    const [alert] = store.alerts.claimDue(new Set(['discord']), 'me', now);
    expect(alert).toMatchObject({ query: 'moe', paperIds: ['2611.00001'], attempts: 1 });
    expect(alert?.reply).toBeUndefined();
    expect(store.alerts.hasBaseline()).toBe(false);
    store.close();
  });
});
