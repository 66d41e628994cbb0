import { Cron } from 'croner';

/** When a subscription posts: a local time of day in an IANA zone. */
export interface DailyTime {
  postTime: string;
  timezone: string;
}

const crons = new Map<string, Cron>();

/** croner computes the instants, so DST gaps and repeats follow the zone's real rules. */
function cronFor(pattern: string, timezone: string): Cron {
  const key = `${pattern} ${timezone}`;
  let cron = crons.get(key);
  if (!cron) {
    // No callback: croner only computes dates and never starts a timer.
    cron = new Cron(pattern, { timezone, paused: true });
    crons.set(key, cron);
  }
  return cron;
}

/** The croner pattern of a local time of day (HH:MM), on the days `days` names (croner's day-of-week field). */
export function cronPattern(postTime: string, days = '*'): string {
  const [h, m] = postTime.split(':').map(Number);
  return `0 ${m} ${h} * * ${days}`;
}

/** The latest instant of a croner pattern in a zone at or before `now`. */
export function latestRun(pattern: string, timezone: string, now: Date): Date | undefined {
  return cronFor(pattern, timezone).previousRuns(1, new Date(now.getTime() + 1))[0];
}

/** The next instant of a croner pattern in a zone after `now`. */
export function nextRun(pattern: string, timezone: string, now: Date): Date | undefined {
  return cronFor(pattern, timezone).nextRun(now) ?? undefined;
}

/** The latest scheduled instant at or before `now`. */
export function latestSlot(time: DailyTime, now: Date): Date | undefined {
  return latestRun(cronPattern(time.postTime), time.timezone, now);
}

/** The next scheduled instant after `now`. */
export function nextSlot(time: DailyTime, now: Date): Date | undefined {
  return nextRun(cronPattern(time.postTime), time.timezone, now);
}

/** The calendar day of an instant in a zone, YYYY-MM-DD: the day a post belongs to. */
export function localDay(instant: Date, timezone: string): string {
  return formatter(dayFormats, timezone, () => new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })).format(instant);
}

// Building an Intl formatter costs far more than using one; the scheduler asks for every channel on every tick.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const userFormats = new Map<string, Intl.DateTimeFormat>();
function formatter(cache: Map<string, Intl.DateTimeFormat>, timezone: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = cache.get(timezone);
  if (!f) cache.set(timezone, (f = make()));
  return f;
}

/** "Tue, Nov 24, 09:00 CET": how users see times, always in the channel's zone. */
export function formatLocal(instant: Date, timezone: string): string {
  const make = () =>
    new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
  return formatter(userFormats, timezone, make).format(instant);
}

/** The canonical IANA name (`europe/berlin` → `Europe/Berlin`), or undefined for an unknown zone. */
export function canonicalTimeZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
