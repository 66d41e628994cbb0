import { Cron } from 'croner';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { formatIssue } from '../model/paper.js';
import { type DayResult, fetchDays, type HfFetchOptions } from './hfFetch.js';
import { listInputs } from './inputs.js';
import type { DigestIngester } from './ingester.js';
import { addDays, daysBetween, isoDay } from '../time/days.js';

export interface DailyFetchDeps {
  digestsDir: string;
  clock: Clock;
  fetchOptions: HfFetchOptions;
  ingester: DigestIngester;
  logger: Logger;
}

/** How far back a fetch catches up after the bot (or the API) was down. */
export const MAX_CATCH_UP_DAYS = 14;

/**
 * Yesterday and today (UTC, the API's days): today's list fills during the day and yesterday's
 * upvotes settle, so both are fetched; an unchanged response is not rewritten. Plus every day
 * of the MAX_CATCH_UP_DAYS before them with no `YYYY-MM-DD.json` in `digestsDir` (anywhere in
 * it), so days missed while the bot was stopped or the API failed are fetched on the next run;
 * weekends, which have no file, are asked again, a few small requests.
 */
export async function daysToFetch(digestsDir: string, now: Date): Promise<string[]> {
  const today = isoDay(now);
  const saved = new Set((await listInputs(digestsDir).catch(() => [])).map((f) => /(?:^|\/)(\d{4}-\d{2}-\d{2})\.json$/.exec(f.name)?.[1]));
  const yesterday = addDays(today, -1);
  return daysBetween(addDays(today, -MAX_CATCH_UP_DAYS), today).filter((day) => day >= yesterday || !saved.has(day));
}

/** One scheduled run: fetch, save, ingest. Logs and returns; never throws. */
export async function runDailyFetch(deps: DailyFetchDeps): Promise<DayResult[]> {
  // The folder as it is now: an unmounted disk is found before anything is written into its mount point.
  await deps.ingester.refresh().catch(() => undefined);
  const problem = deps.ingester.folderProblem();
  if (problem) {
    deps.logger.warn({ dir: deps.digestsDir, problem: formatIssue(problem) }, 'daily papers not fetched: the digests folder has a problem');
    return [];
  }
  const results = await fetchDays(await daysToFetch(deps.digestsDir, deps.clock.now()), deps.digestsDir, deps.fetchOptions);
  try {
    if (results.some((r) => r.status === 'saved')) await deps.ingester.refresh();
  } catch (err) {
    deps.logger.error({ err }, 'ingesting the fetched days failed; the bot keeps the index it has');
  }
  deps.logger.info({ days: results.map((r) => `${r.date}: ${r.status}${r.papers ? ` (${r.papers})` : ''}`) }, 'daily papers fetched');
  return results;
}

/**
 * HF_FETCH_AT (HH:MM in `timezone`) every day, and with `atStart` once right away, so a bot
 * that was stopped at that time catches up without waiting a day; `firstRun` settles when that
 * run is done (the scheduler waits for it before judging what is due). Retries end within
 * minutes, so a run still going when the next is due is stuck: the new one is skipped with a
 * warning rather than stacked.
 */
export function scheduleDailyFetch(at: string, timezone: string, deps: DailyFetchDeps, atStart = false): { stop(): void; firstRun: Promise<void> } {
  const [hh, mm] = at.split(':').map(Number);
  let runningSince: Date | undefined;
  const run = (): Promise<void> => {
    if (runningSince) {
      deps.logger.warn({ since: runningSince.toISOString() }, 'the previous daily-papers fetch is still running: this one is skipped');
      return Promise.resolve();
    }
    runningSince = deps.clock.now();
    return runDailyFetch(deps)
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => (runningSince = undefined));
  };
  // Our own guard, not croner's `protect`: that one runs the skipped time late and calls back every 30 s meanwhile.
  const job = new Cron(`0 ${mm} ${hh} * * *`, { timezone }, () => void run());
  const firstRun = atStart ? run() : Promise.resolve();
  deps.logger.info({ at, timezone, next: job.nextRun()?.toISOString() }, 'fetching the Hugging Face daily papers every day');
  return { stop: () => job.stop(), firstRun };
}
