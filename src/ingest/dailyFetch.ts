import { Cron } from 'croner';
import type { Clock } from '../clock.js';
import { isoDay } from '../clock.js';
import type { Logger } from '../logger.js';
import { type DayResult, fetchDays, type HfFetchOptions } from './hfFetch.js';
import type { DigestIngester } from './ingester.js';

export interface DailyFetchDeps {
  digestsDir: string;
  clock: Clock;
  fetchOptions: HfFetchOptions;
  ingester: DigestIngester;
  logger: Logger;
}

/**
 * Yesterday and today (UTC, the API's days): today's list fills during the day and yesterday's
 * upvotes settle, so both are fetched; an unchanged response is not rewritten.
 */
export function recentDays(now: Date): string[] {
  const yesterday = new Date(now.getTime() - 86_400_000);
  return [isoDay(yesterday), isoDay(now)];
}

/** One scheduled run: fetch, save, ingest. Logs and returns; never throws. */
export async function runDailyFetch(deps: DailyFetchDeps): Promise<DayResult[]> {
  const results = await fetchDays(recentDays(deps.clock.now()), deps.digestsDir, deps.fetchOptions);
  try {
    if (results.some((r) => r.status === 'saved')) await deps.ingester.refresh();
  } catch (err) {
    deps.logger.error({ err }, 'ingesting the fetched days failed; the bot keeps the index it has');
  }
  deps.logger.info({ days: results.map((r) => `${r.date}: ${r.status}${r.papers ? ` (${r.papers})` : ''}`) }, 'daily papers fetched');
  return results;
}

/**
 * HF_FETCH_AT (HH:MM in `timezone`) every day. Retries end within minutes, so a run still going
 * when the next is due is stuck: the new one is skipped with a warning rather than stacked.
 */
export function scheduleDailyFetch(at: string, timezone: string, deps: DailyFetchDeps): { stop(): void } {
  const [hh, mm] = at.split(':').map(Number);
  let runningSince: Date | undefined;
  // Our own guard, not croner's `protect`: that one runs the skipped time late and calls back every 30 s meanwhile.
  const job = new Cron(`0 ${mm} ${hh} * * *`, { timezone }, () => {
    if (runningSince) {
      deps.logger.warn({ since: runningSince.toISOString() }, 'the previous daily-papers fetch is still running: this one is skipped');
      return;
    }
    runningSince = deps.clock.now();
    void runDailyFetch(deps).finally(() => (runningSince = undefined));
  });
  deps.logger.info({ next: job.nextRun()?.toISOString() }, `fetching the Hugging Face daily papers every day at ${at} ${timezone}`);
  return { stop: () => job.stop() };
}
