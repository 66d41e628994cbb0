import { type FSWatcher, watch } from 'node:fs';
import type { Logger } from '../logger.js';

export interface WatchOptions {
  /** Quiet time after the last event before the folder is looked at: one reload per burst. */
  debounceMs?: number;
  logger: Logger;
}

/**
 * Calls `onChange` after file activity in `dir` (sub-folders included) has been quiet for
 * `debounceMs`. Events only say "look again": what changed is found by comparing the folder
 * with what was ingested (DigestFolder.sync), so missed or merged events lose nothing.
 */
export function watchDigests(dir: string, onChange: () => Promise<unknown>, options: WatchOptions): { close(): void } {
  const { debounceMs = 500, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  const fire = () => {
    timer = undefined;
    onChange().catch((err: unknown) => logger.error({ err }, 'reloading the digests failed; the bot keeps the index it has'));
  };
  try {
    watcher = watch(dir, { recursive: true, persistent: false }, () => {
      clearTimeout(timer);
      timer = setTimeout(fire, debounceMs);
    });
    watcher.on('error', (err) => logger.warn({ dir, err: err.message }, 'stopped watching the digests folder; restart the bot to resume'));
  } catch (err) {
    logger.warn({ dir, err: (err as Error).message }, 'cannot watch the digests folder: new files are picked up on restart or by `paperbot fetch`');
  }
  return {
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
