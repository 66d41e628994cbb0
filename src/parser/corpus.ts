import { z } from 'zod';
import type { Paper, ParseIssue } from '../model/paper.js';
import type { DigestInfo } from './result.js';
import { collapseWhitespace } from './text.js';
import { webLink } from './webLink.js';

/** The corpus pair: days.jsonl is read together with papers.jsonl, never on its own. */
export const CORPUS_PAPERS = 'papers.jsonl';
export const CORPUS_DAYS = 'days.jsonl';

/**
 * The HF Daily Papers corpus format (a sample: test/fixtures/hf-daily-papers): `papers.jsonl`, one flattened
 * paper a line, and `days.jsonl`, one daily listing a line. Bad lines are reported and skipped.
 */
const CorpusPaper = z
  .object({
    id: z.string().min(1),
    title: z.string().min(1),
    summary: z.string().default(''),
    authors: z.array(z.string()).default([]),
    publishedAt: z.string().optional(),
    upvotes: z.number().int().nonnegative().default(0),
    numComments: z.number().int().nonnegative().optional(),
    organization: z
      .object({ name: z.string().min(1), fullname: z.string().optional() })
      .loose()
      .optional(),
    aiSummary: z.string().optional(),
    aiKeywords: z.array(z.string()).optional(),
    githubRepo: z.string().nullish(),
    githubStars: z.number().int().nonnegative().nullish(),
    projectPage: z.string().nullish(),
  })
  .loose();

const CorpusDay = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  papers: z.array(z.object({ id: z.string(), upvotes: z.number().int().nonnegative().optional() }).loose()),
});

export interface CorpusResult {
  papers: Paper[];
  issues: ParseIssue[];
  /** One digest per daily listing of days.jsonl, named as its papers' appearances name it. */
  digests: DigestInfo[];
}

/** The papers file may be given as bytes: then each line is decoded as it is reached, never the whole file at once. */
export function parseCorpus(papersFile: string, papersRaw: string | Uint8Array, daysFile?: string, daysRaw?: string): CorpusResult {
  const issues: ParseIssue[] = [];
  const byId = new Map<string, Paper>();
  forEachJsonLine(papersFile, papersRaw, issues, CorpusPaper, (p) => {
    const paper: Paper = {
      id: p.id,
      arxivId: p.id,
      title: collapseWhitespace(p.title),
      abstract: collapseWhitespace(p.summary),
      authors: p.authors,
      upvotes: p.upvotes,
      digests: [],
    };
    const published = p.publishedAt?.slice(0, 10);
    if (published && /^\d{4}-\d{2}-\d{2}$/.test(published)) paper.published = published;
    if (p.numComments !== undefined) paper.numComments = p.numComments;
    if (p.organization) paper.organization = { handle: p.organization.name, name: p.organization.fullname ?? p.organization.name };
    if (p.aiSummary) paper.aiSummary = p.aiSummary;
    if (p.aiKeywords?.length) paper.keywords = p.aiKeywords;
    const repo = webLink(p.githubRepo);
    if (repo) paper.githubRepo = repo;
    if (repo && typeof p.githubStars === 'number') paper.githubStars = p.githubStars;
    const projectPage = webLink(p.projectPage);
    if (projectPage) paper.projectPage = projectPage;
    byId.set(paper.id, paper);
  });
  const digests: DigestInfo[] = [];
  if (daysFile !== undefined && daysRaw !== undefined) {
    forEachJsonLine(daysFile, daysRaw, issues, CorpusDay, (day, line) => {
      digests.push({ file: `${daysFile}#${day.date}`, date: day.date, yearInferred: false, entries: day.papers.length });
      day.papers.forEach((entry, i) => {
        const paper = byId.get(entry.id);
        if (!paper) {
          issues.push({ file: daysFile, line, message: `day ${day.date} lists ${entry.id}, which is not in ${papersFile}`, severity: 'warning' });
          return;
        }
        paper.digests.push({ date: day.date, file: `${daysFile}#${day.date}`, rank: i + 1 });
      });
    });
  }
  for (const paper of byId.values()) paper.digests.sort((a, b) => a.date.localeCompare(b.date));
  return { papers: [...byId.values()], issues, digests };
}

/** The lines of a text or of UTF-8 bytes, as `split(/\r?\n/)` gives them, without a leading byte-order mark. */
function* linesOf(raw: string | Uint8Array): Generator<string> {
  if (typeof raw === 'string') {
    yield* raw.replace(/^\uFEFF/, '').split(/\r?\n/);
    return;
  }
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  // A newline byte never occurs inside a multi-byte UTF-8 character: lines decode on their own.
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (;;) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    yield bytes.toString('utf8', start, newline > start && bytes[end - 1] === 0x0d ? end - 1 : end);
    if (newline < 0) return;
    start = newline + 1;
  }
}

function forEachJsonLine<T>(file: string, raw: string | Uint8Array, issues: ParseIssue[], schema: z.ZodType<T>, each: (value: T, line: number) => void): void {
  let i = -1;
  for (const text of linesOf(raw)) {
    i++;
    if (text.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      issues.push({ file, line: i + 1, message: 'not valid JSON: line skipped', severity: 'error' });
      continue;
    }
    const r = schema.safeParse(json);
    if (!r.success) {
      issues.push({ file, line: i + 1, message: `unexpected shape (${r.error.issues.map((x) => `${x.path.join('.') || 'line'}: ${x.message}`).join('; ')}): line skipped`, severity: 'error' });
      continue;
    }
    each(r.data, i + 1);
  }
}
