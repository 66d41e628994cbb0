/** Month-day dates as the digests print them ("Aug 20", "Mar 11, 2024"), and year inference. */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export interface MonthDay {
  month: number; // 1-12
  day: number;
  year?: number;
}

/** `Aug 20`, `Aug 20, 2024`, `August 20 2024`; undefined when the text is not such a date. */
export function parseMonthDay(text: string): MonthDay | undefined {
  const m = /^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:,?\s+(\d{4}))?$/.exec(text.trim());
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[1]!.slice(0, 3).toLowerCase()) + 1;
  if (month === 0) return undefined;
  if (m[1]!.length > 3 && !fullMonthName(month).startsWith(m[1]!.toLowerCase())) return undefined;
  const day = Number(m[2]);
  const year = m[3] === undefined ? undefined : Number(m[3]);
  return year === undefined ? { month, day } : { month, day, year };
}

function fullMonthName(month: number): string {
  return new Date(Date.UTC(2000, month - 1, 1)).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' }).toLowerCase();
}

/** YYYY-MM-DD, or undefined when the day does not exist (Feb 30). */
export function toIsoDate(year: number, month: number, day: number): string | undefined {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return d.toISOString().slice(0, 10);
}

/**
 * The year of a digest page that prints no year: the most recent year that does not put the
 * page after `today` (a page cannot come from the future).
 */
export function inferDigestYear(md: MonthDay, today: string): number {
  const year = Number(today.slice(0, 4));
  const candidate = toIsoDate(year, md.month, md.day);
  return candidate !== undefined && candidate <= today ? year : year - 1;
}

/** An entry's year when not printed: the digest's, rolled back one when that would postdate the digest. */
export function inferEntryYear(md: MonthDay, digestDate: string): number {
  const year = Number(digestDate.slice(0, 4));
  const candidate = toIsoDate(year, md.month, md.day);
  return candidate !== undefined && candidate <= digestDate ? year : year - 1;
}
