import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AlertRepo } from './alertRepo.js';
import { DeliveredRepo } from './deliveredRepo.js';
import { UpvoteHistory } from './upvoteHistory.js';
import { WeeklyRepo } from './weeklyRepo.js';
import { migrate } from './migrations.js';
import { PauseRepo } from './pauseRepo.js';
import { PostLedger } from './postLedger.js';
import { PostedPapers } from './postedPapers.js';
import { SavedRepo } from './savedRepo.js';
import { SignalRepo } from './signalRepo.js';
import { StoreError, storeOpenError } from './storeErrors.js';
import { SubscriptionRepo } from './subscriptionRepo.js';
import { WatchRepo } from './watchRepo.js';

/** The database file inside DATA_DIR. */
export const DATABASE_FILE = 'paperbot.sqlite';

export interface StoreOptions {
  /** How long a write waits for another process's lock before failing (ms). */
  busyTimeoutMs?: number;
}

/**
 * Subscriptions, watches and the ledgers, in one SQLite file. Every decision the scheduler
 * makes is read from and written to this file; nothing in memory is the source of truth.
 */
export class Store {
  readonly subscriptions: SubscriptionRepo;
  readonly watches: WatchRepo;
  readonly pauses: PauseRepo;
  readonly posts: PostLedger;
  readonly alerts: AlertRepo;
  readonly saved: SavedRepo;
  readonly signals: SignalRepo;
  readonly postedPapers: PostedPapers;
  readonly delivered: DeliveredRepo;
  readonly weekly: WeeklyRepo;
  readonly upvotes: UpvoteHistory;

  private constructor(
    readonly file: string,
    private readonly db: Database.Database,
  ) {
    this.subscriptions = new SubscriptionRepo(db);
    this.watches = new WatchRepo(db);
    this.pauses = new PauseRepo(db);
    this.posts = new PostLedger(db);
    this.alerts = new AlertRepo(db);
    this.saved = new SavedRepo(db);
    this.signals = new SignalRepo(db);
    this.postedPapers = new PostedPapers(db);
    this.delivered = new DeliveredRepo(db);
    this.weekly = new WeeklyRepo(db);
    this.upvotes = new UpvoteHistory(db);
  }

  /** Runs `work` as one write transaction: a post confirmed and the papers it carried are recorded together or not at all. */
  atomically<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  /**
   * Opens (or creates) the database file, checks it and brings its schema up to date.
   * A damaged, locked or unreadable file is a StoreError saying what to do; the file itself
   * is never deleted or recreated.
   */
  static open(file: string, options: StoreOptions = {}): Store {
    let db: Database.Database | undefined;
    try {
      db = new Database(file, { timeout: options.busyTimeoutMs ?? 5000 });
      db.pragma('journal_mode = WAL');
      // FULL: a commit is on disk before the call returns. With NORMAL a power cut may drop the last
      // commits of the WAL, and a dropped claim or "sent" would let a post already in the channel go
      // out again. The ledger writes a few rows per post, so the extra fsync costs nothing noticeable.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw Object.assign(new Error(String(check)), { code: 'SQLITE_CORRUPT' });
      migrate(db, file);
      // Take the write lock once now: a file another process keeps locked fails here, at start-up.
      db.transaction(() => undefined).immediate();
      return new Store(file, db);
    } catch (err) {
      db?.close();
      throw err instanceof StoreError ? err : storeOpenError(file, err);
    }
  }

  /** `DATA_DIR/paperbot.sqlite`, creating DATA_DIR on the first run. */
  static openInDataDir(dataDir: string, options: StoreOptions = {}): Store {
    try {
      mkdirSync(dataDir, { recursive: true });
    } catch (err) {
      throw new StoreError('unavailable', `Cannot create DATA_DIR ${dataDir}: ${err instanceof Error ? err.message : String(err)}.`, { cause: err });
    }
    return Store.open(join(dataDir, DATABASE_FILE), options);
  }

  /** A consistent copy of the live database (safe while the bot runs). */
  async backup(destination: string): Promise<void> {
    await this.db.backup(destination);
  }

  close(): void {
    this.db.close();
  }
}
