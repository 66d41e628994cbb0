import { cp, mkdtemp, readFile, rm, truncate, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
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
    expect(second.load.files).toEqual(first.load.files);
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
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace(`"format":${INDEX_FORMAT},`, `"format":${INDEX_FORMAT + 1},`));
    await expect(loadSnapshot(path)).rejects.toThrow(`index format ${INDEX_FORMAT + 1}`);
    await writeFile(path, 'not json at all\n');
    await expect(loadSnapshot(path)).rejects.toThrow(/not valid JSON/);
    const again = await openLibrary(config(), clock, silentLogger, { background: true });
    expect(again.ingester.state().source).toBe('parse');
  });

  it('never uses the snapshot of another digests folder', async () => {
    await openLibrary(config(), clock, silentLogger, { background: true });
    const other = join(tmp, 'other');
    await cp(join(RAW_DIR, '2025-11-10.json'), join(other, '2025-11-10.json'));
    const lib = await openLibrary({ ...config(), DIGESTS_DIR: other }, clock, silentLogger, { background: true });
    expect(lib.ingester.state().source).toBe('parse');
    expect(lib.load.files).toEqual(['2025-11-10.json']);
  });
});
