import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/fakeDiscord.js';
import { FakeLlmServer } from '../fakes/llm/fakeLlmServer.js';
import { APP_TOKEN, BOT_TOKEN, FakeSlack } from '../fakes/slack/fakeSlack.js';
import { formBody, slashCommand } from '../fakes/slack/payloads.js';
import { signedPost } from '../fakes/slack/signedRequest.js';
import { freePort, spawnBot, type BotProcess } from '../helpers/botProcess.js';

/**
 * The real process, stopped by a signal while it is answering: the answer still reaches the
 * user, nothing new is taken, connections close normally and the exit code is 0. The answer
 * is slow because the LLM behind `ask` is: the signal comes while the bot waits for it.
 */
const QUESTION = 'what is moe routing?';
/** The offline answer quotes this abstract (the fake LLM's reply is refused as an answer). */
const IN_THE_ANSWER = 'Tutel';
const LLM_DELAY_MS = 2500;
/** Each test starts a real process (tsx, the index, a platform): generous on a busy machine. */
const PROCESS_TEST_MS = 45_000;

let llm: FakeLlmServer;
let bot: BotProcess | undefined;
beforeEach(async () => {
  llm = await FakeLlmServer.start();
  llm.next = { content: 'NO_ANSWER', delayMs: LLM_DELAY_MS };
});
afterEach(async () => {
  await bot?.cleanUp();
  bot = undefined;
  await llm.stop();
});

const llmEnv = () => ({ LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: 'k', LLM_MODEL: 'm' });
const questionReachedLlm = () => waitFor(() => llm.requests.length > 0, 'the question at the LLM');

async function waitFor(probe: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** An answer to `ask` is for the whole channel. */
const channelPosts = (slack: FakeSlack, channel: string) => slack.callsTo('chat.postMessage').filter((c) => c.args['channel'] === channel);

const health = async (port: number) => (await fetch(`http://127.0.0.1:${port}/health`)).json();

async function terminate(b: BotProcess, signal: NodeJS.Signals = 'SIGTERM') {
  b.child.kill(signal);
  return b.exited;
}

describe('console', () => {
  it(
    'SIGTERM while answering: the answer is printed, then it exits 0',
    async () => {
      bot = spawnBot(llmEnv());
      await bot.waitForStdout('papers from');
      bot.child.stdin!.write(`/paper ask ${QUESTION}\n`);
      await questionReachedLlm();
      const exit = await terminate(bot);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(bot.stdout()).toContain(IN_THE_ANSWER);
      expect(bot.logs.map((l) => l.msg)).toContain('shut down cleanly');
      expect(bot.logs.filter((l) => l.level >= 50)).toEqual([]);
    },
    PROCESS_TEST_MS,
  );

  it(
    'an answer that does not finish in time: it exits 1 at the deadline anyway, naming what was unfinished',
    async () => {
      llm.next = { content: 'NO_ANSWER', delayMs: 60_000 };
      bot = spawnBot({ ...llmEnv(), LLM_TIMEOUT_MS: '60000' });
      await bot.waitForStdout('papers from');
      bot.child.stdin!.write(`/paper ask ${QUESTION}\n`);
      await questionReachedLlm();
      expect(await terminate(bot)).toEqual({ code: 1, signal: null });
      const line = bot.logs.find((l) => l.msg.startsWith('shutdown deadline passed'));
      expect(line?.running).toEqual(['console answer']);
      expect(line?.notStarted).toEqual(['database']);
    },
    PROCESS_TEST_MS,
  );

  it(
    'SIGINT (Ctrl-C) when idle exits 0',
    async () => {
      bot = spawnBot({});
      await bot.waitForStdout('papers from');
      expect(await terminate(bot, 'SIGINT')).toEqual({ code: 0, signal: null });
    },
    PROCESS_TEST_MS,
  );
});

describe('Discord', () => {
  let discord: FakeDiscord;
  beforeEach(async () => {
    discord = await FakeDiscord.start();
  });
  afterEach(() => discord.close());

  it(
    'SIGTERM while answering: the deferred reply is completed, new commands are not taken, the gateway closes with 1000',
    async () => {
      bot = spawnBot({ ...llmEnv(), DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl });
      await bot.waitForLog('discord bot ready');
      const asked = discord.slashCommand('ask', [{ name: 'question', type: 3, value: QUESTION }]);
      await questionReachedLlm();
      bot.child.kill('SIGTERM');
      await bot.waitForLog('shutting down');
      const late = discord.slashCommand('find', [{ name: 'query', type: 3, value: 'moe routing' }]);
      await bot.waitForLog('discord interaction ignored: shutting down');

      expect(await bot.exited).toEqual({ code: 0, signal: null });
      expect(JSON.stringify(discord.original(asked))).toContain(IN_THE_ANSWER);
      expect(discord.callbacks(late)).toEqual([]);
      expect(discord.gatewayCloses).toEqual([1000]);
      expect(bot.logs.map((l) => l.msg)).toContain('shut down cleanly');
      expect(bot.logs.filter((l) => l.level >= 50)).toEqual([]);
    },
    PROCESS_TEST_MS,
  );
});

describe('Slack over HTTP', () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = await FakeSlack.start();
  });
  afterEach(() => slack.close());

  it(
    'SIGTERM while answering: the answer is sent, the port stops taking requests, exit 0',
    async () => {
      const secret = 'fake-signing-secret-0123456789';
      const port = await freePort();
      const healthPort = await freePort();
      bot = spawnBot({ ...llmEnv(), SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.apiUrl, SLACK_SIGNING_SECRET: secret, SLACK_PORT: String(port), HEALTH_PORT: String(healthPort) });
      await bot.waitForLog('health endpoint listening at /health');
      expect(await health(healthPort)).toMatchObject({ status: 'ok', platforms: { slack: { connected: true } } });
      const url = `http://127.0.0.1:${port}/slack/events`;
      const command = (text: string, trigger: string) => signedPost(url, formBody(slashCommand({ text, trigger, responseUrl: slack.responseUrl(trigger) })), { secret });

      expect((await command(`ask ${QUESTION}`, 'asked')).status).toBe(200);
      await questionReachedLlm();
      bot.child.kill('SIGTERM');
      await bot.waitForLog('shutting down');
      // While the answer is still being written the bot tells process managers it is going away.
      const stopping = await fetch(`http://127.0.0.1:${healthPort}/health`);
      expect([stopping.status, ((await stopping.json()) as { status: string }).status]).toEqual([503, 'stopping']);

      expect(await bot.exited).toEqual({ code: 0, signal: null });
      expect(JSON.stringify(channelPosts(slack, 'CGENERAL'))).toContain(IN_THE_ANSWER);
      await expect(command('find moe routing', 'late')).rejects.toThrow();
      expect(bot.logs.map((l) => l.msg)).toContain('shut down cleanly');
      expect(bot.logs.filter((l) => l.level >= 50)).toEqual([]);
    },
    PROCESS_TEST_MS,
  );
});

describe('Slack over HTTP, a slow sender', () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = await FakeSlack.start();
  });
  afterEach(() => slack.close());

  it(
    'a request still being received when SIGTERM comes does not hold the shutdown past its deadline',
    async () => {
      const port = await freePort();
      bot = spawnBot({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.apiUrl, SLACK_SIGNING_SECRET: 'secret', SLACK_PORT: String(port) });
      await bot.waitForLog(/^slack listening/);
      const slow = connect(port, '127.0.0.1');
      await new Promise((resolve) => slow.once('connect', resolve));
      slow.on('error', () => undefined);
      slow.write('POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"type":');
      await bot.waitForLog(/^slack listening/);

      expect(await terminate(bot)).toEqual({ code: 0, signal: null });
      expect(bot.logs.map((l) => l.msg)).toContain('shut down cleanly');
      slow.destroy();
    },
    PROCESS_TEST_MS,
  );
});

describe('Slack over Socket Mode', () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = await FakeSlack.start();
  });
  afterEach(() => slack.close());

  it(
    'SIGTERM while answering: the answer is sent, the socket is closed, exit 0',
    async () => {
      const healthPort = await freePort();
      bot = spawnBot({ ...llmEnv(), SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.apiUrl, SLACK_APP_TOKEN: APP_TOKEN, HEALTH_PORT: String(healthPort) });
      await bot.waitForLog('health endpoint listening at /health');
      await slack.socketConnected();
      expect(await health(healthPort)).toMatchObject({ status: 'ok', platforms: { slack: { connected: true } } });
      await slack.sendEnvelope('slash_commands', slashCommand({ text: `ask ${QUESTION}`, trigger: 'asked', responseUrl: slack.responseUrl('asked') }));
      await questionReachedLlm();

      expect(await terminate(bot)).toEqual({ code: 0, signal: null });
      expect(JSON.stringify(channelPosts(slack, 'CGENERAL'))).toContain(IN_THE_ANSWER);
      expect(slack.openSockets).toBe(0);
      expect(bot.logs.map((l) => l.msg)).toContain('shut down cleanly');
      expect(bot.logs.filter((l) => l.level >= 50)).toEqual([]);
    },
    PROCESS_TEST_MS,
  );
});
