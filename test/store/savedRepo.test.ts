import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import type { ReadingList } from '../../src/store/savedRepo.js';
import { manySavedRecords } from '../export/savedRecords.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function openStore(dir = mkdtempSync(join(tmpdir(), 'paperbot-saved-'))): { store: Store; dir: string } {
  dirs.push(dir);
  return { store: Store.openInDataDir(dir), dir };
}
const mine: ReadingList = { platform: 'slack', workspaceId: 'T1', kind: 'user', owner: 'U1' };
const channel: ReadingList = { platform: 'slack', workspaceId: 'T1', kind: 'channel', owner: 'C1' };
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe('reading lists in the store', () => {
  it('a member’s list and a channel’s are separate, and saving twice keeps the first save', () => {
    const { store } = openStore();
    const [a, b] = manySavedRecords(2);
    expect(store.saved.save(mine, a!, { id: 'U1', name: 'alice' }, at(1))).toBe(true);
    expect(store.saved.save(mine, a!, { id: 'U1' }, at(2))).toBe(false);
    store.saved.save(channel, b!, { id: 'U2', name: 'bob' }, at(3));
    expect(store.saved.all(mine).map((s) => [s.record.id, s.savedBy, s.savedAt.toISOString()])).toEqual([[a!.id, 'alice', at(1).toISOString()]]);
    expect(store.saved.all(channel).map((s) => [s.record.id, s.savedBy])).toEqual([[b!.id, 'bob']]);
    expect(store.saved.unsave(mine, b!.id)).toBe(false);
    expect(store.saved.unsave(mine, a!.id)).toBe(true);
    expect(store.saved.count(mine)).toBe(0);
    store.close();
  });

  it('pages newest first without overlap, and the list survives a restart', () => {
    const { store, dir } = openStore();
    const records = manySavedRecords(12);
    for (const [i, r] of records.entries()) store.saved.save(channel, r, {}, at(i));
    const pages = [0, 5, 10].map((offset) => store.saved.page(channel, 5, offset).map((s) => s.record.id));
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    expect(pages.flat()).toEqual(records.map((r) => r.id).reverse());
    store.close();
    const reopened = openStore(dir).store;
    expect(reopened.saved.all(channel).map((s) => s.record)).toEqual(records);
    reopened.close();
  });
});
