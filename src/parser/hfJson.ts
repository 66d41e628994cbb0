import { z } from 'zod';
import type { Paper } from '../model/paper.js';
import { collapseWhitespace } from './text.js';
import { webLink } from './webLink.js';
import type { FileParseResult } from './result.js';

/** One entry of the Hugging Face `/api/daily_papers?date=` response; only the fields we use. */
const HfAuthor = z.object({ name: z.string() }).loose();
const HfOrganization = z.object({ name: z.string().min(1), fullname: z.string().optional() }).loose();
const HfPaper = z
  .object({
    id: z.string().min(1),
    title: z.string().min(1),
    summary: z.string().default(''),
    authors: z.array(HfAuthor).default([]),
    publishedAt: z.string().optional(),
    submittedOnDailyAt: z.string().optional(),
    upvotes: z.number().int().nonnegative().default(0),
    organization: HfOrganization.optional(),
    ai_summary: z.string().optional(),
    ai_keywords: z.array(z.string()).optional(),
    githubRepo: z.string().nullish(),
    githubStars: z.number().int().nonnegative().nullish(),
    projectPage: z.string().nullish(),
  })
  .loose();
export const HfDailyEntry = z
  .object({
    paper: HfPaper,
    numComments: z.number().int().nonnegative().optional(),
    organization: HfOrganization.optional(),
  })
  .loose();
export type HfDailyEntry = z.infer<typeof HfDailyEntry>;

const Wrapper = z.object({ status: z.string().optional(), date: z.string().optional(), data: z.array(z.unknown()) }).loose();

const DATE_IN_NAME = /(\d{4}-\d{2}-\d{2})/;

/**
 * A saved API response: the plain array, or the `{status, date, count, data}` wrapper.
 * Anything else is rejected whole, with the reason, so a bad file never half-loads.
 */
export function parseHfDailyJson(file: string, raw: string): FileParseResult {
  const result: FileParseResult = { digests: [], papers: [], issues: [], inferred: [] };
  const reject = (message: string, line = 0) => {
    result.issues.push({ file, line, message, severity: 'error' });
    return result;
  };
  let json: unknown;
  try {
    json = JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (err) {
    return reject(`not valid JSON: ${(err as Error).message}`, jsonErrorLine(raw, err));
  }
  let entries: unknown[];
  let wrapperDate: string | undefined;
  if (Array.isArray(json)) {
    entries = json;
  } else {
    const wrapped = Wrapper.safeParse(json);
    if (!wrapped.success) return reject('expected a JSON array of daily-paper entries or an object with a "data" array');
    entries = wrapped.data.data;
    wrapperDate = wrapped.data.date;
  }
  if (entries.some((e) => typeof e === 'string')) {
    const pythonRepr = entries.some((e) => typeof e === 'string' && e.startsWith("{'"));
    return reject(pythonRepr ? 'entries are Python-repr strings ("{\'paper\': ...}"), not JSON objects: re-save the API response as JSON' : 'entries are strings, not JSON objects');
  }
  const parsed: HfDailyEntry[] = [];
  for (const [i, entry] of entries.entries()) {
    const r = HfDailyEntry.safeParse(entry);
    if (!r.success) {
      return reject(`entry ${i + 1} does not have the daily-papers shape: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    }
    parsed.push(r.data);
  }
  const date = dayOf(file, wrapperDate, parsed);
  if (!date) return reject('cannot tell which day this response is for: name the file YYYY-MM-DD.json');
  for (const [i, entry] of parsed.entries()) result.papers.push(hfEntryToPaper(entry, { date, file, rank: i + 1 }));
  result.digests.push({ file, date, yearInferred: false, entries: parsed.length });
  return result;
}

export function hfEntryToPaper(entry: HfDailyEntry, appearance: Paper['digests'][number]): Paper {
  const p = entry.paper;
  const org = entry.organization ?? p.organization;
  const paper: Paper = {
    id: p.id,
    arxivId: p.id,
    title: collapseWhitespace(p.title),
    abstract: collapseWhitespace(p.summary),
    authors: p.authors.map((a) => a.name),
    upvotes: p.upvotes,
    digests: [appearance],
  };
  const published = p.publishedAt?.slice(0, 10);
  if (published && /^\d{4}-\d{2}-\d{2}$/.test(published)) paper.published = published;
  if (entry.numComments !== undefined) paper.numComments = entry.numComments;
  if (org) paper.organization = { handle: org.name, name: org.fullname ?? org.name };
  if (p.ai_summary) paper.aiSummary = p.ai_summary;
  if (p.ai_keywords?.length) paper.keywords = p.ai_keywords;
  const repo = webLink(p.githubRepo);
  if (repo) paper.githubRepo = repo;
  if (repo && typeof p.githubStars === 'number') paper.githubStars = p.githubStars;
  const projectPage = webLink(p.projectPage);
  if (projectPage) paper.projectPage = projectPage;
  return paper;
}

function dayOf(file: string, wrapperDate: string | undefined, entries: HfDailyEntry[]): string | undefined {
  if (wrapperDate && /^\d{4}-\d{2}-\d{2}$/.test(wrapperDate)) return wrapperDate;
  const fromName = DATE_IN_NAME.exec(file.split(/[\\/]/).at(-1) ?? '')?.[1];
  if (fromName) return fromName;
  return entries.find((e) => e.paper.submittedOnDailyAt)?.paper.submittedOnDailyAt?.slice(0, 10);
}

/** A line number a person can open, from V8's message: "at position N", or a quoted excerpt. */
function jsonErrorLine(raw: string, err: unknown): number {
  const message = String((err as Error).message);
  const lineAt = (offset: number) => raw.slice(0, offset).split('\n').length;
  const pos = /position (\d+)/.exec(message)?.[1];
  if (pos !== undefined) return lineAt(Number(pos));
  if (/end of JSON input/.test(message)) return raw.split('\n').length;
  const excerpt = /Unexpected token '(.+?)', (?:\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON/.exec(message);
  if (excerpt) {
    const at = raw.indexOf(excerpt[2]!);
    if (at !== -1) return lineAt(at + Math.max(0, excerpt[2]!.lastIndexOf(excerpt[1]!)));
  }
  return 0;
}
