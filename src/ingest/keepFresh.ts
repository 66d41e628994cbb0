import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { scheduleDailyFetch } from './dailyFetch.js';
import type { DigestIngester } from './ingester.js';
import { watchDigests } from './watcher.js';

/**
 * For the running bot: reload when DIGESTS_DIR changes, and fetch the Hugging Face daily
 * papers every day at HF_FETCH_AT (when set). Returns one stop for both.
 */
export function keepDigestsFresh(config: Config, ingester: DigestIngester, clock: Clock, logger: Logger): { stop(): void } {
  const watcher = watchDigests(config.DIGESTS_DIR, () => ingester.refresh(), { logger });
  const daily = config.HF_FETCH_AT
    ? scheduleDailyFetch(config.HF_FETCH_AT, config.DEFAULT_TIMEZONE, { digestsDir: config.DIGESTS_DIR, clock, ingester, logger, fetchOptions: { baseUrl: config.HF_API_URL, logger } }, true)
    : undefined;
  return {
    stop() {
      watcher.close();
      daily?.stop();
      ingester.stop();
    },
  };
}
