import { cp, mkdir, mkdtemp, readFile, rm, truncate, writeFile, copyFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { DigestIngester } from '../../src/ingest/ingester.js';
import { openLibrary } from '../../src/ingest/openLibrary.js';
import { loadSnapshot, readSnapshotMeta, saveSnapshot, snapshotPath } from '../../src/ingest/snapshot.js';
import { INDEX_FORMAT, PaperIndex } from '../../src/index/paperIndex.js';
import { silentLogger } from '../../src/logger.js';
import { loadDigests } from '../../src/parser/loadDigests.js';
import { RAW_DIR } from '../fakes/hf/server.js';

let tmp: string;
let digests: string;
let data: string;
const clock = new FixedClock(new Date('2025-12-31T12:00:00Z'));

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'paperbot-snapshot-'));
  digests = join(tmp, 'digests');
  data = join(tmp, 'data');
  await cp('seeds', digests, { recursive: true });
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const config = () => ({ DIGESTS_DIR: digests, DIGEST_YEAR: 2025, DATA_DIR: data });
async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const titles = (index: PaperIndex, q: string) => index.search(q, { limit: 5 }).map((h) => h.paper.title);

describe('index snapshot', () => {
  it('loads back an index that answers like the one saved', async () => {
    const load = await loadDigests([digests], { today: '2025-12-31', digestYear: 2025 });
    const built = PaperIndex.build(load.papers, load.digests.map((d) => d.date));
    const path = join(data, 'snap.json');
    await saveSnapshot(path, built, { fingerprint: 'f', root: digests, lastIngestAt: '2025-12-31T12:00:00.000Z', files: load.files, digests: load.digests, issues: [] }, clock.now());

    const { meta, index } = await loadSnapshot(path);
    expect(meta).toMatchObject({ format: INDEX_FORMAT, papers: built.size, fingerprint: 'f' });
    expect(index.size).toBe(built.size);
    expect(titles(index, 'mixture of experts routing')).toEqual(titles(built, 'mixture of experts routing'));
    expect(index.trending('week', '2025-12-31').hits.map((h) => h.paper.id)).toEqual(built.trending('week', '2025-12-31').hits.map((h) => h.paper.id));
    expect(await readSnapshotMeta(path)).toEqual(meta);
  });

  it('starts from the snapshot when the digests are unchanged', async () => {
    const first = await openLibrary(config(), clock, silentLogger, { background: true });
    expect(first.ingester.state().source).toBe('parse');
    const second = await openLibrary(config(), clock, silentLogger, { background: true });
    expect(second.ingester.state().source).toBe('snapshot');
    expect(second.library.current().size).toBe(first.library.current().size);
    expect(second.ingester.state().files).toEqual(first.ingester.state().files);
  });

  it('answers from a stale snapshot at once and swaps in the rebuilt index', async () => {
    const first = await openLibrary(config(), clock, silentLogger, { background: true });
    await copyFile(join(RAW_DIR, '2025-12-10.json'), join(digests, '2025-12-10.json'));
    const id = JSON.parse(await readFile(join(RAW_DIR, '2025-12-10.json'), 'utf8'))[0].paper.id;

    const second = await openLibrary(config(), clock, silentLogger, { background: true });
    expect(second.library.current().size).toBe(first.library.current().size);
    await second.ingester.refresh();
    expect(second.library.current().get(id)).toBeDefined();

    // The rebuilt index was saved: the next start is fresh and has the new day.
    const third = await openLibrary(config(), clock, silentLogger, { background: true });
    expect(third.ingester.state().source).toBe('snapshot');
    expect(third.library.current().get(id)).toBeDefined();
  });

  it('a one-shot command never answers from a stale snapshot', async () => {
    await openLibrary(config(), clock, silentLogger, { background: true });
    await copyFile(join(RAW_DIR, '2025-12-10.json'), join(digests, '2025-12-10.json'));
    const id = JSON.parse(await readFile(join(RAW_DIR, '2025-12-10.json'), 'utf8'))[0].paper.id;
    const cli = await openLibrary(config(), clock, silentLogger);
    expect(cli.library.current().get(id)).toBeDefined();
  });

  it('ignores a truncated snapshot, says why, and rebuilds', async () => {
    const first = await openLibrary(config(), clock, silentLogger, { background: true });
    const path = snapshotPath(data);
    await truncate(path, 5000);
    await expect(loadSnapshot(path)).rejects.toThrow(/truncated/);

    const warnings: string[] = [];
    const logger = silentLogger.child({});
    logger.warn = ((_obj: unknown, msg?: string) => void warnings.push(String(msg))) as typeof logger.warn;
    const again = await openLibrary(config(), clock, logger, { background: true });
    expect(warnings.join('\n')).toMatch(/index snapshot not used \(truncated/);
    expect(again.library.current().size).toBe(first.library.current().size);
    expect((await loadSnapshot(path)).index.size).toBe(first.library.current().size);
  });

  it('ignores a snapshot of another index format or of garbage', async () => {
    await openLibrary(config(), clock, silentLogger, { background: true });
    const path = snapshotPath(data);
    const bytes = await readFile(path);
    const format = Buffer.from(`"format":${INDEX_FORMAT},`);
    const other = Buffer.from(`"format":${INDEX_FORMAT + 1},`);
    expect(other.length).toBe(format.length);
    const at = bytes.indexOf(format);
    expect(at).toBeGreaterThan(0);
    await writeFile(path, Buffer.concat([bytes.subarray(0, at), other, bytes.subarray(at + format.length)]));
    await expect(loadSnapshot(path)).rejects.toThrow(`index format ${INDEX_FORMAT + 1}`);
    await writeFile(path, 'not json at all\n');
    await expect(loadSnapshot(path)).rejects.toThrow(/not valid JSON/);
    const again = await openLibrary(config(), clock, silentLogger, { background: true });
    expect(again.ingester.state().source).toBe('parse');
  });

  it('ignores a snapshot with one flipped byte and rebuilds rather than search damaged postings', async () => {
    const first = await openLibrary(config(), clock, silentLogger, { background: true });
    const path = snapshotPath(data);
    const bytes = await readFile(path);
    bytes[bytes.length - 100]! ^= 0x01;
    await writeFile(path, bytes);
    await expect(loadSnapshot(path)).rejects.toThrow(/checksum/);
    const again = await openLibrary(config(), clock, silentLogger, { background: true });
    expect(again.ingester.state().source).toBe('parse');
    expect(titles(again.library.current(), 'diffusion')).toEqual(titles(first.library.current(), 'diffusion'));
  });

  it('removes the JSON snapshot earlier versions saved once it has saved its own', async () => {
    const legacy = join(data, 'index-snapshot.json');
    await mkdir(data, { recursive: true });
    await writeFile(legacy, '{"kind":"paperbot-index","format":2}\n[]\n');
    await openLibrary(config(), clock, silentLogger, { background: true });
    await expect(readFile(legacy)).rejects.toThrow(/ENOENT/);
    expect((await loadSnapshot(snapshotPath(data))).index.size).toBeGreaterThan(0);
  });

  it('leaves large paper records in the file, shows papers from it, and reads them all when warmed', async () => {
    const first = await openLibrary(config(), clock, silentLogger, { background: true });
    const built = first.library.current();
    const { index } = await loadSnapshot(snapshotPath(data), 0);
    expect(titles(index, 'mixture of experts routing')).toEqual(titles(built, 'mixture of experts routing'));
    const some = built.papers()[3]!;
    expect(index.get(some.id)).toEqual(some);
    await index.warm();
    expect(index.papers()).toEqual(built.papers());
  });

  it('answers at once from a snapshot whose paper records are damaged, then notices and rebuilds', async () => {
    const first = await openLibrary(config(), clock, silentLogger, { background: true });
    const path = snapshotPath(data);
    const bytes = await readFile(path);
    // Inside the last paper record, which no search below shows: only reading them all finds it.
    const at = bytes.lastIndexOf(Buffer.from('"title":"')) + 12;
    bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
    await writeFile(path, bytes);

    const warnings: string[] = [];
    const logger = silentLogger.child({});
    logger.warn = ((_obj: unknown, msg?: string) => void warnings.push(String(msg))) as typeof logger.warn;
    const ing = new DigestIngester({ digestsDir: digests, digestYear: 2025, snapshot: { path, save: true, warm: true, lazyBytes: 0 }, clock, logger });
    expect(await ing.startFromSnapshot()).toBe('fresh');
    const fromSnapshot = ing.library.current();
    expect(titles(fromSnapshot, 'diffusion').length).toBeGreaterThan(0);
    await until(() => ing.library.current() !== fromSnapshot, 'the rebuilt index');
    // The damaged index kept answering until the rebuilt one replaced it.
    expect(titles(fromSnapshot, 'diffusion')).toEqual(titles(first.library.current(), 'diffusion'));
    expect(warnings.join('\n')).toMatch(/index snapshot not used \(altered or damaged \(checksum does not match/);
    expect(ing.library.current().papers()).toEqual(first.library.current().papers());
    await until(async () => (await loadSnapshot(path).then(() => true, () => false)), 'a good snapshot saved again');
  });

  it('shows a paper whose record no longer parses by its id and title, and reports the damage when warmed', async () => {
    await openLibrary(config(), clock, silentLogger, { background: true });
    const path = snapshotPath(data);
    const bytes = await readFile(path);
    // Break the JSON of the last record (keeps its length, so only the checksum can tell).
    const at = bytes.lastIndexOf(Buffer.from('{"'));
    bytes[at] = 0x5b;
    await writeFile(path, bytes);
    const { index } = await loadSnapshot(path, 0);
    const last = index.papers().at(-1)!;
    expect(last.title.length).toBeGreaterThan(0);
    expect(last.abstract).toBe('');
    expect(index.search(last.title, { limit: 3 }).map((h) => h.paper.id)).toContain(last.id);
    await expect(index.warm()).rejects.toThrow(/checksum/);
  });

  it('lets go of the snapshot file when its index is replaced', async () => {
    await openLibrary(config(), clock, silentLogger, { background: true });
    const openFiles = () => readdirSync('/proc/self/fd').length;
    const before = openFiles();
    const { index } = await loadSnapshot(snapshotPath(data), 0);
    expect(openFiles()).toBe(before + 1);
    index.retire(0);
    expect(openFiles()).toBe(before);
    await index.warm();
  });

  it('says why a snapshot path it cannot read is not used, rather than failing the start', async () => {
    await mkdir(snapshotPath(data), { recursive: true });
    await expect(loadSnapshot(snapshotPath(data))).rejects.toThrow(/cannot read: EISDIR/);
    const again = await openLibrary(config(), clock, silentLogger, { background: true });
    expect(again.ingester.state().source).toBe('parse');
  });

  it('never uses the snapshot of another digests folder', async () => {
    await openLibrary(config(), clock, silentLogger, { background: true });
    const other = join(tmp, 'other');
    await cp(join(RAW_DIR, '2025-11-10.json'), join(other, '2025-11-10.json'));
    const lib = await openLibrary({ ...config(), DIGESTS_DIR: other }, clock, silentLogger, { background: true });
    expect(lib.ingester.state().source).toBe('parse');
    expect(lib.ingester.state().files).toEqual(['2025-11-10.json']);
  });
});
