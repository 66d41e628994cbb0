/**
 * The worker thread side of FolderThread: it owns the parsed digests folder, so reading,
 * hashing, parsing, merging and building the index happen here, never on the thread that answers.
 */
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { ENGINES } from '../index/engines.js';
import { parseJsonLines } from '../index/jsonLines.js';
import { PaperIndex, type SavedIndex } from '../index/paperIndex.js';
import { checkSqliteIndex, readSqliteIndexPapers, writeSqliteIndex } from '../index/sqliteIndexFile.js';
import { PaperbotError } from '../model/errors.js';
import type { Paper } from '../model/paper.js';
import type { FileParseResult } from '../parser/result.js';
import { DigestFolder } from './digestFolder.js';
import type { FolderThreadOptions, Reply, Request } from './folderThread.js';
import { readSnapshot } from './snapshot.js';

const options = workerData as FolderThreadOptions;
let current: Extract<Request, { op: 'sync' }> | undefined;
/** The snapshot's papers, read once per sync that needs them. */
let snapshotPapers: Promise<Paper[]> | undefined;

const folder = new DigestFolder(options.root, {
  parseOptions: () => ({ today: current!.today, digestYear: options.digestYear }),
  settle: options.settleMs > 0 ? () => new Promise((r) => setTimeout(r, options.settleMs)) : undefined,
  kept,
});

/** What a file gave the snapshot the bot started from, rebuilt from its papers' appearances in that file. */
async function kept(name: string): Promise<FileParseResult | undefined> {
  const from = current?.kept;
  const digests = from?.digests.filter((d) => d.file === name) ?? [];
  if (!from || digests.length === 0) return undefined;
  snapshotPapers ??=
    options.engine === 'sqlite'
      ? Promise.resolve().then(() => readSqliteIndexPapers(from.path))
      : readSnapshot(from.path).then(async ({ saved }) => ((await parseJsonLines(saved.catalog)).slice(1) as [Paper][]).map(([paper]) => paper));
  const all = await snapshotPapers.catch(() => undefined);
  if (!all) return undefined;
  const papers = all.filter((p) => p.digests.some((d) => d.file === name)).map((p) => ({ ...p, digests: p.digests.filter((d) => d.file === name) }));
  return { digests, papers, issues: [], inferred: [] };
}

async function handle(request: Request): Promise<unknown> {
  if (request.op === 'sync') {
    current = request;
    snapshotPapers = undefined;
    const change = await folder.sync();
    return { change, files: folder.files(), digests: folder.digests(), issues: folder.issues(), versions: folder.versions() };
  }
  if (request.op === 'check') return checkSqliteIndex(request.path);
  if (request.op === 'buildFile') {
    const papers = folder.papers();
    writeSqliteIndex(request.target.temp, papers, request.dates, { ...(request.facts as object), papers: papers.length });
    const { path } = request.target;
    if (!path) return request.target.temp;
    await rename(request.target.temp, path);
    await syncFolder(dirname(path));
    return path;
  }
  return PaperIndex.build(folder.papers(), request.dates, ENGINES[options.engine]).save();
}

/** The rename lasts a power loss once the folder is flushed; best effort (some platforms cannot flush a folder). */
async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}

parentPort!.on('message', (request: Request) => {
  handle(request).then(
    (value) => parentPort!.postMessage({ id: request.id, ok: true, value } satisfies Reply, request.op === 'build' ? handedOver(value as SavedIndex) : []),
    (err: unknown) =>
      parentPort!.postMessage({
        id: request.id,
        ok: false,
        message: (err as Error).message,
        ...(err instanceof PaperbotError ? { paperbotCode: err.code } : { code: (err as NodeJS.ErrnoException).code }),
      } satisfies Reply),
  );
});

/**
 * The saved index's memory, moved to the answering thread rather than copied there (a copy is
 * tens of MB done on that thread). A small Buffer shares Node's pool and is copied instead.
 */
function handedOver(saved: SavedIndex): ArrayBuffer[] {
  return [...new Set([saved.catalog, saved.engine].flatMap((b) => (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? [b.buffer as ArrayBuffer] : [])))];
}
