import { cronPattern, latestRun, nextRun } from './schedule.js';

/** When a weekly digest posts: an ISO weekday (1 = Monday … 7 = Sunday) and a local time in an IANA zone. */
export interface WeeklyTime {
  weekday: number;
  postTime: string;
  timezone: string;
}

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** `mon`, `Monday`, `MON` → 1; undefined for anything else. */
export function parseWeekday(word: string): number | undefined {
  const w = word.toLowerCase();
  if (w.length < 3) return undefined;
  const at = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].findIndex((d) => d.startsWith(w));
  return at < 0 ? undefined : at + 1;
}

export function weekdayName(weekday: number): string {
  return WEEKDAYS[weekday - 1] ?? '?';
}

/** The weekly pattern: croner counts weekdays from Sunday = 0. */
function weeklyPattern({ weekday, postTime }: WeeklyTime): string {
  return cronPattern(postTime, String(weekday % 7));
}

/** The latest weekly instant at or before `now`. */
export function latestWeeklySlot(time: WeeklyTime, now: Date): Date | undefined {
  return latestRun(weeklyPattern(time), time.timezone, now);
}

/** The next weekly instant after `now`. */
export function nextWeeklySlot(time: WeeklyTime, now: Date): Date | undefined {
  return nextRun(weeklyPattern(time), time.timezone, now);
}

/** The ISO week of a calendar day (YYYY-MM-DD), e.g. `2026-W49`: the weekly digest's ledger day. */
export function isoWeek(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = d.getUTCDay() || 7;
  // The week belongs to the year of its Thursday.
  d.setUTCDate(d.getUTCDate() + 4 - weekday);
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}
