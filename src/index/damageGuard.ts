import type Database from 'better-sqlite3';
import { IndexDamagedError } from '../model/errors.js';

/** SQLite's result codes for a file whose pages are not what it wrote. */
function isDamage(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

const READS = new Set<PropertyKey>(['all', 'get', 'iterate']);

/**
 * An index file's connection whose statements, once `arm` is called, turn a read of a damaged
 * page into an IndexDamagedError (a reply a user can act on) and tell `onDamage`, so the file is
 * rebuilt at once instead of after the background check reaches that page. Every statement
 * prepared on it is guarded, whichever part of the index prepares it. Before `arm` (while the
 * file is opened and checked) errors pass as they are.
 */
export function guardDatabase(db: Database.Database, onDamage: () => void): { db: Database.Database; arm: () => void } {
  let armed = false;
  const failed = (err: unknown): never => {
    if (!armed || !isDamage(err)) throw err;
    onDamage();
    throw new IndexDamagedError({ cause: err });
  };
  const statement = (target: Database.Statement): Database.Statement =>
    new Proxy(target, {
      get(stmt, key, receiver) {
        const value = Reflect.get(stmt, key, stmt) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          try {
            const result = (value as (...a: unknown[]) => unknown).apply(stmt, args);
            // pluck() and the like return the statement itself: the guarded one stands for it.
            if (result === stmt) return receiver;
            return key === 'iterate' ? guardIterator(result as IterableIterator<unknown>, failed) : result;
          } catch (err) {
            if (!READS.has(key)) throw err;
            return failed(err);
          }
        };
      },
    });
  const guarded = new Proxy(db, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== 'function') return value;
      if (key === 'prepare') return (source: string) => statement(target.prepare(source));
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
  return { db: guarded, arm: () => (armed = true) };
}

function guardIterator<V>(iterator: IterableIterator<V>, failed: (err: unknown) => never): IterableIterator<V> {
  return {
    next: () => {
      try {
        return iterator.next();
      } catch (err) {
        return failed(err);
      }
    },
    return: (value?: V) => iterator.return?.(value) ?? { done: true, value: value as V },
    [Symbol.iterator]() {
      return this;
    },
  };
}
