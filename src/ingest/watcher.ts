import { type FSWatcher, statSync, watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Logger } from '../logger.js';
import { folderIdentity } from './inputs.js';

/** The part of an fs.watch handle the watcher uses. */
export interface WatchHandle {
  close(): void;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

export interface WatchOptions {
  /** Quiet time after the last event before the folder is looked at: one reload per burst. */
  debounceMs?: number;
  /** A look without any event: fs.watch misses changes on network and bind mounts. */
  pollMs?: number;
  /** Wait before watching again after the watch failed; doubled per failed try up to retryMaxMs. */
  retryMs?: number;
  retryMaxMs?: number;
  /** Sets up the watch (fs.watch, recursive); tests wrap it to make it fail or stay silent. */
  watch?: (dir: string, onEvent: () => void) => WatchHandle;
  logger: Logger;
}

export function watchRecursive(dir: string, onEvent: () => void): FSWatcher {
  return watch(dir, { recursive: true, persistent: false }, onEvent);
}

/**
 * Calls `onChange` after file activity in `dir` (sub-folders included) has been quiet for
 * `debounceMs`, and every `pollMs` regardless. Events only say "look again": what changed is
 * found by comparing the folder with what was ingested (DigestFolder.sync), so missed or merged
 * events lose nothing. Self-healing: a watch that fails, or a folder deleted and made again or
 * re-mounted (the watch would follow the old one), is watched again, with growing waits while
 * that fails.
 */
export function watchDigests(dir: string, onChange: () => Promise<unknown>, options: WatchOptions): { close(): void } {
  const { debounceMs = 500, pollMs = 60_000, retryMs = 1_000, retryMaxMs = 60_000, watch: startWatch = watchRecursive, logger } = options;
  let handle: WatchHandle | undefined;
  /** dev:ino of the folder `handle` watches. */
  let watchedId: string | undefined;
  /** Failed tries in the current episode without a watch; 0 while watching. */
  let failures = 0;
  let closed = false;
  let debounce: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;

  const refresh = () => {
    onChange().catch((err: unknown) => logger.error({ err }, 'reloading the digests failed; the bot keeps the index it has'));
  };

  const drop = () => {
    handle?.close();
    handle = undefined;
    watchedId = undefined;
  };

  /** Without a watch until a later try succeeds; logged once per episode, not per try. */
  const lost = (reason: string) => {
    drop();
    if (closed || retry) return;
    if (failures === 0) {
      logger.warn({ dir, reason, pollSeconds: pollMs / 1000 }, 'not watching the digests folder: trying again, and polling it meanwhile');
    } else {
      logger.debug({ dir, reason, tries: failures }, 'still cannot watch the digests folder');
    }
    retry = setTimeout(start, Math.min(retryMaxMs, retryMs * 2 ** failures)).unref();
    failures++;
  };

  function start(): void {
    retry = undefined;
    if (closed) return;
    try {
      // Identity first: if the folder is swapped right after, the next look sees a mismatch.
      const id = folderIdentity(statSync(dir));
      const h = startWatch(dir, onEvent);
      h.on('error', (err) => {
        if (h === handle) lost(reasonOf(err));
      });
      handle = h;
      watchedId = id;
    } catch (err) {
      lost(reasonOf(err as Error));
      return;
    }
    if (failures > 0) {
      logger.info({ dir, tries: failures }, 'watching the digests folder again');
      failures = 0;
      // Whatever changed while nothing watched.
      refresh();
    }
  }

  /** A folder that is gone has nothing to read (search keeps what it has); one replaced is watched anew. */
  async function look(): Promise<void> {
    const watching = handle;
    const current = await stat(dir).then(folderIdentity, () => undefined);
    if (closed) return;
    if (current === undefined) {
      if (watching && watching === handle) lost('the folder is gone');
      return;
    }
    if (watching && watching === handle && current !== watchedId) {
      logger.info({ dir }, 'the digests folder was replaced: watching the new one');
      drop();
      start();
    }
    refresh();
  }

  function onEvent(): void {
    clearTimeout(debounce);
    debounce = setTimeout(() => void look(), debounceMs).unref();
  }

  start();
  const poll = setInterval(() => void look(), pollMs).unref();
  return {
    close() {
      closed = true;
      clearTimeout(debounce);
      clearTimeout(retry);
      clearInterval(poll);
      drop();
    },
  };
}

function reasonOf(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return 'the folder is gone';
  // Linux gives each user a fixed number of watches; a large digests tree can use them up.
  if (err.code === 'ENOSPC') return `${err.message}; raise fs.inotify.max_user_watches`;
  return err.message;
}
