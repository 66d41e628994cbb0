import { IndexDamagedError } from '../model/errors.js';

/** SQLite's result codes for a file whose pages are not what it wrote. */
function isDamage(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

const READS = new Set<PropertyKey>(['all', 'get', 'iterate']);

/**
 * Prepared statements of an index file whose reads turn a damaged page into an
 * IndexDamagedError (a reply a user can act on) and tell `onDamage`, so the file is rebuilt
 * at once instead of after the background check reaches that page. Nested records of
 * statements are guarded too.
 */
export function guardStatements<T extends object>(statements: T, onDamage: () => void): T {
  const failed = (err: unknown): never => {
    if (!isDamage(err)) throw err;
    onDamage();
    throw new IndexDamagedError({ cause: err });
  };
  const guard = (statement: object): object =>
    new Proxy(statement, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (!READS.has(key) || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          try {
            const result = (value as (...a: unknown[]) => unknown).apply(target, args);
            return key === 'iterate' ? guardIterator(result as IterableIterator<unknown>, failed) : result;
          } catch (err) {
            return failed(err);
          }
        };
      },
    });
  const guarded = Object.fromEntries(
    Object.entries(statements).map(([name, value]) => [name, typeof (value as { all?: unknown }).all === 'function' ? guard(value as object) : guardStatements(value as object, onDamage)]),
  );
  return guarded as T;
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
