import type { Organization, Paper, ParseIssue } from '../model/paper.js';
import { inferEntryYear, latestYearNotAfter, parseMonthDay, renderYearOfPage, toIsoDate, type MonthDay } from './dates.js';
import { titleId } from './ids.js';
import type { FileParseResult, InferredDate, PageYear, ParseOptions } from './result.js';
import { collapseWhitespace, looksBinary, toLines } from './text.js';

/**
 * Parser for scraped "Daily Papers" pages:
 *
 *   Daily Papers / byAK and the research community / Dec 10      (header, page date)
 *   <title>                                                      (may wrap over lines)
 *   <abstract paragraph>
 *   • 5 authors   |   <org handle> <Org Name>                     (optional metadata block)
 *   ·
 *   Aug 20 [, 2024] [upvotes]
 */

const AUTHORS = /^•\s*(\d+)\s+authors?$/i;
const DOT = /^[·•]$/;
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*';
const META_DATE = new RegExp(`^(${MONTH}\\s+\\d{1,2}(?:,\\s*\\d{4})?)(?:\\s+(\\d+))?$`);
/** Longest line that can be a title; anything longer is an abstract. */
const MAX_TITLE = 300;
const HEADER_SCAN_LINES = 40;

type Unit = { kind: 'para'; text: string; line: number; lines: string[] } | { kind: 'meta'; line: number; authorCount?: number; org?: Organization; date?: string; dateLine?: number; upvotes: number };

interface Pending {
  title?: { text: string; line: number };
  abstract?: string;
}

export function parseDigestText(file: string, raw: string, options: ParseOptions): FileParseResult {
  const result: FileParseResult = { digests: [], papers: [], issues: [], inferred: [] };
  const issue = (line: number, message: string, severity: ParseIssue['severity'] = 'error') => result.issues.push({ file, line, message, severity });

  if (raw.trim() === '') {
    issue(0, 'file is empty: no digest to read');
    return result;
  }
  if (looksBinary(raw)) {
    issue(0, 'file is not text (binary content): skipped');
    return result;
  }
  const lines = toLines(raw);
  const header = findHeader(lines);
  if (!header) {
    issue(1, 'no page date found: expected a header "Daily Papers" followed by a date such as "Dec 10" in the first lines');
    return result;
  }
  const units = toUnits(lines, header.line, (line, message) => issue(line, message, 'warning'));
  const printed = printedYears(header.md, units);
  const year = pageYear(header.md, printed, options);
  const digestDate = toIsoDate(header.md.year ?? year.year, header.md.month, header.md.day);
  if (!digestDate) {
    issue(header.line, `page date "${header.text}" is not a real day`);
    return result;
  }
  if (header.md.year === undefined) {
    issue(header.line, `page date "${header.text}" has no year: read as ${digestDate} (${describeYear(year, printed)})`, 'warning');
    if (year.source !== 'setting') result.inferred.push({ file, line: header.line, text: header.text, date: digestDate });
    result.pageYear = year;
  }
  let rank = 0;
  let pending: Pending = {};

  const emit = (meta?: Extract<Unit, { kind: 'meta' }>) => {
    const { title, abstract } = pending;
    pending = {};
    if (!title) return;
    if (abstract === undefined) {
      issue(title.line, `entry "${short(title.text)}" has no abstract: skipped`);
      return;
    }
    rank += 1;
    result.papers.push(buildPaper(file, digestDate, rank, title.text, abstract, meta, result.inferred));
  };

  for (let i = 0; i < units.length; i++) {
    const unit = units[i]!;
    if (unit.kind === 'meta') {
      if (!pending.title) {
        issue(unit.line, 'metadata block without a title and abstract before it: skipped');
        continue;
      }
      if (pending.abstract === undefined) {
        // Title and metadata but no abstract: the paper is real; keep it and say what is missing.
        issue(pending.title.line, `entry "${short(pending.title.text)}" has no abstract`, 'warning');
        pending.abstract = '';
      }
      emit(unit);
      continue;
    }
    if (pending.title && pending.abstract !== undefined) emit(); // previous entry had no metadata
    if (!pending.title) {
      if (unit.text.length > MAX_TITLE) {
        const split = splitGluedTitle(unit);
        if (split) {
          pending = split;
          continue;
        }
        issue(unit.line, `paragraph of ${unit.text.length} characters where a title was expected (abstract without a title?): skipped`);
        continue;
      }
      pending.title = { text: unit.text, line: unit.line };
      continue;
    }
    // A title is pending: this paragraph is its abstract, unless it is itself a title whose
    // abstract follows (then the pending title lost its abstract).
    const next = units[i + 1];
    if (
      unit.text.length <= MAX_TITLE &&
      next?.kind === 'para' &&
      next.text.length > MAX_TITLE &&
      pending.title.text.length <= MAX_TITLE &&
      unit.text.length < 0.5 * next.text.length &&
      looksLikeTitle(unit.text)
    ) {
      issue(pending.title.line, `entry "${short(pending.title.text)}" has no abstract: skipped`);
      pending = { title: { text: unit.text, line: unit.line } };
      continue;
    }
    pending.abstract = unit.text;
  }
  if (pending.title && pending.abstract === undefined) {
    issue(pending.title.line, `entry "${short(pending.title.text)}" has no abstract (file truncated?): skipped`);
  } else {
    emit();
  }
  result.digests.push({ file, date: digestDate, yearInferred: header.md.year === undefined && year.source !== 'setting', entries: rank });
  if (rank === 0) issue(header.line, 'no paper entries found after the header');
  return result;
}

/** The years the page prints on its dates (the page date's own included). */
function printedYears(header: MonthDay, units: Unit[]): number[] {
  const years = header.year === undefined ? [] : [header.year];
  for (const unit of units) {
    const year = unit.kind === 'meta' && unit.date ? parseMonthDay(unit.date)?.year : undefined;
    if (year !== undefined) years.push(year);
  }
  return years;
}

/** DIGEST_YEAR when set, else the page's evidence, else the clock (see dates.ts). */
function pageYear(header: MonthDay, printed: number[], options: ParseOptions): PageYear {
  const at = { month: header.month, day: header.day };
  if (options.digestYear !== undefined) return { year: options.digestYear, source: 'setting', ...at };
  const rendered = renderYearOfPage(printed, header, options.today);
  if (rendered !== undefined) return { year: rendered, source: 'page', ...at };
  return { year: options.undatedYear ?? latestYearNotAfter(header, options.today), source: 'clock', ...at };
}

function describeYear(year: PageYear, printed: number[]): string {
  switch (year.source) {
    case 'setting':
      return 'taken from DIGEST_YEAR';
    case 'page':
      return `the year after the latest year the page prints, ${Math.max(...printed)}`;
    case 'clock':
      return "the page prints no year: taken from today's date, the same for every such page; set DIGEST_YEAR if it is wrong";
  }
}

function findHeader(lines: string[]): { line: number; text: string; md: MonthDay } | undefined {
  let sawTitle = false;
  for (let i = 0; i < Math.min(lines.length, HEADER_SCAN_LINES); i++) {
    const text = lines[i]!.trim();
    if (/^daily papers$/i.test(text)) sawTitle = true;
    if (!sawTitle) continue;
    const md = parseMonthDay(text);
    if (md) return { line: i + 1, text, md };
  }
  return undefined;
}

/** Groups lines into paragraphs and metadata blocks, whatever the blank lines between them. */
function toUnits(lines: string[], headerLine: number, warn: (line: number, message: string) => void): Unit[] {
  const units: Unit[] = [];
  let para: { lines: string[]; line: number } | undefined;
  const flush = () => {
    if (para) units.push({ kind: 'para', text: collapseWhitespace(para.lines.join(' ')), line: para.line, lines: para.lines });
    para = undefined;
  };
  for (let i = headerLine; i < lines.length; i++) {
    const text = lines[i]!.trim();
    if (text === '') {
      flush();
      continue;
    }
    const nextText = nextNonBlank(lines, i + 1)?.text;
    const isAuthors = AUTHORS.test(text);
    const isOrg = !isAuthors && nextText !== undefined && DOT.test(nextText) && !DOT.test(text) && text.length < 120;
    if (isAuthors || isOrg || DOT.test(text) || (META_DATE.test(text) && lastIsMetaStart(units, para))) {
      flush();
      const meta = readMeta(lines, i, warn);
      units.push(meta.unit);
      i = meta.end;
      continue;
    }
    if (!para) para = { lines: [], line: i + 1 };
    para.lines.push(text);
  }
  flush();
  return units;
}

/** A lone date line right after an abstract is metadata too (a block with the author line lost). */
function lastIsMetaStart(units: Unit[], para: { lines: string[] } | undefined): boolean {
  return para === undefined && units.at(-1)?.kind === 'para';
}

function nextNonBlank(lines: string[], from: number): { index: number; text: string } | undefined {
  for (let i = from; i < lines.length; i++) {
    const text = lines[i]!.trim();
    if (text !== '') return { index: i, text };
  }
  return undefined;
}

function readMeta(lines: string[], start: number, warn: (line: number, message: string) => void): { unit: Extract<Unit, { kind: 'meta' }>; end: number } {
  const unit: Extract<Unit, { kind: 'meta' }> = { kind: 'meta', line: start + 1, upvotes: 0 };
  let i = start;
  const first = lines[i]!.trim();
  const authors = AUTHORS.exec(first);
  if (authors) {
    unit.authorCount = Number(authors[1]);
    i++;
  } else if (!DOT.test(first) && !META_DATE.test(first)) {
    const [handle, ...rest] = first.split(/\s+/);
    unit.org = { handle: handle!, name: rest.join(' ') || handle! };
    i++;
  }
  const dot = nextNonBlank(lines, i);
  if (dot && DOT.test(dot.text)) i = dot.index + 1;
  const date = nextNonBlank(lines, i);
  const m = date ? META_DATE.exec(date.text) : null;
  if (date && m) {
    unit.date = m[1]!;
    unit.dateLine = date.index + 1;
    unit.upvotes = m[2] === undefined ? 0 : Number(m[2]);
    i = date.index + 1;
  } else {
    warn(start + 1, 'metadata block has no published date');
  }
  return { unit, end: i - 1 };
}

/** A title glued to its abstract with no blank line: short first line(s), then the long abstract line. */
function splitGluedTitle(unit: Extract<Unit, { kind: 'para' }>): Pending | undefined {
  const idx = unit.lines.findIndex((l) => l.length > MAX_TITLE);
  if (idx <= 0) return undefined;
  const title = collapseWhitespace(unit.lines.slice(0, idx).join(' '));
  if (title.length > MAX_TITLE) return undefined;
  return { title: { text: title, line: unit.line }, abstract: collapseWhitespace(unit.lines.slice(idx).join(' ')) };
}

/** Titles rarely end in a full stop or hold several sentences. */
function looksLikeTitle(text: string): boolean {
  return !/\.\s+[A-Z]/.test(text) && !/\.$/.test(text);
}

function short(text: string): string {
  return text.length > 60 ? text.slice(0, 57) + '...' : text;
}

function buildPaper(file: string, digestDate: string, rank: number, title: string, abstract: string, meta: Extract<Unit, { kind: 'meta' }> | undefined, inferred: InferredDate[]): Paper {
  const paper: Paper = {
    id: titleId(title),
    title,
    abstract,
    authors: [],
    upvotes: meta?.upvotes ?? 0,
    digests: [{ date: digestDate, file, rank }],
  };
  if (meta?.authorCount !== undefined) paper.authorCount = meta.authorCount;
  if (meta?.org) paper.organization = meta.org;
  if (meta?.date) {
    const md = parseMonthDay(meta.date);
    if (md) {
      const year = md.year ?? inferEntryYear(md, digestDate);
      const iso = toIsoDate(year, md.month, md.day);
      if (iso) {
        paper.published = iso;
        if (md.year === undefined) {
          paper.publishedYearInferred = true;
          inferred.push({ file, line: meta.dateLine ?? meta.line, text: meta.date, date: iso });
        }
      }
    }
  }
  return paper;
}
