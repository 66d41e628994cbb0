import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { FakeHfServer } from '../fakes/hf/server.js';
import { TEAM_ID } from '../fakes/slack/fakeSlack.js';
import { RAW_DIR, SEEDS_DIR } from '../helpers/seeds.js';
import { E2eWorld, SLACK_CHANNEL, until } from './world.js';

/**
 * The real process with watches on the fake Discord and the fake Slack, a day's file that grows
 * after the first run (as Hugging Face's list for a day fills and the daily fetch rewrites it):
 * each new matching paper alerts once per channel; papers already known never do, whether they
 * come back under a second id, after a restart or with a changed DIGEST_YEAR.
 */
interface HfEntry {
  paper: { id: string; title: string };
  title: string;
}
const day: HfEntry[] = JSON.parse(readFileSync(join(RAW_DIR, '2026-08-21.json'), 'utf8')) as HfEntry[];
const byTitle = (start: string) => day.find((e) => e.paper.title.startsWith(start))!;
const [envHarness, facet, sweScience, fourD] = [byTitle('EnvHarness'), byTitle('FACET'), byTitle('SWE-bench Science'), byTitle('4DAnyone')];
/** A seed paper (listed there under a title id) brought again by the API under an arXiv id. */
const WEEDSENSE = 'WeedSense: Multi-Task Learning for Weed Segmentation, Height Estimation, and Growth Stage Classification';
const weedSenseAgain: HfEntry = { ...envHarness, title: WEEDSENSE, paper: { ...envHarness.paper, id: '2508.14486', title: WEEDSENSE } };

let w: E2eWorld;
let digestsDir = '';
const FILE = () => join(digestsDir, '2026-11-30.json');
beforeAll(async () => {
  w = await E2eWorld.start();
  digestsDir = mkdtempSync(join(tmpdir(), 'paperbot-digests-'));
  cpSync(SEEDS_DIR, digestsDir, { recursive: true });
});
afterAll(async () => {
  await w?.close();
  rmSync(digestsDir, { recursive: true, force: true });
});

const discordAlerts = () =>
  w.discord
    .channelMessages(w.discord.channelId)
    .filter((m) => m.author.id === w.discord.botUser.id)
    .map((m) => JSON.stringify(m));
const slackAlerts = () => w.slack.messages.filter((m) => m.channel === SLACK_CHANNEL && !m.thread_ts).map((m) => JSON.stringify(m));
const mentions = (alerts: string[], title: string) => alerts.filter((a) => a.includes(title.slice(0, 20))).length;

it('alerts once per channel for each matching paper added later to a day, none for papers already known', { timeout: 240_000 }, async () => {
  writeFileSync(FILE(), JSON.stringify([envHarness, facet]));
  const store = Store.openInDataDir(w.dataDir);
  const now = new Date();
  for (const channel of [
    { platform: 'discord' as const, workspaceId: w.discord.guildId, channelId: w.discord.channelId },
    { platform: 'slack' as const, workspaceId: TEAM_ID, channelId: SLACK_CHANNEL },
  ]) {
    for (const query of ['weedsense', 'swe-bench science', '4danyone']) store.watches.add(channel, query, undefined, now);
  }
  store.close();

  const first = await w.startBot(undefined, { DIGESTS_DIR: digestsDir });
  await first.waitForLog((l) => l.msg.startsWith('first run'), 'the first run baseline');
  await w.settled(3000);
  await first.kill();
  expect({ discord: discordAlerts().length, slack: slackAlerts().length }).toEqual({ discord: 0, slack: 0 });

  // Down meanwhile: the day's file gains a matching paper and a known paper under its arXiv id.
  writeFileSync(FILE(), JSON.stringify([envHarness, facet, sweScience, weedSenseAgain]));
  const second = await w.startBot(undefined, { DIGESTS_DIR: digestsDir });
  await until(() => discordAlerts().length >= 1 && slackAlerts().length >= 1, 'the first alerts', 90_000);
  // Running: the file is rewritten once more with one more matching paper.
  writeFileSync(FILE(), JSON.stringify([envHarness, facet, sweScience, weedSenseAgain, fourD]));
  await until(() => discordAlerts().length >= 2 && slackAlerts().length >= 2, 'the alerts for the rewritten file', 90_000);
  await w.settled(5000);
  await second.kill();

  // Restarted with another DIGEST_YEAR: the same papers, nothing new.
  const third = await w.startBot(undefined, { DIGESTS_DIR: digestsDir, DIGEST_YEAR: '2024' });
  await w.settled(6000);
  await third.kill();

  const seen = { discord: discordAlerts(), slack: slackAlerts(), logs: w.logMessages() };
  const why = JSON.stringify(seen, null, 2);
  for (const alerts of [seen.discord, seen.slack]) {
    expect(alerts, why).toHaveLength(2);
    expect(mentions(alerts, sweScience.paper.title), why).toBe(1);
    expect(mentions(alerts, fourD.paper.title), why).toBe(1);
    expect(mentions(alerts, 'WeedSense'), why).toBe(0);
  }
});

it("alerts once for a paper that the bot's own fetch adds to today's file on restart", { timeout: 240_000 }, async () => {
  const world = await E2eWorld.start();
  const dir = mkdtempSync(join(tmpdir(), 'paperbot-digests-'));
  const hf = await new FakeHfServer().start();
  try {
    cpSync(SEEDS_DIR, dir, { recursive: true });
    const today = new Date().toISOString().slice(0, 10);
    const store = Store.openInDataDir(world.dataDir);
    store.watches.add({ platform: 'slack', workspaceId: TEAM_ID, channelId: SLACK_CHANNEL }, 'swe-bench science', undefined, new Date());
    store.watches.add({ platform: 'discord', workspaceId: world.discord.guildId, channelId: world.discord.channelId }, 'swe-bench science', undefined, new Date());
    store.close();
    const env = { DIGESTS_DIR: dir, HF_API_URL: hf.url, HF_FETCH_AT: '03:00' };
    const alerts = () => ({
      discord: world.discord.channelMessages(world.discord.channelId).filter((m) => m.author.id === world.discord.botUser.id).length,
      slack: world.slack.messages.filter((m) => m.channel === SLACK_CHANNEL && !m.thread_ts).length,
    });

    hf.script(today, { kind: 'body', body: JSON.stringify([envHarness, facet]) });
    const first = await world.startBot(undefined, env);
    await until(() => existsSync(join(dir, `${today}.json`)), "the start-up fetch to save today's file", 60_000);
    await first.waitForLog((l) => l.msg === 'index updated' && l.papers === 206, 'the fetched day in the index');
    await world.settled(3000);
    await first.kill();
    expect(alerts()).toEqual({ discord: 0, slack: 0 });

    hf.script(today, { kind: 'body', body: JSON.stringify([envHarness, facet, sweScience]) });
    const second = await world.startBot(undefined, env);
    await until(() => alerts().discord >= 1 && alerts().slack >= 1, 'the alerts for the fetched paper', 90_000);
    await world.settled(4000);
    await second.kill();
    expect(alerts(), JSON.stringify(world.logMessages(), null, 2)).toEqual({ discord: 1, slack: 1 });
  } finally {
    await world.close();
    await hf.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
