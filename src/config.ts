import { existsSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './model/errors.js';
import { countForm } from './text/plural.js';

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();
const url = z.url({ message: 'must be a URL such as http://127.0.0.1:8080' });
const optionalUrl = optionalString.pipe(url.optional());
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM, e.g. 09:00');
const timezone = z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin or UTC');
// A Discord id: a 64-bit integer written in decimal (17 to 20 digits today).
const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits: right-click the server → Copy Server ID)');
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
export type LogLevel = z.infer<typeof logLevel>;
const LLM_SETTINGS = ['LLM_BASE_URL', 'LLM_API_KEY', 'LLM_MODEL'] as const;

/**
 * Every setting the bot reads, validated once at start-up, with the rules that tie settings
 * together. `.env.example` documents each.
 */
export const ConfigSchema = z
  .object({
    DIGESTS_DIR: z.string().min(1).default('seeds'),
    DIGEST_YEAR: optionalString.pipe(z.coerce.number<string | undefined>().int().min(1990).max(2100).optional()),
    DATA_DIR: z.string().min(1).default('data'),
    SEARCH_ENGINE: z.enum(['minisearch', 'sqlite']).default('minisearch'),
    LOG_LEVEL: logLevel.default('info'),

    DISCORD_TOKEN: optionalString,
    DISCORD_APPLICATION_ID: optionalString,
    DISCORD_GUILD_ID: optionalString.pipe(snowflake.optional()),
    /** Discord REST base; tests point it at a fake on 127.0.0.1. */
    DISCORD_API_URL: optionalUrl,

    SLACK_BOT_TOKEN: optionalString,
    SLACK_APP_TOKEN: optionalString,
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    /** Slack Web API base; tests point it at a fake on 127.0.0.1. */
    SLACK_API_URL: optionalUrl,
    /** Who may change a channel's subscription on Slack: admins only, or also the user who subscribed. */
    SLACK_SUBSCRIPTION_MANAGERS: z.enum(['admins', 'admins-and-subscriber', 'anyone']).default('admins-and-subscriber'),

    DEFAULT_POST_TIME: hhmm.default('09:00'),
    DEFAULT_TIMEZONE: timezone.default('UTC'),

    HF_API_URL: url.default('https://huggingface.co'),
    HF_FETCH_AT: optionalString.pipe(hhmm.optional()),

    /** GET /health on this port (off when unset); see src/health/. */
    HEALTH_PORT: optionalString.pipe(z.coerce.number<string | undefined>().int().min(1).max(65535).optional()),
    HEALTH_HOST: z.string().min(1).default('127.0.0.1'),

    LLM_BASE_URL: optionalUrl,
    LLM_API_KEY: optionalString,
    LLM_MODEL: optionalString,
    LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(8000),
  })
  .superRefine((c, ctx) => {
    if (c.DISCORD_TOKEN && !c.DISCORD_APPLICATION_ID) ctx.addIssue({ code: 'custom', path: ['DISCORD_APPLICATION_ID'], message: 'required when DISCORD_TOKEN is set' });
    if (c.SLACK_BOT_TOKEN && !c.SLACK_APP_TOKEN && !c.SLACK_SIGNING_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_APP_TOKEN or SLACK_SIGNING_SECRET'], message: 'one is required when SLACK_BOT_TOKEN is set (Socket Mode or HTTP)' });
    }
    // Half an LLM setting would silently answer offline: say which parts are missing.
    const given = LLM_SETTINGS.filter((name) => c[name] !== undefined);
    if (given.length > 0 && given.length < LLM_SETTINGS.length) {
      for (const name of LLM_SETTINGS.filter((n) => c[n] === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `required when ${given.join(' and ')} ${countForm(given.length, 'is', 'are')} set (set all of ${LLM_SETTINGS.join(', ')} for LLM answers, or none to answer offline)`,
        });
      }
    }
  });

/**
 * How the Slack adapter connects: Socket Mode with its app-level token (preferred when both are
 * set), or the HTTP receiver with its signing secret and port.
 */
export type SlackMode = { kind: 'socket'; appToken: string } | { kind: 'http'; signingSecret: string; port: number };

const ParsedConfig = ConfigSchema.transform((c) => ({ ...c, slack: slackMode(c) }));
export type Config = z.output<typeof ParsedConfig>;

function slackMode(c: z.output<typeof ConfigSchema>): SlackMode | undefined {
  if (!c.SLACK_BOT_TOKEN) return undefined;
  if (c.SLACK_APP_TOKEN) return { kind: 'socket', appToken: c.SLACK_APP_TOKEN };
  return c.SLACK_SIGNING_SECRET ? { kind: 'http', signingSecret: c.SLACK_SIGNING_SECRET, port: c.SLACK_PORT } : undefined;
}

/** What the Discord adapter reads: there when DISCORD_TOKEN is set. */
export interface DiscordSettings {
  token: string;
  /** Discord REST base (DISCORD_API_URL); Discord itself when unset. */
  apiUrl?: string;
}

export function discordSettings(c: Config): DiscordSettings | undefined {
  if (!c.DISCORD_TOKEN) return undefined;
  return { token: c.DISCORD_TOKEN, ...(c.DISCORD_API_URL ? { apiUrl: c.DISCORD_API_URL } : {}) };
}

/** What the Slack adapter reads: there when SLACK_BOT_TOKEN and a way to connect are set. */
export interface SlackSettings {
  botToken: string;
  mode: SlackMode;
  /** Slack Web API base (SLACK_API_URL); Slack itself when unset. */
  apiUrl?: string;
  managers: Config['SLACK_SUBSCRIPTION_MANAGERS'];
}

export function slackSettings(c: Config): SlackSettings | undefined {
  if (!c.SLACK_BOT_TOKEN || !c.slack) return undefined;
  return { botToken: c.SLACK_BOT_TOKEN, mode: c.slack, ...(c.SLACK_API_URL ? { apiUrl: c.SLACK_API_URL } : {}), managers: c.SLACK_SUBSCRIPTION_MANAGERS };
}

/** Validates the environment; one ConfigError lists every bad variable at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // `NAME=` (as copied from .env.example) means "not set": the default applies.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const result = ParsedConfig.safeParse(set);
  if (result.success) return result.data;
  throw new ConfigError(formatProblems(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)));
}

/**
 * LOG_LEVEL when it is set to a valid level, else `fallback`: the console chat and the CLI are
 * quieter unless asked. An invalid value is reported by `loadConfig`.
 */
export function logLevelOr(fallback: LogLevel, env: NodeJS.ProcessEnv = process.env): LogLevel {
  const given = logLevel.safeParse(env['LOG_LEVEL']?.trim());
  return given.success ? given.data : fallback;
}

/** Reads `.env` into process.env when present; real environment variables win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

function formatProblems(problems: string[]): string {
  return `Invalid configuration (see .env.example):\n${problems.map((p) => `  - ${p}`).join('\n')}`;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
