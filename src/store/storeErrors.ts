import { PaperbotError } from '../model/errors.js';

/**
 * Why the database could not be opened. The message says what to do; the file is never
 * deleted or rewritten by the bot, so nothing is lost while an operator looks at it.
 */
export type StoreFailure = 'corrupt' | 'locked' | 'unavailable' | 'newer_schema';

export class StoreError extends PaperbotError {
  constructor(
    readonly failure: StoreFailure,
    userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(`store_${failure}`, userMessage, options);
  }
}

/** Turns a better-sqlite3 error met while opening `file` into a StoreError that says what to do. */
export function storeOpenError(file: string, err: unknown): StoreError {
  const code = (err as { code?: unknown }).code;
  const detail = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'))) {
    return new StoreError('corrupt', `The database ${file} is damaged (${detail}). The bot left it untouched: restore it from a backup, or move it aside to start with no subscriptions.`, {
      cause: err,
    });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || (typeof code === 'string' && code.startsWith('SQLITE_BUSY'))) {
    return new StoreError('locked', `The database ${file} is locked by another process (${detail}). Is another paperbot, or a backup, holding it? Stop it and start again.`, { cause: err });
  }
  return new StoreError('unavailable', `Cannot open the database ${file}: ${detail}. Check DATA_DIR and its permissions.`, { cause: err });
}
