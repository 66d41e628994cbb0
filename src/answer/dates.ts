import { addDays } from '../time/days.js';

/** A time phrase found in a question, before it is matched to digest days. */
export type DateRef = { kind: 'day'; date: string; explicitYear: boolean } | { kind: 'today' } | { kind: 'yesterday' } | { kind: 'span'; days: 7 | 30; back: 0 | 1; label: string } | { kind: 'all' };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const YEAR = '(?:,?\\s+(\\d{4}))?';

const PATTERNS: { re: RegExp; parse(m: RegExpExecArray, today: string): DateRef | undefined }[] = [
  { re: /\b(\d{4})-(\d{2})-(\d{2})\b/, parse: (m) => day(Number(m[1]), Number(m[2]), Number(m[3]), true) },
  { re: new RegExp(`\\b${MONTH}\\s+${DAY}${YEAR}\\b`, 'i'), parse: (m, today) => monthDay(m[1]!, m[2]!, m[3], today) },
  { re: new RegExp(`\\b${DAY}\\s+(?:of\\s+)?${MONTH}${YEAR}\\b`, 'i'), parse: (m, today) => monthDay(m[2]!, m[1]!, m[3], today) },
  { re: /\btoday(?:'s)?\b|\bthis morning\b/i, parse: () => ({ kind: 'today' }) },
  { re: /\byesterday(?:'s)?\b/i, parse: () => ({ kind: 'yesterday' }) },
  { re: /\b(?:this|past|the last)\s+week\b|\bweekly\b|\b(?:last|past) 7 days\b/i, parse: () => ({ kind: 'span', days: 7, back: 0, label: 'this week' }) },
  { re: /\b(?:last|previous)\s+week\b/i, parse: () => ({ kind: 'span', days: 7, back: 1, label: 'last week' }) },
  { re: /\b(?:this|past|the last)\s+month\b|\b(?:last|past) 30 days\b/i, parse: () => ({ kind: 'span', days: 30, back: 0, label: 'this month' }) },
  { re: /\b(?:last|previous)\s+month\b/i, parse: () => ({ kind: 'span', days: 30, back: 1, label: 'last month' }) },
  { re: /\b(?:in total|overall|altogether|all time|in all)\b/i, parse: () => ({ kind: 'all' }) },
];

/** The first time phrase in `text`, and the text without it. Years are inferred from `today`. */
export function findDateRef(text: string, today: string): { ref: DateRef; rest: string } | undefined {
  let best: { ref: DateRef; index: number; length: number } | undefined;
  for (const { re, parse } of PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    const ref = parse(m, today);
    if (ref && (!best || m.index < best.index)) best = { ref, index: m.index, length: m[0].length };
  }
  if (!best) return undefined;
  const rest = (text.slice(0, best.index).replace(/\b(?:on|from|in|of|for|since|during)\s*$/i, '') + ' ' + text.slice(best.index + best.length)).replace(/\s+/g, ' ').trim();
  return { ref: best.ref, rest };
}

/** "Dec 10" is the latest Dec 10 not after today: digests are about the past. */
function monthDay(monthWord: string, dayText: string, yearText: string | undefined, today: string): DateRef | undefined {
  const month = MONTHS.indexOf(monthWord.slice(0, 3).toLowerCase()) + 1;
  const d = Number(dayText);
  if (yearText) return day(Number(yearText), month, d, true);
  const year = Number(today.slice(0, 4));
  const thisYear = day(year, month, d, false);
  if (thisYear && thisYear.kind === 'day' && thisYear.date <= today) return thisYear;
  return day(year - 1, month, d, false);
}

function day(year: number, month: number, d: number, explicitYear: boolean): DateRef | undefined {
  const date = new Date(Date.UTC(year, month - 1, d));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== d) return undefined;
  return { kind: 'day', date: date.toISOString().slice(0, 10), explicitYear };
}

/** A resolved range of digest days, inclusive, with how to say it. */
export interface DayWindow {
  from: string;
  to: string;
  label: string;
  /** Set when the window moved to the latest digest because today has none. */
  movedFrom?: string;
}

/**
 * Matches a phrase to digest days. "Today" and "this week" end at the latest digest on or
 * before today (as trending does), so a day without a digest still gets an answer, and the
 * answer says which day it used.
 */
export function resolveWindow(ref: DateRef, today: string, digestDates: readonly string[], humanDate: (iso: string) => string): DayWindow | undefined {
  const latest = [...digestDates].reverse().find((d) => d <= today);
  switch (ref.kind) {
    case 'day':
      return { from: ref.date, to: ref.date, label: humanDate(ref.date) };
    case 'yesterday': {
      const y = addDays(today, -1);
      return { from: y, to: y, label: `yesterday (${humanDate(y)})` };
    }
    case 'today':
      if (!latest) return undefined;
      if (latest === today) return { from: today, to: today, label: `today (${humanDate(today)})` };
      return { from: latest, to: latest, label: `${humanDate(latest)} (the latest digest)`, movedFrom: `There is no digest for today (${humanDate(today)}).` };
    case 'span': {
      if (!latest) return undefined;
      const to = addDays(latest, -ref.days * ref.back);
      const from = addDays(to, 1 - ref.days);
      return { from, to, label: `${ref.label} (${humanDate(from)} – ${humanDate(to)})` };
    }
    case 'all': {
      const first = digestDates[0];
      if (!first || !latest) return undefined;
      return { from: first, to: digestDates.at(-1)!, label: 'all digests' };
    }
  }
}
