import type { Config } from '../config.js';
import { daysToFetch } from '../ingest/dailyFetch.js';
import { type DayResult, fetchDays } from '../ingest/hfFetch.js';
import { openLibrary } from '../ingest/openLibrary.js';
import { UsageError } from '../model/errors.js';
import { plain } from '../model/reply.js';
import { plural } from '../text/plural.js';
import { daysBetween, isoDay } from '../time/days.js';
import { type CliIO, type CliResult, EXIT_FAILED, EXIT_OK } from './cliIO.js';

export interface FetchArgs {
  date?: string;
  since?: string;
  /** Words after `fetch`: none are taken, so `paperbot fetch 2025-12-10` does not fetch other days. */
  words: string[];
}

/** Bounds a --since run: a year of days is about 250 requests. */
const MAX_DAYS = 366;

/**
 * `paperbot fetch [--date D | --since D]`: saves the Hugging Face daily papers of those days
 * (default: as the daily run, yesterday and today and any missed day) into DIGESTS_DIR and
 * updates the index snapshot, so the next start, or a running bot's watcher, has them. Exit 1
 * when a day could not be fetched; 2 for bad usage or a folder it must not write into.
 */
export async function fetchCommand(args: FetchArgs, config: Config, io: CliIO): Promise<CliResult> {
  const today = isoDay(io.clock.now());
  const requested = requestedDays(args, today);
  const { ingester } = await openLibrary(config, io.clock, io.logger, { background: true });
  await ingester.refresh();
  const problem = ingester.folderProblem();
  if (problem) throw new UsageError(`not fetching into ${config.DIGESTS_DIR}: ${problem.message}`);
  const dates = requested ?? (await daysToFetch(config.DIGESTS_DIR, io.clock.now()));
  const results = await fetchDays(dates, config.DIGESTS_DIR, { baseUrl: config.HF_API_URL, logger: io.logger });
  let papers: number | undefined;
  if (results.some((r) => r.status === 'saved')) {
    await ingester.refresh();
    papers = ingester.library.current().size;
  }
  const lines = results.map(describe);
  if (papers !== undefined) lines.push(`index: ${plural(papers, 'paper')} from ${config.DIGESTS_DIR}`);
  return {
    code: results.some((r) => r.status === 'failed') ? EXIT_FAILED : EXIT_OK,
    reply: { visibility: 'ephemeral', blocks: lines.map((line) => ({ kind: 'text', text: plain(line) })) },
    json: { days: results, indexPapers: papers ?? null },
  };
}

/** The days --date or --since ask for; undefined when neither is given (the daily run's days). */
function requestedDays(args: FetchArgs, today: string): string[] | undefined {
  const [word] = args.words;
  if (word !== undefined) {
    const hint = /^\d{4}-\d{2}-\d{2}$/.test(word) ? `; did you mean --date ${word}?` : '';
    throw new UsageError(`fetch takes --date or --since, not "${word}"${hint}`);
  }
  if (args.date && args.since) throw new UsageError('give --date or --since, not both');
  const given = args.date ?? args.since;
  if (given === undefined) return undefined;
  if (!isCalendarDate(given)) throw new UsageError(`dates are YYYY-MM-DD, e.g. --date ${today} (got "${given}")`);
  if (given > today) throw new UsageError(`${given} is in the future; today is ${today}`);
  if (args.date) return [given];
  const days = daysBetween(given, today);
  if (days.length > MAX_DAYS) throw new UsageError(`--since ${given} covers ${days.length} days; fetch at most ${MAX_DAYS} at a time`);
  return days;
}

function isCalendarDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}

function describe(r: DayResult): string {
  switch (r.status) {
    case 'saved':
      return `${r.date}  saved ${plural(r.papers, 'paper')} to ${r.file}`;
    case 'unchanged':
      return `${r.date}  unchanged (${plural(r.papers, 'paper')})`;
    case 'empty':
      return `${r.date}  no papers (weekend, holiday, or not published yet)`;
    case 'failed':
      return `${r.date}  failed: ${r.error}`;
  }
}
