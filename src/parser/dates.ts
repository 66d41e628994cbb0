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

/** The latest year in which this month and day is not after `today`. */
export function latestYearNotAfter(md: MonthDay, today: string): number {
  const year = Number(today.slice(0, 4));
  const candidate = toIsoDate(year, md.month, md.day);
  return candidate !== undefined && candidate <= today ? year : year - 1;
}

/**
 * The year a Daily Papers page was rendered in, from the page itself: the page prints a year
 * only on dates outside that year ("Apr 29, 2020") and none on dates in it ("Aug 20"), so it
 * is the year after the latest printed one (rendered a year later, the page would print that
 * year too). Never a year that puts the page date after `today`. Undefined when the page
 * prints no year at all: then only the clock can tell.
 */
export function renderYearOfPage(printedYears: readonly number[], pageDate: MonthDay, today: string): number | undefined {
  if (printedYears.length === 0) return undefined;
  return Math.min(Math.max(...printedYears) + 1, latestYearNotAfter(pageDate, today));
}

/**
 * One year for every page of a set that carries no evidence of its own, so the calendar alone
 * never splits a set across years: the latest year the dated pages were rendered in when
 * there are any, else the clock's; in either case early enough that none of these pages is
 * after `today`.
 */
export function yearForUndatedPages(datedYears: readonly number[], undated: readonly MonthDay[], today: string): number | undefined {
  if (undated.length === 0) return undefined;
  const notInFuture = Math.min(...undated.map((md) => latestYearNotAfter(md, today)));
  return datedYears.length > 0 ? Math.min(Math.max(...datedYears), notInFuture) : notInFuture;
}

/** An entry's year when not printed: the digest's, rolled back one when that would postdate the digest. */
export function inferEntryYear(md: MonthDay, digestDate: string): number {
  const year = Number(digestDate.slice(0, 4));
  const candidate = toIsoDate(year, md.month, md.day);
  return candidate !== undefined && candidate <= digestDate ? year : year - 1;
}
