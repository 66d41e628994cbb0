import { Worker } from 'node:worker_threads';
import type { EngineName } from '../index/engines.js';
import type { SavedIndex } from '../index/paperIndex.js';
import { PaperbotError, type ErrorCode } from '../model/errors.js';
import type { ParseIssue } from '../model/paper.js';
import type { DigestInfo } from '../parser/result.js';
import type { FolderChange } from './digestFolder.js';
import type { InputVersion } from './inputs.js';

export interface FolderThreadOptions {
  root: string;
  digestYear?: number;
  /** Wait between two looks at a changed file (see DigestFolder's `settle`); 0 for none. */
  settleMs: number;
  engine: EngineName;
}

/** The folder as the last sync left it. */
export interface FolderState {
  files: string[];
  digests: DigestInfo[];
  issues: ParseIssue[];
  versions: Record<string, InputVersion>;
}

/** A snapshot the bot started from: a file bad since keeps the papers it gave it (see DigestFolder's `kept`). */
export interface KeptFrom {
  path: string;
  digests: DigestInfo[];
}

/** Where an index file is built: a temp name, renamed to `path` once whole (the temp file is kept and returned when there is no `path`). */
export interface FileTarget {
  temp: string;
  path?: string;
}

type Call =
  | { op: 'sync'; today: string; kept?: KeptFrom }
  | { op: 'build'; dates: string[] }
  | { op: 'buildFile'; dates: string[]; target: FileTarget; facts: unknown }
  | { op: 'check'; path: string };
export type Request = Call & { id: number };
/** A failure crosses the thread as data: a PaperbotError by its code, a system error by its errno code. */
export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string; code?: string; paperbotCode?: ErrorCode };

/**
 * The digests folder, parsed and indexed in a worker thread (folderThread.worker.ts): the
 * thread answering users only receives the finished index, saved, to load and swap in. The
 * worker keeps the parsed files between looks, so a new day parses only that day. Started on
 * first use; a worker that died is started again (and reads the folder afresh).
 */
export class FolderThread {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();

  constructor(private readonly options: FolderThreadOptions) {}

  /** Looks at the folder (see DigestFolder.sync); rejects with the error's code when the folder cannot be read. */
  sync(today: string, kept?: KeptFrom): Promise<{ change: FolderChange } & FolderState> {
    return this.call({ op: 'sync', today, kept }) as Promise<{ change: FolderChange } & FolderState>;
  }

  /** An index of every paper the folder holds, as saved. */
  build(dates: string[]): Promise<SavedIndex> {
    return this.call({ op: 'build', dates }) as Promise<SavedIndex>;
  }

  /** An SQLite index file of every paper the folder holds (see writeSqliteIndex), with `facts` in its meta table; resolves to its path. */
  buildFile(dates: string[], target: FileTarget, facts: unknown): Promise<string> {
    return this.call({ op: 'buildFile', dates, target, facts }) as Promise<string>;
  }

  /** What is wrong with an index file, read page by page (see checkSqliteIndex); undefined when nothing is. */
  check(path: string): Promise<string | undefined> {
    return this.call({ op: 'check', path }) as Promise<string | undefined>;
  }

  stop(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private call(request: Call): Promise<unknown> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    // Held only while a call waits on it: an idle worker never keeps the process from exiting.
    if (this.pending.size === 0) worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  }

  private start(): Worker {
    const worker = new Worker(bootstrap(new URL('./folderThread.worker.ts', import.meta.url).href), { eval: true, workerData: this.options });
    worker.on('message', (reply: Reply) => {
      const call = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) call?.resolve(reply.value);
      else if (reply.paperbotCode) call?.reject(new PaperbotError(reply.paperbotCode, reply.message));
      else call?.reject(Object.assign(new Error(reply.message), reply.code ? { code: reply.code } : {}));
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const call of this.pending.values()) call.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new PaperbotError('index_worker_stopped', `the index worker stopped (exit code ${code})`)));
    return worker;
  }
}

/**
 * The worker's first code: the project runs its TypeScript through tsx (npm start, the CLI,
 * vitest), and a worker thread does not inherit the loader, so it registers tsx before
 * importing its entry module. tsx is resolved here, as this module sees it: evaluated code
 * resolves from the working directory, which need not hold the project's node_modules.
 */
function bootstrap(entry: string): string {
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then((tsx) => tsx.register()).then(() => import(${JSON.stringify(entry)}))`;
}
