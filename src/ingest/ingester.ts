import { randomBytes } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { removeStaleTemps } from '../atomicFile.js';
import type { Clock } from '../clock.js';
import { PaperLibrary } from '../index/library.js';
import { type EngineName, ENGINES } from '../index/engines.js';
import { INDEX_FORMAT, PaperIndex, type SavedIndex } from '../index/paperIndex.js';
import type { Logger } from '../logger.js';
import { formatIssue, type ParseIssue } from '../model/paper.js';
import type { DigestInfo } from '../parser/result.js';
import { type FolderChange, hasChanges } from './digestFolder.js';
import { type FolderState, FolderThread } from './folderThread.js';
import { currentVersions, fingerprintOf, folderIdentity } from './inputs.js';
import { isSnapshotProblem, loadSnapshot, openIndexFile, saveSnapshot, type SnapshotFacts, type SnapshotInfo } from './snapshot.js';
import { isoDay } from '../time/days.js';

/** How long a swapped-out index stays open for answers begun on it. */
const RETIRE_MS = 5 * 60_000;

export interface IngesterOptions {
  digestsDir: string;
  digestYear?: number;
  /** The search engine to build and load (SEARCH_ENGINE); MiniSearch when absent. */
  engine?: EngineName;
  /** Where the index snapshot lives (undefined: memory only); `save: false` only reads it. */
  snapshot?: { path: string; save: boolean };
  /** Wait between two looks at a changed file (half-written files); 0 for write-then-rename only. */
  settleMs?: number;
  clock: Clock;
  logger: Logger;
}

export interface RefreshReport {
  change: FolderChange;
  /** True when a new index was swapped in. */
  swapped: boolean;
}

/** What the current index was built from, for `stats`, `check` and the start-up log. */
export interface IngestState {
  files: string[];
  digests: DigestInfo[];
  issues: ParseIssue[];
  lastIngestAt?: string;
  source: 'parse' | 'snapshot';
}

/**
 * Keeps the library in step with the digests folder: each refresh looks at the folder, and when
 * a file was added, changed or removed builds a complete new index in a worker thread and swaps
 * it in (searches see the old index or the new one, never half), then saves the snapshot.
 * Refreshes run one at a time; calls made meanwhile fold into one follow-up run.
 */
export class DigestIngester {
  readonly library: PaperLibrary;
  private readonly folder: FolderThread;
  /** The folder as the last look found it. */
  private folderState: FolderState = { files: [], digests: [], issues: [], versions: {} };
  private readonly salt: string;
  private readonly engine: EngineName;
  private queued: Promise<RefreshReport> | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | undefined;
  /** Set while the index comes from a snapshot and the folder has not been parsed yet. */
  private snapshot: SnapshotFacts | undefined;
  /** Whether the index file the bot started from has been read through once (SQLite: see checkSqliteIndex). */
  private fileChecked = false;
  /** Indexes swapped out, closed once answers begun on them are surely done. */
  private readonly retiring = new Set<{ index: PaperIndex; timer: NodeJS.Timeout }>();
  private lastIngestAt: string | undefined;
  private folderIssue: ParseIssue | undefined;
  /** The folder changed but no index has been made of it yet (the last build failed): the next refresh builds. */
  private unbuilt = false;
  /** Set when an answer met a damaged page of the index file: the next refresh rebuilds it. */
  private damageMet: string | undefined;
  private readonly onDamage = (): void => {
    if (this.damageMet) return;
    this.damageMet = 'an answer met a damaged page';
    void this.refresh();
  };
  /** folderIdentity of DIGESTS_DIR as the current index was made from it. */
  private builtFrom: string | undefined;
  /** Per file, the errors last logged: a file is named once per set of problems, not on every look or restart path. */
  private readonly reported = new Map<string, string>();

  constructor(
    private readonly options: IngesterOptions,
    library = new PaperLibrary(),
  ) {
    this.library = library;
    this.engine = options.engine ?? 'minisearch';
    this.folder = new FolderThread({ root: options.digestsDir, digestYear: options.digestYear, settleMs: options.settleMs ?? 0, engine: this.engine });
    this.salt = `${INDEX_FORMAT}|${options.digestYear ?? ''}|${this.engine}`;
  }

  /**
   * Starts from the snapshot when there is a usable one, and says whether it did. Whether it is
   * still current is for the next refresh to find out (now, or in the background while the
   * snapshot answers). A corrupt or outdated snapshot is logged and ignored.
   */
  async startFromSnapshot(): Promise<boolean> {
    const path = this.options.snapshot?.path;
    if (!path) return false;
    const started = performance.now();
    try {
      const { meta, index } = await loadSnapshot(path, ENGINES[this.engine], this.onDamage);
      if (meta.root !== resolve(this.options.digestsDir)) {
        index.close();
        this.options.logger.info({ snapshot: path, root: meta.root }, 'index snapshot is of another digests folder: rebuilding');
        return false;
      }
      // Made under another DIGEST_YEAR (its dates would be wrong): not one answer from it.
      if (fingerprintOf(meta.inputs, this.salt) !== meta.fingerprint) {
        index.close();
        this.options.logger.info({ snapshot: path }, 'index snapshot was made with other settings (DIGEST_YEAR): rebuilding before answering');
        return false;
      }
      this.snapshot = meta;
      this.builtFrom = meta.folder;
      this.lastIngestAt = meta.lastIngestAt;
      this.library.swap(index);
      this.reportProblems(meta.issues);
      this.options.logger.info({ papers: index.size, snapshot: path, ms: Math.round(performance.now() - started) }, 'index loaded from snapshot');
      return true;
    } catch (err) {
      if (!isSnapshotProblem(err)) throw err;
      const level = err.code === 'snapshot_missing' ? 'info' : 'warn';
      this.options.logger[level]({ snapshot: path, reason: err.message, dir: this.options.digestsDir }, 'index snapshot not used: rebuilding from the digests');
      return false;
    }
  }

  /** Looks at the folder and swaps in a new index if anything changed. Never rejects for bad files. */
  refresh(): Promise<RefreshReport> {
    if (this.queued !== undefined) return this.queued;
    const run = this.tail.then(() => {
      this.queued = undefined;
      return this.runOnce();
    });
    this.queued = run;
    this.tail = run.catch(() => undefined);
    return run;
  }

  state(): IngestState {
    const folderIssues = this.folderIssue ? [this.folderIssue] : [];
    if (this.snapshot) {
      const { files, digests, issues } = this.snapshot;
      return { files, digests, issues: [...folderIssues, ...issues], lastIngestAt: this.lastIngestAt, source: 'snapshot' };
    }
    const { files, digests, issues } = this.folderState;
    return { files, digests, issues: [...folderIssues, ...issues], lastIngestAt: this.lastIngestAt, source: 'parse' };
  }

  /**
   * Why writers (the daily fetch) should keep out of the digests folder: it is unreadable, or an
   * empty folder that is not the one the index was made from (an unmounted disk), while the
   * index holds papers. A few days written there would replace the whole index. A folder that
   * does not exist yet on a first run is no problem: the fetch makes it.
   */
  folderProblem(): ParseIssue | undefined {
    return this.folderIssue && this.library.ready && this.library.current().size > 0 ? this.folderIssue : undefined;
  }

  stop(): void {
    clearTimeout(this.retryTimer);
    this.folder.stop();
    for (const old of this.retiring) {
      clearTimeout(old.timer);
      old.index.close();
    }
    this.retiring.clear();
  }

  private async runOnce(): Promise<RefreshReport> {
    const { logger, clock } = this.options;
    const started = performance.now();
    const snapshot = this.snapshot;
    const damaged = this.damageMet ?? (snapshot && (await this.fileProblem()));
    if (damaged) {
      logger.warn({ snapshot: this.options.snapshot?.path, problem: damaged }, 'index file damaged: rebuilding while it answers');
      this.unbuilt = true;
    } else if (snapshot) {
      if (await this.isCurrent(snapshot)) {
        // The folder is back as the snapshot knew it (a disk mounted again): nothing to keep out of.
        this.folderIssue = undefined;
        return { change: { added: [], changed: [], removed: [], rejected: [], unsettled: [] }, swapped: false };
      }
      logger.info({ dir: this.options.digestsDir }, 'digest files changed since the index snapshot: rebuilding while the snapshot answers');
    }
    let change: FolderChange;
    try {
      const kept = snapshot && this.options.snapshot ? { path: this.options.snapshot.path, digests: snapshot.digests } : undefined;
      const { change: found, ...state } = await this.folder.sync(isoDay(clock.now()), kept);
      change = found;
      this.folderState = state;
      this.folderIssue = undefined;
    } catch (err) {
      // The folder itself is unreadable (removed, unmounted): keep answering from what we have.
      this.folderIssue = { file: this.options.digestsDir, line: 0, message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, severity: 'error' };
      logger.warn({ dir: this.options.digestsDir, problem: this.folderIssue.message }, 'digests folder problem');
      if (!this.library.ready) this.library.swap(PaperIndex.build([]));
      return { change: { added: [], changed: [], removed: [], rejected: [this.folderIssue], unsettled: [] }, swapped: false };
    }
    this.reportProblems(this.folderState.issues);
    if (change.unsettled.length > 0) this.retrySoon(change.unsettled);
    if (hasChanges(change)) this.unbuilt = true;
    if (!this.unbuilt && this.library.ready && !this.snapshot) return { change, swapped: false };
    // An unmounted disk's mount point is an empty folder, but another one than the index was made from: keep the papers.
    const identity = await stat(this.options.digestsDir).then(folderIdentity, () => undefined);
    if (this.folderState.files.length === 0 && this.builtFrom !== undefined && identity !== this.builtFrom && this.library.ready && this.library.current().size > 0) {
      this.folderIssue = {
        file: this.options.digestsDir,
        line: 0,
        message: `is empty and not the folder the index was made from (an unmounted disk?): answering from the ${this.library.current().size} papers already loaded`,
        severity: 'error',
      };
      logger.warn({ dir: this.options.digestsDir, problem: this.folderIssue.message }, 'digests folder problem');
      return { change, swapped: false };
    }

    const { digests } = this.folderState;
    const dates = digests.map((d) => d.date);
    let index: PaperIndex;
    let built: SavedIndex | undefined;
    if (this.engine === 'sqlite') {
      index = await this.buildFile(dates, identity);
    } else {
      built = await this.folder.build(dates);
      // The bot answers from the current index while this one loads.
      index = await PaperIndex.load(built, { pausing: true }, ENGINES[this.engine]);
      this.lastIngestAt = clock.now().toISOString();
    }
    this.unbuilt = false;
    this.damageMet = undefined;
    this.builtFrom = identity;
    this.snapshot = undefined;
    const previous = this.library.ready ? this.library.current() : undefined;
    this.library.swap(index);
    if (previous) this.retire(previous);
    logger.info(
      { papers: index.size, dir: this.options.digestsDir, digests: digests.length, added: change.added, changed: change.changed, removed: change.removed, ms: Math.round(performance.now() - started) },
      'index updated',
    );
    if (built) await this.save(built);
    return { change, swapped: true };
  }

  /**
   * The SQLite engine's index, built in the worker as a file beside the current one and renamed
   * over it once whole (or, when the snapshot is only read, a temp file deleted once open), then
   * opened here: its meta table carries what a JSONL snapshot's header does.
   */
  private async buildFile(dates: string[], identity: string | undefined): Promise<PaperIndex> {
    const now = this.options.clock.now();
    this.lastIngestAt = now.toISOString();
    const target = this.options.snapshot;
    const save = target?.save ? target.path : undefined;
    const temp = join(save ? dirname(save) : tmpdir(), `.${basename(save ?? 'index.sqlite')}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    const facts = { engine: this.engine, savedAt: now.toISOString(), ...this.infoOf(identity) };
    // A build that crashed left its temp file (as large as the index).
    if (save) await removeStaleTemps(dirname(save), basename(save), now.getTime());
    let path: string;
    try {
      path = await this.folder.buildFile(dates, { temp, path: save }, facts);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    try {
      return openIndexFile(path, this.onDamage).index;
    } finally {
      // Open files stay readable once unlinked: a one-shot command leaves nothing behind.
      if (path === temp) await rm(temp, { force: true });
    }
  }

  /** What a saved index says about the folder it was made from. */
  private infoOf(identity: string | undefined): SnapshotInfo {
    const { files, digests, issues } = this.folderState;
    return {
      fingerprint: fingerprintOf(this.folderState.versions, this.salt),
      inputs: this.folderState.versions,
      root: resolve(this.options.digestsDir),
      folder: identity ?? '',
      lastIngestAt: this.lastIngestAt ?? '',
      files,
      digests,
      issues: [...issues],
    };
  }

  /** What is wrong with the index file the bot started from, read through once in the worker; undefined for a JSONL snapshot (its checksums were checked at load). */
  private async fileProblem(): Promise<string | undefined> {
    const path = this.options.snapshot?.path;
    if (this.engine !== 'sqlite' || !path || this.fileChecked) return undefined;
    this.fileChecked = true;
    return this.folder.check(path);
  }

  /** Closes a swapped-out index once answers begun on it (a slow LLM answer included) are done. */
  private retire(index: PaperIndex): void {
    const old = {
      index,
      timer: setTimeout(() => {
        this.retiring.delete(old);
        index.close();
      }, RETIRE_MS),
    };
    old.timer.unref();
    this.retiring.add(old);
  }

  /**
   * Whether the folder still holds what the snapshot was built from; an unreadable folder is for
   * the sync to report. Files found touched but equal keep their new stat, so the next look
   * (once a minute) does not hash them again.
   */
  private async isCurrent(snapshot: SnapshotFacts): Promise<boolean> {
    const versions = await currentVersions(this.options.digestsDir, snapshot.inputs).catch(() => undefined);
    if (!versions || fingerprintOf(versions, this.salt) !== snapshot.fingerprint) return false;
    if (this.snapshot === snapshot) this.snapshot = { ...snapshot, inputs: versions };
    return true;
  }

  private async save(built: SavedIndex): Promise<void> {
    if (!this.options.snapshot?.save) return;
    const { path } = this.options.snapshot;
    try {
      const state = this.state();
      const bytes = await saveSnapshot(path, built, { ...this.infoOf(this.builtFrom), issues: state.issues }, this.options.clock.now());
      this.options.logger.debug({ snapshot: path, bytes }, 'index snapshot saved');
    } catch (err) {
      // The bot keeps answering from memory; the next start just rebuilds.
      this.options.logger.warn({ snapshot: path, err }, 'could not save the index snapshot');
    }
  }

  /** One warning per file with errors, when its errors are new; `paperbot check` lists every one. */
  private reportProblems(issues: readonly ParseIssue[]): void {
    const byFile = new Map<string, ParseIssue[]>();
    for (const issue of issues) if (issue.severity === 'error' && issue.file !== this.options.digestsDir) byFile.set(issue.file, [...(byFile.get(issue.file) ?? []), issue]);
    for (const file of this.reported.keys()) if (!byFile.has(file)) this.reported.delete(file);
    for (const [file, errors] of byFile) {
      const key = errors.map(formatIssue).join('\n');
      if (this.reported.get(file) === key) continue;
      this.reported.set(file, key);
      this.options.logger.warn({ file, line: errors[0]!.line, problem: errors[0]!.message, errors: errors.length }, 'digest file problem (`paperbot check` lists each)');
    }
  }

  /** A file still being written is looked at again once it has had time to settle. */
  private retrySoon(files: string[]): void {
    this.options.logger.debug({ files }, 'digest files still being written: looking again shortly');
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(
      () => {
        this.refresh().catch((err: unknown) => this.options.logger.error({ err }, 'refreshing the index failed'));
      },
      Math.max(50, this.options.settleMs ?? 0),
    );
    this.retryTimer.unref();
  }
}
