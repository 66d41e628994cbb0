import type { Command, ParsedCommand } from '../commands/command.js';
import { CommandRouter } from '../commands/router.js';
import { commandText } from '../present/commandText.js';
import { loadConfig, type Config } from '../config.js';
import { askOptions, coreCommands } from '../coreCommands.js';
import { PaperLibrary } from '../index/library.js';
import { openLibrary } from '../ingest/openLibrary.js';
import { PaperbotError } from '../model/errors.js';
import { plain } from '../model/reply.js';
import { renderReply } from '../render/text.js';
import { checkCommand } from './check.js';
import { type CliIO, type CliResult, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './cliIO.js';
import { fetchCommand } from './fetch.js';
import { papersJson, paperRecordJson } from './json.js';
import { statsCommand } from './stats.js';

export { EXIT_OK, EXIT_USAGE } from './cliIO.js';

const USAGE = `Usage: paperbot <command> [options]

  find "<query>" [--limit 1-100] [--page N] [--has code] [--json]   search the digests
  show <id> [--json]                                   one paper in full
  trending [day|week|month] [--limit 1-100] [--json]   what is trending as of today
  like <id> [--json]                                   papers close to one paper
  summary <id>                                         a paper's TL;DR
  ask "<question>"                                     an answer quoted from the digests
  check <file|dir>... [--json]                         parse and list every problem (file:line); exit 2 on errors
  fetch [--date YYYY-MM-DD | --since YYYY-MM-DD] [--json]   save Hugging Face daily papers into DIGESTS_DIR (default: yesterday and today)
  stats [--json]                                       papers, digests, date range, last ingest, index size

Options: --digests DIR reads that folder instead of DIGESTS_DIR (default seeds/).
Lists show 10 papers unless --limit says otherwise; find pages on with --page.
--json prints only JSON on stdout; logs go to stderr.`;

/** The options the CLI itself reads; every other word goes to the command as the chat would get it. */
interface CliFlags {
  json: boolean;
  help: boolean;
  digests?: string;
  date?: string;
  since?: string;
}

const VALUE_FLAGS = ['digests', 'date', 'since'] as const;

/** Bad command-line input: the message is shown with the usage, exit 2. */
function cliUsage(message: string): PaperbotError {
  return new PaperbotError('cli_usage', message);
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  try {
    const { flags, words } = splitArgs(argv);
    const [command, ...rest] = words;
    if (flags.help || command === 'help') {
      io.stdout.write(USAGE + '\n');
      return EXIT_OK;
    }
    if (!command) throw cliUsage('no command given');
    return print(await run(command, rest, flags, io), flags.json, io);
  } catch (e) {
    if (e instanceof PaperbotError && e.code === 'cli_usage') {
      io.stderr.write(`paperbot: ${e.message}\n\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof PaperbotError) {
      io.stderr.write(`paperbot: ${e.userMessage}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

async function run(command: string, rest: string[], flags: CliFlags, io: CliIO): Promise<CliResult> {
  if (command === 'check') {
    if (rest.length === 0) throw cliUsage('check needs a file or folder, e.g. paperbot check seeds');
    return checkCommand(rest, io);
  }
  const config = withDigests(loadConfig(io.env), flags.digests);
  if (command === 'fetch') return fetchCommand({ date: flags.date, since: flags.since, words: rest }, config, io);
  if (command === 'stats') return statsCommand(config, io);
  return routed(command, rest, flags, config, io);
}

/**
 * A command shared with chat: the same router, commands and replies as every other surface.
 * The library is filled in once the command is known, so a typo fails before the digests load.
 */
async function routed(name: string, rest: string[], flags: CliFlags, config: Config, io: CliIO): Promise<CliResult> {
  const library = new PaperLibrary();
  const router = new CommandRouter(coreCommands({ library, clock: io.clock, ask: askOptions(config, io.logger) }), io.logger);
  const command = router.find(name);
  if (!command || command.name === 'help') throw cliUsage(`unknown command "${name}"`);
  if (flags.json && !JSON_FORMS.has(command.name)) throw cliUsage(`--json is for ${[...JSON_FORMS].join(', ')}; ${command.name} prints text`);
  let parsed: ParsedCommand;
  try {
    // Checked before the digests load: a mistake in the words is told at once, in the router's words.
    parsed = router.parse(withCliDefaults(command, rest), 'cli');
  } catch (err) {
    if (err instanceof PaperbotError) return { code: EXIT_USAGE, reply: { visibility: 'ephemeral', error: { code: err.code }, blocks: [{ kind: 'text', text: plain(err.userMessage) }] } };
    throw err;
  }
  library.swap((await loadDigestsFrom(config, io)).current());
  const reply = await router.handle(parsed, { platform: 'cli' });
  if (reply.error) return { code: reply.error.code === 'internal' ? EXIT_FAILED : EXIT_USAGE, reply };
  const json = !flags.json ? undefined : command.name === 'show' ? paperRecordJson(reply, library.current()) : papersJson(reply);
  return { code: EXIT_OK, reply, json };
}

/** Commands with a JSON form: the papers a list shows, or the full record `show` shows. */
const JSON_FORMS = new Set(['find', 'show', 'trending', 'like']);

/** A terminal has room for a full page: lists show as many papers as chat allows, unless told otherwise. */
function withCliDefaults(command: Command, rest: string[]): string {
  const limit = command.options.find((o) => o.name === 'limit');
  const given = rest.some((w) => w === '--limit' || w.startsWith('--limit='));
  const flags: Record<string, number> = limit?.max !== undefined && !given ? { limit: limit.max } : {};
  return commandText(command.name, rest.join(' '), flags);
}

/** Prints a result: JSON alone on stdout with --json, otherwise the reply as the console shows it. */
function print(result: CliResult, json: boolean, io: CliIO): number {
  if (json && !result.reply.error) {
    io.stdout.write(JSON.stringify(result.json ?? null, null, 2) + '\n');
  } else {
    const text = renderReply(result.reply).text;
    if (text) (result.reply.error ? io.stderr : io.stdout).write(text + '\n');
  }
  if (result.note) io.stderr.write(result.note + '\n');
  return result.code;
}

/** The CLI's own options out of the words; the rest, flags included, are the command's. */
function splitArgs(argv: readonly string[]): { flags: CliFlags; words: string[] } {
  const flags: CliFlags = { json: false, help: false };
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [, name, inline] = /^--([a-z]+)(?:=(.*))?$/.exec(arg) ?? [];
    if (arg === '--json') flags.json = true;
    else if (arg === '--help' || arg === '-h') flags.help = true;
    else if (name && (VALUE_FLAGS as readonly string[]).includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw cliUsage(`--${name} needs a value`);
      flags[name as (typeof VALUE_FLAGS)[number]] = value;
    } else words.push(arg);
  }
  return { flags, words };
}

function withDigests(config: Config, dir: string | undefined): Config {
  return dir ? { ...config, DIGESTS_DIR: dir } : config;
}

/** Loads the digests; a folder that cannot be read at all is bad input (exit 2), not an empty result. */
async function loadDigestsFrom(config: Config, io: CliIO): Promise<PaperLibrary> {
  const { library, ingester } = await openLibrary(config, io.clock, io.logger);
  const state = ingester.state();
  if (state.files.length === 0) {
    const why = state.issues.find((i) => i.line === 0)?.message ?? 'no digest files (.txt, .json) found';
    throw cliUsage(`cannot read digests from ${config.DIGESTS_DIR}: ${why}`);
  }
  return library;
}
