import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { scheduleDailyFetch } from './dailyFetch.js';
import type { DigestIngester } from './ingester.js';
import { watchDigests } from './watcher.js';

/**
 * For the running bot: reload when DIGESTS_DIR changes, and fetch the Hugging Face daily
 * papers every day at HF_FETCH_AT (when set). Returns one stop for both, and `current`: settles
 * once the index is current with what start-up can know (the folder checked or rebuilt after a
 * snapshot start, then the start-up fetch ingested), for the scheduler to wait on.
 */
export function keepDigestsFresh(config: Config, ingester: DigestIngester, clock: Clock, logger: Logger): { stop(): void; current(): Promise<void> } {
  const watcher = watchDigests(config.DIGESTS_DIR, () => ingester.refresh(), { logger });
  // A refresh asked now runs after the start-up one (a rebuild from a snapshot start) and looks at the folder as it is.
  const folderChecked = ingester.refresh().then(
    () => undefined,
    () => undefined,
  );
  const daily = config.HF_FETCH_AT
    ? scheduleDailyFetch(config.HF_FETCH_AT, config.DEFAULT_TIMEZONE, { digestsDir: config.DIGESTS_DIR, clock, ingester, logger, fetchOptions: { baseUrl: config.HF_API_URL, logger } }, true)
    : undefined;
  const current = Promise.all([folderChecked, daily?.firstRun]).then(() => undefined);
  return {
    stop() {
      watcher.close();
      daily?.stop();
      ingester.stop();
    },
    current: () => current,
  };
}
