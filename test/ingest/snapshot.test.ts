import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, truncate, utimes, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
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
    const built = PaperIndex.build(
      load.papers,
      load.digests.map((d) => d.date),
    );
    const path = join(data, 'snap.jsonl');
    await saveSnapshot(
      path,
      built.save(),
      { fingerprint: 'f', inputs: {}, root: digests, folder: '', lastIngestAt: '2025-12-31T12:00:00.000Z', files: load.files, digests: load.digests, issues: [] },
      clock.now(),
    );

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
    logger.warn = ((obj: unknown, msg?: string) => void warnings.push(`${msg} ${JSON.stringify(obj)}`)) as typeof logger.warn;
    const again = await openLibrary(config(), clock, logger, { background: true });
    expect(warnings.join('\n')).toMatch(/index snapshot not used.*"reason":"truncated/);
    expect(again.library.current().size).toBe(first.library.current().size);
    expect((await loadSnapshot(path)).index.size).toBe(first.library.current().size);
  });

  it('ignores a snapshot of another index format, of an earlier version, with a damaged header, or of garbage', async () => {
    await openLibrary(config(), clock, silentLogger, { background: true });
    const path = snapshotPath(data);
    const bytes = await readFile(path);
    const newline = bytes.indexOf(0x0a);
    const [crc, json] = [bytes.toString('utf8', 0, 8), bytes.toString('utf8', 9, newline)];
    expect(crc).toBe(crc32(json).toString(16).padStart(8, '0'));
    const withHeader = (line: string) => Buffer.concat([Buffer.from(line), bytes.subarray(newline)]);

    // Another format, with its header intact (same length, so the sections stay where they are).
    const otherFormat = String(INDEX_FORMAT + 1).length === String(INDEX_FORMAT).length ? INDEX_FORMAT + 1 : INDEX_FORMAT - 1;
    const other = json.replace(`"format":${INDEX_FORMAT},`, `"format":${otherFormat},`);
    expect(other.length).toBe(json.length);
    await writeFile(path, withHeader(`${crc32(other).toString(16).padStart(8, '0')} ${other}`));
    await expect(loadSnapshot(path)).rejects.toThrow(`index format ${otherFormat}`);
    // The same edit without its checksum: a damaged header.
    await writeFile(path, withHeader(`${crc} ${other}`));
    await expect(loadSnapshot(path)).rejects.toThrow(/header checksum does not match/);
    // Earlier versions began with bare JSON.
    await writeFile(path, withHeader(`${json}         `));
    await expect(loadSnapshot(path)).rejects.toThrow(/saved by an earlier version/);
    await writeFile(path, 'not json at all\n');
    await expect(loadSnapshot(path)).rejects.toThrow(/not a paperbot index snapshot/);
    const again = await openLibrary(config(), clock, silentLogger, { background: true });
    expect(again.ingester.state().source).toBe('parse');
  });

  it('ignores a snapshot with one flipped byte and rebuilds rather than search a damaged index', async () => {
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

  it('removes the snapshots earlier versions saved once it has saved its own', async () => {
    const legacy = [join(data, 'index-snapshot.json'), join(data, 'index-snapshot.bin')];
    await mkdir(data, { recursive: true });
    for (const file of legacy) await writeFile(file, '{"kind":"paperbot-index","format":2}\n[]\n');
    await openLibrary(config(), clock, silentLogger, { background: true });
    for (const file of legacy) await expect(readFile(file)).rejects.toThrow(/ENOENT/);
    expect((await loadSnapshot(snapshotPath(data))).index.size).toBeGreaterThan(0);
  });

  it('serves from the engine SEARCH_ENGINE names, starts from its snapshot, and rebuilds when the engine changes', async () => {
    const lite = await openLibrary({ ...config(), SEARCH_ENGINE: 'sqlite' }, clock, silentLogger, { background: true });
    expect(lite.library.current().engineName).toBe('sqlite');
    const again = await openLibrary({ ...config(), SEARCH_ENGINE: 'sqlite' }, clock, silentLogger, { background: true });
    expect(again.ingester.state().source).toBe('snapshot');
    expect(titles(lite.library.current(), 'diffusion').length).toBeGreaterThan(0);
    expect(titles(again.library.current(), 'diffusion')).toEqual(titles(lite.library.current(), 'diffusion'));
    const mini = await openLibrary(config(), clock, silentLogger, { background: true });
    expect(mini.ingester.state().source).toBe('parse');
    expect(mini.library.current().engineName).toBe('minisearch');
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

  it('starts from the snapshot when a file was touched or copied but holds the same bytes', async () => {
    await openLibrary(config(), clock, silentLogger, { background: true });
    const page = (await readdir(digests))[0]!;
    await cp(join(digests, page), join(tmp, 'copy'));
    await cp(join(tmp, 'copy'), join(digests, page)); // same bytes, new modification time
    await utimes(join(digests, page), new Date('2026-01-02T03:04:05Z'), new Date('2026-01-02T03:04:05Z'));

    const again = await openLibrary(config(), clock, silentLogger);
    expect(again.ingester.state().source).toBe('snapshot');
    // Found equal once, the file is known by its new stat: the next look (once a minute) reads
    // no file, so even a same-size edit that kept the time goes unseen, as with make or rsync.
    const bytes = await readFile(join(digests, page));
    const sameSize = Buffer.from(bytes.toString('latin1').replace(/a/, 'b'), 'latin1');
    await writeFile(join(digests, page), sameSize);
    await utimes(join(digests, page), new Date('2026-01-02T03:04:05Z'), new Date('2026-01-02T03:04:05Z'));
    expect((await again.ingester.refresh()).swapped).toBe(false);
    await writeFile(join(digests, page), bytes);
    // The same page with one title changed is another matter.
    const text = await readFile(join(digests, page), 'utf8');
    const title = again.library
      .current()
      .papers()
      .find((p) => p.digests.some((d) => d.file === page))!.title;
    await writeFile(join(digests, page), text.replace(title, `${title} Revisited`));
    const edited = await openLibrary(config(), clock, silentLogger);
    expect(edited.ingester.state().source).toBe('parse');
    expect(titles(edited.library.current(), `${title} Revisited`)[0]).toBe(`${title} Revisited`);
  });

  it('rebuilds when DIGEST_YEAR changes what the pages without a year mean', async () => {
    const first = await openLibrary(config(), clock, silentLogger, { background: true });
    const other = await openLibrary({ ...config(), DIGEST_YEAR: 2024 }, clock, silentLogger);
    expect(other.ingester.state().source).toBe('parse');
    expect(
      first.library
        .current()
        .digestDates()
        .every((d) => d.startsWith('2025-')),
    ).toBe(true);
    expect(
      other.library
        .current()
        .digestDates()
        .every((d) => d.startsWith('2024-')),
    ).toBe(true);
  });

  it('a running bot restarted with another DIGEST_YEAR gives no answer from the older snapshot', async () => {
    const first = await openLibrary(config(), clock, silentLogger, { background: true });
    first.ingester.stop();
    expect(
      first.library
        .current()
        .digestDates()
        .every((d) => d.startsWith('2025-')),
    ).toBe(true);
    const restarted = await openLibrary({ ...config(), DIGEST_YEAR: 2024 }, clock, silentLogger, { background: true });
    restarted.ingester.stop();
    // What openLibrary hands over is what the first answer reads.
    expect(restarted.ingester.state().source).toBe('parse');
    expect(restarted.library.current().digestDates().length).toBeGreaterThan(0);
    expect(
      restarted.library
        .current()
        .digestDates()
        .every((d) => d.startsWith('2024-')),
    ).toBe(true);
  });

  it('answers from the snapshot when the digests folder is gone, and says so', async () => {
    const first = await openLibrary(config(), clock, silentLogger, { background: true });
    await rm(digests, { recursive: true });
    const again = await openLibrary(config(), clock, silentLogger, { background: true });
    await again.ingester.refresh();
    expect(again.library.current().size).toBe(first.library.current().size);
    expect(again.ingester.state().issues.map((i) => i.message)).toContain('cannot read: ENOENT');
  });

  it('keeps its papers when the folder turns up empty (an unmounted disk), and takes new files when they come', async () => {
    const first = await openLibrary(config(), clock, silentLogger, { background: true });
    const size = first.library.current().size;
    // Another, empty folder at the path, as the mount point under an unmounted disk.
    await rename(digests, join(tmp, 'mounted'));
    await mkdir(digests);
    const report = await first.ingester.refresh();
    expect(report.swapped).toBe(false);
    expect(first.library.current().size).toBe(size);
    expect(first.ingester.state().issues.map((i) => i.message)).toContainEqual(expect.stringMatching(/is empty and not the folder the index was made from \(an unmounted disk\?\)/));
    // The same after a restart from the snapshot.
    const restarted = await openLibrary(config(), clock, silentLogger);
    expect(restarted.library.current().size).toBe(size);
    expect(restarted.ingester.folderProblem()?.message).toMatch(/an unmounted disk/);
    // The disk mounted again, as the snapshot knew it: nothing is kept out any more.
    await rename(digests, join(tmp, 'mount-point'));
    await rename(join(tmp, 'mounted'), digests);
    expect((await restarted.ingester.refresh()).swapped).toBe(false);
    expect(restarted.ingester.folderProblem()).toBeUndefined();
    await rename(digests, join(tmp, 'mounted'));
    await rename(join(tmp, 'mount-point'), digests);

    await copyFile(join(RAW_DIR, '2025-11-13.json'), join(digests, '2025-11-13.json'));
    expect((await first.ingester.refresh()).swapped).toBe(true);
    expect(first.ingester.state().files).toEqual(['2025-11-13.json']);
    expect(first.ingester.state().issues).toEqual([]);
  });

  it('empties the index when its files are deleted from the folder it was made from', async () => {
    const first = await openLibrary(config(), clock, silentLogger, { background: true });
    for (const page of await readdir(digests)) await rm(join(digests, page));
    expect((await first.ingester.refresh()).swapped).toBe(true);
    expect(first.library.current().size).toBe(0);
  });

  it('keeps the papers of a file that turned bad while the bot was stopped, until it is mended', async () => {
    await copyFile(join(RAW_DIR, '2025-12-10.json'), join(digests, '2025-12-10.json'));
    const day = JSON.parse(await readFile(join(RAW_DIR, '2025-12-10.json'), 'utf8')) as { paper: { id: string } }[];
    const ids = day.map((e) => e.paper.id);
    const first = await openLibrary(config(), clock, silentLogger, { background: true });
    const size = first.library.current().size;

    await writeFile(join(digests, '2025-12-10.json'), '[{"paper": {"id": "2512.0001", "title": "cut off');
    const restarted = await openLibrary(config(), clock, silentLogger, { background: true });
    await restarted.ingester.refresh();
    const messages = restarted.ingester.state().issues.map((i) => i.message);
    expect(messages).toContainEqual(expect.stringMatching(/not valid JSON/));
    expect(messages).toContainEqual(`the ${ids.length} papers of its last good version stay in the index until it is mended`);
    expect(ids.every((id) => restarted.library.current().get(id))).toBe(true);

    // Another day arrives: the rebuilt index still has them, and so does the next start.
    await copyFile(join(RAW_DIR, '2025-11-13.json'), join(digests, '2025-11-13.json'));
    expect((await restarted.ingester.refresh()).swapped).toBe(true);
    expect(ids.every((id) => restarted.library.current().get(id))).toBe(true);
    const third = await openLibrary(config(), clock, silentLogger);
    expect(third.ingester.state().source).toBe('snapshot');
    expect(ids.every((id) => third.library.current().get(id))).toBe(true);
    expect(third.library.current().size).toBeGreaterThan(size);

    // Mended (here: removed), the file's papers go.
    await rm(join(digests, '2025-12-10.json'));
    expect((await restarted.ingester.refresh()).change.removed).toEqual(['2025-12-10.json']);
    expect(
      ids.some((id) =>
        restarted.library
          .current()
          .get(id)
          ?.digests.some((d) => d.file === '2025-12-10.json'),
      ),
    ).toBe(false);
  });

  it('leaves the previous snapshot whole when the disk fills up half-way through a save', async () => {
    await openLibrary(config(), clock, silentLogger, { background: true });
    const path = snapshotPath(data);
    const before = await readFile(path);
    expect(before.length).toBeGreaterThan(64 * 1024);
    const script = join(tmp, 'save.mts');
    await writeFile(
      script,
      `import { loadSnapshot, saveSnapshot } from ${JSON.stringify(resolve('src/ingest/snapshot.ts'))};
const { meta, index } = await loadSnapshot(process.argv[2]);
const { fingerprint, inputs, root, folder, lastIngestAt, files, digests, issues } = meta;
await saveSnapshot(process.argv[2], index.save(), { fingerprint, inputs, root, folder, lastIngestAt, files, digests, issues }, new Date()).then(
  () => console.log('saved'),
  (err) => console.log('not saved:', err.code ?? err.message),
);`,
    );
    // A 64 kB file size limit: the write stops part-way, as on a full disk.
    const out = execFileSync('bash', ['-c', 'ulimit -f 64; exec "$0" --import tsx "$@"', process.execPath, script, path], { encoding: 'utf8' });
    expect(out.trim()).toBe('not saved: EFBIG');
    expect((await readFile(path)).equals(before)).toBe(true);
    expect(await readdir(data)).toEqual(['index-snapshot.jsonl']);
  });

  it('clears temp files that killed saves left behind, and only those', async () => {
    await openLibrary(config(), clock, silentLogger, { background: true });
    const old = join(data, '.index-snapshot.jsonl.1-deadbeef.tmp');
    const earlierVersion = join(data, 'index-snapshot.jsonl.4711.tmp');
    const recent = join(data, '.index-snapshot.jsonl.2-cafecafe.tmp');
    const mine = join(data, 'notes.tmp');
    for (const f of [old, earlierVersion, recent, mine]) await writeFile(f, 'partial');
    const twoHoursAgo = new Date(clock.now().getTime() - 2 * 3600_000);
    for (const f of [old, earlierVersion, mine]) await utimes(f, twoHoursAgo, twoHoursAgo);
    await utimes(recent, clock.now(), clock.now());

    await copyFile(join(RAW_DIR, '2025-12-10.json'), join(digests, '2025-12-10.json'));
    const again = await openLibrary(config(), clock, silentLogger, { background: true });
    await again.ingester.refresh();
    expect((await readdir(data)).sort()).toEqual(['.index-snapshot.jsonl.2-cafecafe.tmp', 'index-snapshot.jsonl', 'notes.tmp']);
  });
});
