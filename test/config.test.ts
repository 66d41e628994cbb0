import { describe, expect, it } from 'vitest';
import { discordSettings, loadConfig, logLevelOr, slackSettings } from '../src/config.js';
import { ConfigError } from '../src/model/errors.js';

describe('configuration', () => {
  it('runs on defaults with no environment at all: the console over seeds/', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ DIGESTS_DIR: 'seeds', DATA_DIR: 'data', DEFAULT_POST_TIME: '09:00', DEFAULT_TIMEZONE: 'UTC' });
    expect(config.DISCORD_TOKEN).toBeUndefined();
    expect(config.SLACK_BOT_TOKEN).toBeUndefined();
  });

  it('treats empty values (as copied from .env.example) as unset', () => {
    const blank = loadConfig({ DIGEST_YEAR: '', DISCORD_TOKEN: '', LLM_BASE_URL: '' });
    expect([blank.DIGEST_YEAR, blank.DISCORD_TOKEN, blank.LLM_BASE_URL]).toEqual([undefined, undefined, undefined]);
    expect(loadConfig({ LOG_LEVEL: '', DEFAULT_POST_TIME: ' ', SLACK_PORT: '' })).toMatchObject({ LOG_LEVEL: 'info', DEFAULT_POST_TIME: '09:00', SLACK_PORT: 3000 });
  });

  it('searches with MiniSearch unless SEARCH_ENGINE names SQLite, and refuses any other engine', () => {
    expect(loadConfig({}).SEARCH_ENGINE).toBe('minisearch');
    expect(loadConfig({ SEARCH_ENGINE: 'sqlite' }).SEARCH_ENGINE).toBe('sqlite');
    expect(() => loadConfig({ SEARCH_ENGINE: 'elastic' })).toThrow(/SEARCH_ENGINE/);
  });

  it('lists every bad variable in one message', () => {
    let error: unknown;
    try {
      loadConfig({ DIGEST_YEAR: 'soon', DEFAULT_TIMEZONE: 'Mars/Olympus', DEFAULT_POST_TIME: '25:00', SLACK_API_URL: 'not a url' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).userMessage;
    for (const name of ['DIGEST_YEAR', 'DEFAULT_TIMEZONE', 'DEFAULT_POST_TIME', 'SLACK_API_URL']) expect(message).toContain(`- ${name}:`);
  });

  it('the health endpoint is off unless HEALTH_PORT is set, and listens on this machine only by default', () => {
    const off = loadConfig({ HEALTH_PORT: '' });
    expect([off.HEALTH_PORT, off.HEALTH_HOST]).toEqual([undefined, '127.0.0.1']);
    expect(loadConfig({ HEALTH_PORT: '8081', HEALTH_HOST: '0.0.0.0' })).toMatchObject({ HEALTH_PORT: 8081, HEALTH_HOST: '0.0.0.0' });
    expect(() => loadConfig({ HEALTH_PORT: 'eighty' })).toThrow(/- HEALTH_PORT:/);
  });

  it('asks for what a platform token needs alongside it', () => {
    expect(() => loadConfig({ DISCORD_TOKEN: 't' })).toThrow(/DISCORD_APPLICATION_ID: required/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb' })).toThrow(/SLACK_APP_TOKEN or SLACK_SIGNING_SECRET/);
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb', SLACK_SIGNING_SECRET: 's' }).SLACK_BOT_TOKEN).toBe('xoxb');
  });

  it('parses the Slack mode into Socket Mode with its app token, or HTTP with its signing secret and port', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb', SLACK_APP_TOKEN: 'xapp', SLACK_SIGNING_SECRET: 's' }).slack).toEqual({ kind: 'socket', appToken: 'xapp' });
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb', SLACK_SIGNING_SECRET: 's', SLACK_PORT: '3100' }).slack).toEqual({ kind: 'http', signingSecret: 's', port: 3100 });
    expect(loadConfig({ SLACK_SIGNING_SECRET: 's' }).slack).toBeUndefined();
  });

  it('gives each adapter its own section, only when its token is set', () => {
    expect(discordSettings(loadConfig({}))).toBeUndefined();
    expect(slackSettings(loadConfig({}))).toBeUndefined();
    expect(discordSettings(loadConfig({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '1', DISCORD_API_URL: 'http://127.0.0.1:9/api' }))).toEqual({ token: 't', apiUrl: 'http://127.0.0.1:9/api' });
    expect(slackSettings(loadConfig({ SLACK_BOT_TOKEN: 'xoxb', SLACK_SIGNING_SECRET: 's', SLACK_PORT: '3100', SLACK_SUBSCRIPTION_MANAGERS: 'admins' }))).toEqual({
      botToken: 'xoxb',
      mode: { kind: 'http', signingSecret: 's', port: 3100 },
      managers: 'admins',
    });
  });

  it('takes DISCORD_GUILD_ID only as a Discord id', () => {
    expect(loadConfig({ DISCORD_GUILD_ID: '123456789012345678' }).DISCORD_GUILD_ID).toBe('123456789012345678');
    expect(() => loadConfig({ DISCORD_GUILD_ID: 'my-server' })).toThrow(/- DISCORD_GUILD_ID: must be a Discord id/);
  });

  it('reports a partial LLM setting, naming what is missing, instead of answering offline without a word', () => {
    let message = '';
    try {
      loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:8080', LLM_MODEL: 'm' });
    } catch (e) {
      message = (e as ConfigError).userMessage;
    }
    expect(message).toContain('- LLM_API_KEY: required when LLM_BASE_URL and LLM_MODEL are set');
    expect(message).not.toContain('- LLM_MODEL:');
    expect(loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:8080', LLM_API_KEY: 'k', LLM_MODEL: 'm' }).LLM_MODEL).toBe('m');
  });

  it('a quieter default log level applies only while LOG_LEVEL is unset', () => {
    expect(logLevelOr('warn', {})).toBe('warn');
    expect(logLevelOr('warn', { LOG_LEVEL: ' ' })).toBe('warn');
    expect(logLevelOr('warn', { LOG_LEVEL: 'debug' })).toBe('debug');
  });
});
