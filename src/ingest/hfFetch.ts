import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomicFile.js';
import type { Logger } from '../logger.js';
import { PaperbotError } from '../model/errors.js';
import { parseHfDailyJson } from '../parser/hfJson.js';

/** A day that could not be fetched or whose response was unusable; the message says which. */
export class HfFetchError extends PaperbotError {
  constructor(userMessage: string, options?: { cause?: unknown }) {
    super('hf_fetch', userMessage, options);
  }
}

export interface HfFetchOptions {
  /** HF_API_URL: the public API, or a fake on 127.0.0.1 in tests. */
  baseUrl: string;
  fetch?: typeof fetch;
  /** Per attempt, body included. */
  timeoutMs?: number;
  attempts?: number;
  /** First retry delay; doubled on each further attempt. */
  baseDelayMs?: number;
  /** Cap on any one wait, Retry-After included, so a run always ends. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  logger?: Logger;
}

export interface FetchedDay {
  date: string;
  /** The response exactly as received: what is saved, so every ingest can be replayed. */
  raw: string;
  papers: number;
}

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Below 500, the statuses that say "try again later": request timeout, too early, too many requests. */
const RETRIED_STATUS = new Set([408, 425, 429]);

/**
 * `GET {baseUrl}/api/daily_papers?date=YYYY-MM-DD`. Network errors, timeouts, 408, 425, 429
 * and 5xx are retried with bounded exponential backoff (honouring Retry-After); a response that
 * is not the daily-papers shape is rejected whole (the same validation as a saved file) and not
 * retried, nor is any other 4xx.
 */
export async function fetchDailyPapers(date: string, options: HfFetchOptions): Promise<FetchedDay> {
  const { timeoutMs = 20_000, attempts = 4, baseDelayMs = 2_000, maxDelayMs = 60_000, sleep = sleepReal, now = Date.now, logger } = options;
  const doFetch = options.fetch ?? fetch;
  const url = `${options.baseUrl.replace(/\/+$/, '')}/api/daily_papers?date=${encodeURIComponent(date)}`;
  let lastProblem = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let wait = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    try {
      const res = await doFetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
      const body = await res.text();
      if (res.ok) return accept(date, body);
      if (!RETRIED_STATUS.has(res.status) && res.status < 500) throw new HfFetchError(`Hugging Face API answered ${res.status} for ${date}: ${body.slice(0, 200)}`);
      lastProblem = `HTTP ${res.status}`;
      const retryAfter = retryAfterMs(res.headers.get('retry-after'), now());
      if (retryAfter !== undefined) wait = Math.min(maxDelayMs, retryAfter);
    } catch (err) {
      if (err instanceof HfFetchError) throw err;
      lastProblem = describeNetworkError(err);
    }
    if (attempt < attempts) {
      logger?.warn({ date, attempt, problem: lastProblem, retryInMs: wait }, 'daily-papers fetch failed: retrying');
      await sleep(wait);
    }
  }
  throw new HfFetchError(`could not fetch the daily papers of ${date} after ${attempts} attempts (${lastProblem})`);
}

function accept(date: string, body: string): FetchedDay {
  const parsed = parseHfDailyJson(`${date}.json`, body);
  const problem = parsed.issues.find((i) => i.severity === 'error');
  if (problem) throw new HfFetchError(`the response for ${date} is not a daily-papers list, not saved: ${problem.message}`);
  return { date, raw: body, papers: parsed.papers.length };
}

/** Retry-After is seconds or an HTTP date. */
function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** fetch says only "fetch failed"; the cause says what happened ("connect ECONNREFUSED 127.0.0.1:8080"). */
function describeNetworkError(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timed out';
  const cause = e.cause;
  if (!cause?.message) return e.message || String(err);
  return cause.code && !cause.message.includes(cause.code) ? `${cause.message} (${cause.code})` : cause.message;
}

export type SaveOutcome = 'saved' | 'unchanged';

/**
 * Saves a response as DIR/YYYY-MM-DD.json, atomically (see writeFileAtomic): neither the watcher
 * nor a power loss ever sees half a file (an empty day file would be rejected, and is not
 * fetched again once older than two weeks). An identical response is not rewritten (no
 * needless reload).
 */
export async function saveDay(dir: string, day: FetchedDay, nowMs = Date.now()): Promise<{ file: string; outcome: SaveOutcome }> {
  const file = join(dir, `${day.date}.json`);
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing === day.raw) return { file, outcome: 'unchanged' };
  await writeFileAtomic(file, day.raw, nowMs);
  return { file, outcome: 'saved' };
}

export interface DayResult {
  date: string;
  /** 'empty': no papers that day (weekend, holiday): normal, nothing saved. */
  status: 'saved' | 'unchanged' | 'empty' | 'failed';
  papers: number;
  file?: string;
  error?: string;
}

/** Fetches and saves each day in turn; one day's failure is reported, never thrown. */
export async function fetchDays(dates: readonly string[], dir: string, options: HfFetchOptions): Promise<DayResult[]> {
  const results: DayResult[] = [];
  for (const date of dates) {
    try {
      const day = await fetchDailyPapers(date, options);
      if (day.papers === 0) {
        results.push({ date, status: 'empty', papers: 0 });
        continue;
      }
      const { file, outcome } = await saveDay(dir, day, (options.now ?? Date.now)());
      results.push({ date, status: outcome, papers: day.papers, file });
    } catch (err) {
      const message = err instanceof PaperbotError ? err.userMessage : `could not save ${date}: ${(err as Error).message}`;
      options.logger?.warn({ date }, message);
      results.push({ date, status: 'failed', papers: 0, error: message });
    }
  }
  return results;
}
