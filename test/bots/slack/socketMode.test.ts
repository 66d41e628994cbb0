import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BOT_USER_ID } from '../../fakes/slack/fakeSlack.js';
import { appMention, blockAction, directMessage, slashCommand } from '../../fakes/slack/payloads.js';
import { startHarness, type Harness } from './harness.js';
import { buttonsOf, headerOf, paperIdsOf, sectionTexts, type SentBlocks } from './slackMessage.js';

let h: Harness;
let n = 0;
beforeAll(async () => {
  h = await startHarness({ mode: 'socket' });
});
afterAll(() => h?.stop());
afterEach(() => expect(h.fake.rejections).toEqual([]));

const privateAnswer = (trigger: string) => h.fake.until(() => h.fake.responsesTo(trigger)[0]?.body as SentBlocks | undefined, `the private answer to ${trigger}`);
const postsIn = (channel: string) =>
  h.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args['channel'] === channel)
    .map((c) => c.args);
const postIn = (channel: string, index = 0) => h.fake.until(() => postsIn(channel)[index], `post #${index + 1} in ${channel}`);

async function slash(text: string) {
  n++;
  const trigger = `sock-${n}`;
  const channel = `CSOCK${n}`;
  const ack = await h.fake.sendEnvelope('slash_commands', slashCommand({ text, trigger, channel, responseUrl: h.fake.responseUrl(trigger) }));
  return { ack, trigger, channel };
}

describe('/paper over Socket Mode', () => {
  it('connects through apps.connections.open with the app token', () => {
    const open = h.fake.callsTo('apps.connections.open');
    expect(open.length).toBeGreaterThan(0);
    expect(open[0]!.token).toMatch(/^xapp-/);
    expect(h.bot.mode).toBe('socket');
  });

  it('find: acks the envelope, then answers privately', async () => {
    const { ack, trigger } = await slash('find moe routing');
    expect(ack).toEqual({});
    const answer = await privateAnswer(trigger);
    expect(headerOf(answer)).toBe('Papers about “moe routing”');
    expect(paperIdsOf(answer)).toHaveLength(5);
  });

  it('a DM to the bot (message.im) is answered in the DM', async () => {
    const event = directMessage({ text: 'which papers are about moe routing?', ts: '1700000800.000001', eventId: 'EvSockDm', channel: 'DSOCK01' });
    expect(await h.fake.sendEnvelope('events_api', event)).toEqual({});
    const answer = await postIn('DSOCK01');
    expect(answer['thread_ts']).toBeUndefined();
    expect(h.routed.some((r) => r.input === 'ask which papers are about moe routing?' && r.context.channelId === 'DSOCK01')).toBe(true);
  });

  it('find --share posts to the channel', async () => {
    const { channel } = await slash('find moe routing --share');
    expect(headerOf(await postIn(channel))).toBe('Papers about “moe routing”');
  });

  it('show, help and an unknown id answer privately', async () => {
    const show = await slash('show t-0970fa9b4b');
    expect(sectionTexts(await privateAnswer(show.trigger))[0]).toContain('Tutel: Adaptive Mixture-of-Experts at Scale');
    const help = await slash('help');
    expect(sectionTexts(await privateAnswer(help.trigger)).join('\n')).toContain('/paper find');
    const missing = await slash('show 9999.99999');
    expect(sectionTexts(await privateAnswer(missing.trigger))[0]).toContain('No paper with id or title');
  });

  it('trending month is posted to the channel', async () => {
    const { channel } = await slash('trending month');
    expect(headerOf(await postIn(channel))).toMatch(/^Trending this month/);
  });

  it('summary threads the TL;DR under a parent message', async () => {
    const { channel } = await slash('summary t-0970fa9b4b');
    const reply = await postIn(channel, 1);
    const parent = h.fake.messages.find((m) => m.channel === channel && !m.thread_ts)!;
    expect(reply['thread_ts']).toBe(parent.ts);
    expect(headerOf(reply)).toBe('TL;DR (t-0970fa9b4b)');
  });

  it('a button press replays its command', async () => {
    const trigger = `sock-press-${++n}`;
    const ack = await h.fake.sendEnvelope('interactive', blockAction({ value: 'like t-0970fa9b4b', trigger, responseUrl: h.fake.responseUrl(trigger), channel: 'CSOCKBTN' }));
    expect(ack).toEqual({});
    const answer = await privateAnswer(trigger);
    expect(headerOf(answer)).toBe('More like “Tutel: Adaptive Mixture-of-Experts at Scale”');
    expect(buttonsOf(answer).length).toBeGreaterThan(0);
  });

  it('a mention in a paper thread asks about that paper, and a redelivered event is answered once', async () => {
    const { channel } = await slash('summary t-0970fa9b4b');
    await postIn(channel, 1);
    const parent = h.fake.messages.find((m) => m.channel === channel && !m.thread_ts)!;
    const event = appMention({ text: `<@${BOT_USER_ID}> summary`, ts: '1700000900.000001', eventId: 'EvSock1', channel, threadTs: parent.ts });
    await h.fake.sendEnvelope('events_api', event);
    await h.fake.sendEnvelope('events_api', event, { retryAttempt: 1 });
    await h.fake.until(() => h.logs.find((l) => l.msg === 'duplicate slack delivery ignored' && l['key'] === 'event:EvSock1'), 'the duplicate log line');
    const again = await postIn(channel, 2);
    expect(again['thread_ts']).toBe(parent.ts);
    expect(h.routed.filter((r) => r.context.channelId === channel).map((r) => [r.input, r.context.threadPaperId])).toEqual([
      ['summary t-0970fa9b4b', undefined],
      ['summary', 't-0970fa9b4b'],
    ]);
    expect(postsIn(channel)).toHaveLength(3);
  });
});
