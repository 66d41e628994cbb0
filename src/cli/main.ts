import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadLibrary } from '../app.js';
import { renderReply } from '../bots/console/renderText.js';
import { paperLinks } from '../present/links.js';
import { coreCommands } from '../coreCommands.js';
import { paperByReference, resolvePaper } from '../commands/resolvePaper.js';
import { CommandRouter } from '../commands/router.js';
import { loadConfig, type Config } from '../config.js';
import type { PaperIndex } from '../index/paperIndex.js';
import { TRENDING_PERIODS, type TrendingPeriod } from '../index/trending.js';
import { PaperbotError } from '../model/errors.js';
import { formatIssue, type Paper } from '../model/paper.js';
import { loadDigests } from '../parser/loadDigests.js';
import type { CliIO } from './cliIO.js';
import { fetchCommand } from './fetch.js';
import { statsCommand } from './stats.js';
import { isoDay } from '../time/days.js';

/** Exit codes: 0 success (zero hits too), 2 bad usage or unreadable input, 1 an unexpected failure. */
export const EXIT_OK = 0;
export const EXIT_USAGE = 2;

const USAGE = `Usage: paperbot <command> [options]

  find "<query>" [--limit N] [--json] [--digests DIR]   search the digests
  show <id> [--json] [--digests DIR]                    one paper in full
  trending [day|week|month] [--limit N] [--json]        what is trending as of today
  check <file|dir>...                                   parse and list every problem (file:line); exit 2 on errors
  fetch [--date YYYY-MM-DD | --since YYYY-MM-DD]        save Hugging Face daily papers into DIGESTS_DIR (default: yesterday and today)
  stats [--json]                                        papers, digests, date range, last ingest, index size

Options: --digests DIR reads that folder instead of DIGESTS_DIR (default seeds/).
--json prints only JSON on stdout; logs go to stderr.`;

const OPTIONS = {
  limit: { type: 'string' },
  json: { type: 'boolean', default: false },
  digests: { type: 'string' },
  date: { type: 'string' },
  since: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

/** Bad command-line input: the message is shown with the usage, exit 2. */
function cliUsage(message: string): PaperbotError {
  return new PaperbotError('cli_usage', message);
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const out = (s: string) => io.stdout.write(s + '\n');
  const err = (s: string) => io.stderr.write(s + '\n');
  try {
    const { values, positionals } = parseCli(argv);
    const [command, ...rest] = positionals;
    if (values.help || command === 'help') {
      out(USAGE);
      return EXIT_OK;
    }
    if (!command) throw cliUsage('no command given');
    if (command === 'check') return await check(rest, io);
    const config = withDigests(loadConfig(io.env), values.digests);
    switch (command) {
      case 'find':
        return await find(rest.join(' '), values, config, io);
      case 'show':
        return await show(rest.join(' '), values.json, config, io);
      case 'trending':
        return await trending(rest[0], values, config, io);
      case 'fetch':
        return await fetchCommand({ date: values.date, since: values.since, json: values.json, words: rest }, config, io);
      case 'stats':
        return await statsCommand(values.json, config, io);
      default:
        throw cliUsage(`unknown command "${command}"`);
    }
  } catch (e) {
    if ((e instanceof PaperbotError && e.code === 'cli_usage') || (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
      err(`paperbot: ${e.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (e instanceof PaperbotError) {
      err(`paperbot: ${e.userMessage}`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

function parseCli(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

type Values = ReturnType<typeof parseCli>['values'];

function withDigests(config: Config, dir: string | undefined): Config {
  return dir ? { ...config, DIGESTS_DIR: dir } : config;
}

function limitOf(values: Values, fallback: number): number {
  if (values.limit === undefined) return fallback;
  const n = Number(values.limit);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw cliUsage(`--limit takes a whole number from 1 to 100 (got "${values.limit}")`);
  return n;
}

/** Loads the digests; a folder that cannot be read at all is bad input (exit 2), not an empty result. */
async function library(config: Config, io: CliIO) {
  const { library, ingester } = await loadLibrary(config, io.clock, io.logger);
  const state = ingester.state();
  if (state.files.length === 0) {
    const why = state.issues.find((i) => i.line === 0)?.message ?? 'no digest files (.txt, .json) found';
    throw cliUsage(`cannot read digests from ${config.DIGESTS_DIR}: ${why}`);
  }
  return library;
}

async function find(query: string, values: Values, config: Config, io: CliIO): Promise<number> {
  if (!query.trim()) throw cliUsage('find needs a query, e.g. paperbot find "moe routing"');
  const limit = limitOf(values, 10);
  const lib = await library(config, io);
  if (values.json) {
    const named = paperByReference(lib.current(), query);
    const hits = named?.kind === 'unknown' ? [] : named ? [{ paper: named.paper, score: null }] : lib.current().search(query, { limit });
    const json = hits.map((h) => ({ id: h.paper.id, title: h.paper.title, score: h.score === null ? null : round(h.score), published: h.paper.published ?? null, upvotes: h.paper.upvotes, link: paperLinks(h.paper).primary }));
    io.stdout.write(JSON.stringify(json, null, 2) + '\n');
    return EXIT_OK;
  }
  return viaRouter(`find ${query} --limit ${Math.min(limit, 10)}`, lib, io);
}

async function show(id: string, json: boolean, config: Config, io: CliIO): Promise<number> {
  if (!id.trim()) throw cliUsage('show needs a paper id, e.g. paperbot show t-91e2b2567c or an arXiv id');
  const lib = await library(config, io);
  if (json) {
    const paper = resolveOrUsage(lib.current(), id);
    io.stdout.write(JSON.stringify({ ...paper, link: paperLinks(paper).primary }, null, 2) + '\n');
    return EXIT_OK;
  }
  return viaRouter(`show ${id}`, lib, io);
}

/** The paper `show` would show; not found is bad input (exit 2) with the same message. */
function resolveOrUsage(index: PaperIndex, text: string): Paper {
  try {
    return resolvePaper(index, text, 'paperbot show <id>');
  } catch (err) {
    if (err instanceof PaperbotError) throw cliUsage(err.userMessage);
    throw err;
  }
}

async function trending(period: string | undefined, values: Values, config: Config, io: CliIO): Promise<number> {
  const p = (period ?? 'day') as TrendingPeriod;
  if (!TRENDING_PERIODS.includes(p)) throw cliUsage(`period must be day, week or month (got "${period}")`);
  const limit = limitOf(values, 10);
  const lib = await library(config, io);
  if (values.json) {
    const result = lib.current().trending(p, isoDay(io.clock.now()), limit);
    const json = result.hits.map((h) => ({ id: h.paper.id, title: h.paper.title, score: round(h.score), published: h.paper.published ?? null, upvotes: h.paper.upvotes, link: paperLinks(h.paper).primary }));
    io.stdout.write(JSON.stringify(json, null, 2) + '\n');
    return EXIT_OK;
  }
  return viaRouter(`trending ${p} --limit ${Math.min(limit, 10)}`, lib, io);
}

/** Text output goes through the same router and renderer as the console chat. */
async function viaRouter(text: string, lib: Awaited<ReturnType<typeof library>>, io: CliIO): Promise<number> {
  const router = new CommandRouter(coreCommands({ library: lib, clock: io.clock }), io.logger);
  const reply = await router.handle(text, { platform: 'cli' });
  const rendered = renderReply(reply).text;
  if (reply.error) {
    io.stderr.write(rendered + '\n');
    return reply.error.code === 'internal' ? 1 : EXIT_USAGE;
  }
  io.stdout.write(rendered + '\n');
  return EXIT_OK;
}

async function check(paths: string[], io: CliIO): Promise<number> {
  if (paths.length === 0) throw cliUsage('check needs a file or folder, e.g. paperbot check seeds');
  const config = loadConfig(io.env);
  const result = await loadDigests(paths, { today: isoDay(io.clock.now()), digestYear: config.DIGEST_YEAR });
  for (const issue of result.issues) io.stdout.write(formatIssue(issue) + '\n');
  const errors = result.issues.filter((i) => i.severity === 'error').length;
  const warnings = result.issues.length - errors;
  // Entry dates without a year are not problems, but they are guesses: say how many.
  const guessed = result.inferred.length;
  // Pages with no printed year to go by are dated by the clock alone: the weakest guess, said apart.
  const byClock = result.clockDated.length > 0 ? `; ${result.clockDated.length} page(s) print no year at all, dated from today's clock (set DIGEST_YEAR if wrong)` : '';
  io.stderr.write(
    `${result.files.length} file(s), ${result.digests.length} digest(s), ${result.papers.length} distinct paper(s); ${errors} error(s), ${warnings} warning(s); ${guessed} date(s) without a year, year inferred${byClock}\n`,
  );
  return errors > 0 ? EXIT_USAGE : EXIT_OK;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
