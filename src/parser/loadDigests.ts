import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { Paper, ParseIssue } from '../model/paper.js';
import { CORPUS_DAYS, CORPUS_PAPERS, parseCorpus } from './corpus.js';
import { parseDigestText } from './digestText.js';
import { parseHfDailyJson } from './hfJson.js';
import { mergePapers } from './merge.js';
import { yearForUndatedPages } from './dates.js';
import type { DigestInfo, FileParseResult, InferredDate, ParseOptions } from './result.js';

export interface LoadResult {
  papers: Paper[];
  digests: DigestInfo[];
  issues: ParseIssue[];
  inferred: InferredDate[];
  /** Files read, relative to the folder given. */
  files: string[];
  /** Pages that print no year at all, dated from today's clock (unless DIGEST_YEAR is set). */
  clockDated: string[];
}

/** Parses one file by its kind (text page or API JSON). Never throws on bad content. */
export function parseFile(name: string, raw: string, options: ParseOptions): FileParseResult {
  if (name.toLowerCase().endsWith('.json')) return parseHfDailyJson(name, raw);
  return parseDigestText(name, raw, options);
}

export function isDigestFile(name: string): boolean {
  return /\.(txt|json)$/i.test(name) || basename(name) === CORPUS_PAPERS;
}

/** A digest file as read and parsed. */
export interface ParsedFile {
  name: string;
  /** The text, needed only for pages without a printed year (the ones that may be parsed again). */
  raw?: string;
  result: FileParseResult;
}

/**
 * Gives every page of the set that prints no year one year (yearForUndatedPages), parsing
 * again, in place, those that were dated otherwise; returns the names of those. Pages whose
 * own printed years date them, and DIGEST_YEAR, are left as they are.
 */
export function dateUndatedPages(files: ParsedFile[], options: ParseOptions): string[] {
  const years = files.flatMap((f) => (f.result.pageYear ? [f.result.pageYear] : []));
  const undated = years.filter((y) => y.source === 'clock');
  const year = yearForUndatedPages(
    years.filter((y) => y.source === 'page').map((y) => y.year),
    undated,
    options.today,
  );
  if (year === undefined) return [];
  const redated: string[] = [];
  for (const file of files) {
    const current = file.result.pageYear;
    if (current?.source !== 'clock' || current.year === year || file.raw === undefined) continue;
    file.result = parseFile(file.name, file.raw, { ...options, undatedYear: year });
    redated.push(file.name);
  }
  return redated;
}

/**
 * Reads every digest under `paths` (folders are walked, files taken as they are), merges
 * repeats into one paper each, and collects every problem with file and line.
 */
export async function loadDigests(paths: string[], options: ParseOptions): Promise<LoadResult> {
  const out: LoadResult = { papers: [], digests: [], issues: [], inferred: [], files: [], clockDated: [] };
  const all: Paper[] = [];
  const pages: (ParsedFile & { shown: string })[] = [];
  for (const root of paths) {
    let files: string[];
    let isDir: boolean;
    try {
      isDir = (await stat(root)).isDirectory();
      files = isDir ? await listFiles(root) : [root];
    } catch (err) {
      out.issues.push({ file: root, line: 0, message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, severity: 'error' });
      continue;
    }
    const base = isDir ? root : '';
    for (const file of files) {
      const name = base ? relative(base, file) : file;
      if (basename(file) === CORPUS_DAYS) continue; // read together with papers.jsonl
      if (!isDigestFile(file)) continue;
      let raw: string;
      try {
        raw = await readFile(file, 'utf8');
      } catch (err) {
        out.issues.push({ file: name, line: 0, message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, severity: 'error' });
        continue;
      }
      out.files.push(name);
      if (basename(file) === CORPUS_PAPERS) {
        const daysPath = join(file, '..', CORPUS_DAYS);
        const daysRaw = await readFile(daysPath, 'utf8').catch(() => undefined);
        const corpus = parseCorpus(name, raw, daysRaw === undefined ? undefined : join(name, '..', CORPUS_DAYS), daysRaw);
        all.push(...corpus.papers);
        out.issues.push(...corpus.issues);
        out.digests.push(...corpus.digests);
        continue;
      }
      // Problems name the path as the user can open it; appearances keep the name inside the folder.
      pages.push({ name, raw, result: parseFile(name, raw, options), shown: base ? join(root, name) : name });
    }
  }
  dateUndatedPages(pages, options);
  for (const { result: r, shown } of pages) {
    all.push(...r.papers);
    out.issues.push(...r.issues.map((i) => ({ ...i, file: shown })));
    out.inferred.push(...r.inferred.map((i) => ({ ...i, file: shown })));
    out.digests.push(...r.digests);
    if (r.pageYear?.source === 'clock') out.clockDated.push(shown);
  }
  out.papers = mergePapers(all);
  out.digests.sort((a, b) => a.date.localeCompare(b.date) || a.file.localeCompare(b.file));
  return out;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) files.push(...(await listFiles(full)));
    else if (e.isFile()) files.push(full);
  }
  return files;
}
