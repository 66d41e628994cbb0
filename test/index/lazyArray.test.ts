import { closeSync, fstatSync, openSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LazyArray, SharedFile } from '../../src/index/lazyArray.js';
import { IndexReplacedError } from '../../src/model/errors.js';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'paperbot-lazy-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A file holding `values` as a Uint32Array, and a lazy array over it. */
function lazyFile(name: string, values: number[]): { fd: number; shared: SharedFile; array: LazyArray<Uint32Array> } {
  const bytes = Buffer.from(Uint32Array.from(values).buffer);
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  const fd = openSync(path, 'r');
  const shared = new SharedFile(fd);
  return { fd, shared, array: LazyArray.inFile(Uint32Array, shared, 0, values.length, crc32(bytes)) };
}

describe('a lazy array over a file', () => {
  it('reads parts from the file', () => {
    const { shared, array } = lazyFile('a', [10, 20, 30, 40]);
    expect([...array.subarray(1, 3)]).toEqual([20, 30]);
    shared.close();
  });

  it('loads whole and checked, then answers from memory with its file let go', async () => {
    const values = Array.from({ length: 768 * 1024 }, (_, i) => i); // 3 MB: read in several steps
    const { fd, shared, array } = lazyFile('big', values);
    expect(await array.load()).toBe('loaded');
    // Its only user read it whole: the descriptor is closed.
    expect(() => fstatSync(fd)).toThrow(/EBADF/);
    shared.close(); // closing again is harmless
    expect(array.all()).toEqual(Uint32Array.from(values));
  });

  it('tells every caller of a load stopped by retire that it was, and still reads parts until closed', async () => {
    const { shared, array } = lazyFile('big', Array.from({ length: 768 * 1024 }, (_, i) => i));
    const loads = [array.load(), array.load()];
    array.retire();
    expect(await Promise.all(loads)).toEqual(['retired', 'retired']);
    expect(await array.load()).toBe('retired');
    expect([...array.subarray(5, 7)]).toEqual([5, 6]);
    shared.close();
  });

  it('refuses to read once its file is closed, even when the descriptor number now belongs to another file', () => {
    const { shared, array } = lazyFile('a', [10, 20, 30, 40]);
    shared.close();
    // The OS gives the lowest free descriptor to the next file: likely the one just closed.
    writeFileSync(join(tmp, 'other'), Buffer.from(Uint32Array.from([666, 666, 666, 666]).buffer));
    const other = openSync(join(tmp, 'other'), 'r');
    try {
      expect(() => array.subarray(1, 3)).toThrow(IndexReplacedError);
      expect(() => array.all()).toThrow(IndexReplacedError);
    } finally {
      closeSync(other);
    }
  });
});
