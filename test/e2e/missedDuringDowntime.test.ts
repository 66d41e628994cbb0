import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { FakeHfServer } from '../fakes/hf/server.js';
import { RAW_DIR, SEEDS_DIR } from '../helpers/seeds.js';
import { E2eWorld, FAKETIME_LIB, SLACK_CHANNEL, until } from './world.js';

/**
 * The real process posts today, is stopped, and stays down past the next day's post time while
 * that day's digest arrives (dropped into DIGESTS_DIR, or only through the bot's own daily
 * fetch); restarted a day and a half hour later, each channel gets that day's post once, marked
 * late, with its whole summary thread.
 */
const TOP_N = 3;
const NEXT_DAY = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
/** A real Hugging Face API day, served as the next day's papers. */
const NEXT_DAY_BODY = readFileSync(join(RAW_DIR, '2026-08-21.json'), 'utf8');

let w: E2eWorld | undefined;
let hf: FakeHfServer | undefined;
let digestsDir = '';
afterEach(async () => {
  await w?.close();
  await hf?.close();
  rmSync(digestsDir, { recursive: true, force: true });
  [w, hf] = [undefined, undefined];
});

async function postTodayThenStop(): Promise<E2eWorld> {
  const world = await E2eWorld.start();
  digestsDir = mkdtempSync(join(tmpdir(), 'paperbot-digests-'));
  cpSync(SEEDS_DIR, digestsDir, { recursive: true });
  world.subscribeBoth(new Date(), TOP_N);
  const first = await world.startBot(undefined, { DIGESTS_DIR: digestsDir });
  await first.waitForLog((l) => l.msg === 'daily post sent' && String(l.channel).startsWith('slack'), 'the Slack post');
  await first.waitForLog((l) => l.msg === 'daily post sent' && String(l.channel).startsWith('discord'), 'the Discord post');
  await world.settled(3000);
  await first.kill();
  return world;
}

function channelsShow(world: E2eWorld) {
  const discordParents = world.discord.channelMessages(world.discord.channelId).filter((m) => m.author.id === world.discord.botUser.id);
  const slackParents = world.slack.messages.filter((m) => m.channel === SLACK_CHANNEL && !m.thread_ts);
  return {
    discord: discordParents.map((m) => ({ late: JSON.stringify(m).includes('Late: this post was due'), thread: world.discord.channelMessages(m.id).length })),
    slack: slackParents.map((m) => ({
      late: JSON.stringify(m).includes('Late: this post was due'),
      thread: world.slack.messages.filter((r) => r.channel === SLACK_CHANNEL && r.thread_ts === m.ts && r.ts !== m.ts).length,
    })),
    logs: world.logMessages(),
  };
}

const expected = {
  discord: [
    { late: false, thread: TOP_N },
    { late: true, thread: TOP_N },
  ],
  slack: [
    { late: false, thread: TOP_N },
    { late: true, thread: TOP_N },
  ],
};

it.skipIf(!existsSync(FAKETIME_LIB))('a digest dropped into DIGESTS_DIR while the bot was down is posted once on restart, marked late, thread complete', { timeout: 180_000 }, async () => {
  w = await postTodayThenStop();
  copyFileSync(join(RAW_DIR, '2026-08-21.json'), join(digestsDir, `${NEXT_DAY}.json`));
  const second = await w.startBot('+1470m', { DIGESTS_DIR: digestsDir });
  await w.settled();
  await second.stop();
  const seen = channelsShow(w);
  expect({ discord: seen.discord, slack: seen.slack }, JSON.stringify(seen, null, 2)).toEqual(expected);
});

it.skipIf(!existsSync(FAKETIME_LIB))(
  "a day brought only by the bot's own fetch (HF_FETCH_AT) after downtime is posted once on restart, marked late, thread complete",
  { timeout: 180_000 },
  async () => {
    w = await postTodayThenStop();
    hf = await new FakeHfServer().start();
    hf.script(NEXT_DAY, { kind: 'body', body: NEXT_DAY_BODY });
    const second = await w.startBot('+1470m', { DIGESTS_DIR: digestsDir, HF_API_URL: hf.url, HF_FETCH_AT: '03:00' });
    await second.waitForLog((l) => l.msg.includes('index current'), 'the index to be current');
    await w.settled();
    await second.stop();
    const seen = channelsShow(w);
    expect(
      hf.requests.some((r) => r.includes(NEXT_DAY)),
      JSON.stringify(hf.requests),
    ).toBe(true);
    expect({ discord: seen.discord, slack: seen.slack }, JSON.stringify(seen, null, 2)).toEqual(expected);
  },
);

it.skipIf(!existsSync(FAKETIME_LIB))(
  'SIGKILL while the late post is on its way, restarted after the claim lease: still once per channel, marked late, thread complete',
  { timeout: 240_000 },
  async () => {
    w = await postTodayThenStop();
    copyFileSync(join(RAW_DIR, '2026-08-21.json'), join(digestsDir, `${NEXT_DAY}.json`));
    // Both platforms take the late post, but their answers never come back before the kill.
    const postPath = new RegExp(`^/channels/${w.discord.channelId}/messages$`);
    const acceptedBefore = w.discord.requestsTo(postPath, 'POST').filter((r) => r.accepted).length;
    w.discord.fail({ method: 'POST', path: postPath, accept: true, delayMs: 30_000, times: 1 });
    w.slack.acceptThen('chat.postMessage', { delayMs: 30_000 });
    const slackBefore = w.slack.messages.length;
    const second = await w.startBot('+1470m', { DIGESTS_DIR: digestsDir });
    await until(
      () => w!.discord.requestsTo(postPath, 'POST').filter((r) => r.accepted).length > acceptedBefore && w!.slack.messages.length > slackBefore,
      'both platforms to take the late post',
      90_000,
    );
    await second.kill();

    w.discord.nonceWindowMs = 0;
    const third = await w.startBot('+1482m', { DIGESTS_DIR: digestsDir });
    await w.settled();
    await third.stop();
    const seen = channelsShow(w);
    expect({ discord: seen.discord, slack: seen.slack }, JSON.stringify(seen, null, 2)).toEqual(expected);
  },
);
