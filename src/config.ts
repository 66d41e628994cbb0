import { existsSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './model/errors.js';

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();
const url = z.url({ message: 'must be a URL such as http://127.0.0.1:8080' });
const optionalUrl = optionalString.pipe(url.optional());
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM, e.g. 09:00');
const timezone = z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin or UTC');

/** Every setting the bot reads, validated once at start-up. `.env.example` documents each. */
export const ConfigSchema = z.object({
  DIGESTS_DIR: z.string().min(1).default('seeds'),
  DIGEST_YEAR: optionalString.pipe(z.coerce.number<string | undefined>().int().min(1990).max(2100).optional()),
  DATA_DIR: z.string().min(1).default('data'),
  SEARCH_ENGINE: z.enum(['minisearch', 'sqlite']).default('minisearch'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString,
  DISCORD_GUILD_ID: optionalString,
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
});
export type Config = z.infer<typeof ConfigSchema>;

/** Validates the environment; one ConfigError lists every bad variable at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // `NAME=` (as copied from .env.example) means "not set": the default applies.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const result = ConfigSchema.safeParse(set);
  if (result.success) {
    const config = result.data;
    const problems: string[] = [];
    if (config.DISCORD_TOKEN && !config.DISCORD_APPLICATION_ID) problems.push('DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set');
    if (config.SLACK_BOT_TOKEN && !config.SLACK_APP_TOKEN && !config.SLACK_SIGNING_SECRET) {
      problems.push('SLACK_APP_TOKEN or SLACK_SIGNING_SECRET: one is required when SLACK_BOT_TOKEN is set (Socket Mode or HTTP)');
    }
    if (problems.length > 0) throw new ConfigError(formatProblems(problems));
    return config;
  }
  throw new ConfigError(formatProblems(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)));
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
