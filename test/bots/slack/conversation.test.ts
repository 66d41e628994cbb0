import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { directMessage, formBody, slashCommand } from '../../fakes/slack/payloads.js';
import { signedPost } from '../../fakes/slack/signedRequest.js';
import { adapterDeps } from '../../../src/app.js';
import { createSlackAdapter } from '../../../src/bots/slack/slackBot.js';
import { slackSettings } from '../../../src/config.js';
import { SIGNING_SECRET, startHarness, type Harness } from './harness.js';
import { blocksOf, headerOf, paperIdsOf, sectionTexts, type SentBlocks } from './slackMessage.js';

let h: Harness;
let n = 0;
beforeAll(async () => {
  h = await startHarness({ mode: 'http' });
});
afterAll(() => h?.stop());
afterEach(() => expect(h.fake.rejections).toEqual([]));

const slash = (text: string, channel: string, user?: string) => h.slash(text, channel, user);
const press = (value: string, where: { channel: string; messageTs?: string }) => h.press(value, where);
const answerTo = (trigger: string) => h.fake.until(() => h.fake.responsesTo(trigger)[0]?.body as SentBlocks | undefined, `the answer to ${trigger}`);
const postsIn = (channel: string) =>
  h.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args['channel'] === channel)
    .map((c) => c.args as SentBlocks);
const buttonValue = (message: SentBlocks, label: string) =>
  (blocksOf(message) as Array<{ type: string; elements?: Array<{ text?: { text: string }; value?: string }> }>)
    .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
    .find((e) => e.text?.text === label)?.value;
const contextTexts = (message: SentBlocks) =>
  (blocksOf(message) as Array<{ type: string; elements?: Array<{ text?: string }> }>).flatMap((b) => (b.type === 'context' ? (b.elements ?? []).map((e) => e.text ?? '') : []));

describe('buttons update the message they are on', () => {
  it('Next and Previous page replace the private result (replace_original), with the same query and size', async () => {
    const first = await answerTo(await slash('find moe routing --limit 2', 'CPAGE1'));
    const next = buttonValue(first, 'Next page');
    expect(next).toBe('find moe routing --limit 2 --page 2');
    const page2 = await answerTo(await press(next!, { channel: 'CPAGE1' }));
    expect(page2['replace_original']).toBe(true);
    expect(JSON.stringify(page2)).toContain('page 2 of');
    const previous = buttonValue(page2, 'Previous page');
    expect(previous).toBe('find moe routing --limit 2 --page 1');
    const back = await answerTo(await press(previous!, { channel: 'CPAGE1' }));
    expect(back['replace_original']).toBe(true);
    expect(paperIdsOf(back)).toEqual(paperIdsOf(first));
  });

  it('Next page of a shared result replaces that channel message and stays shared', async () => {
    const trigger = await slash('find moe routing --limit 2 --share', 'CPAGE2');
    const shared = await h.fake.until(() => postsIn('CPAGE2')[0], 'the shared result');
    expect(h.fake.responsesTo(trigger)).toEqual([]);
    const next = buttonValue(shared, 'Next page');
    expect(next).toBe('find moe routing --limit 2 --page 2 --share');
    const ts = h.fake.messages.find((m) => m.channel === 'CPAGE2')!.ts;
    const page2 = await answerTo(await press(next!, { channel: 'CPAGE2', messageTs: ts }));
    expect(page2['replace_original']).toBe(true);
    expect(JSON.stringify(page2)).toContain('page 2 of');
    expect(postsIn('CPAGE2')).toHaveLength(1);
  });
});

describe('channel posts and threads', () => {
  it('a post for the whole channel says who asked, by name, pinging nobody', async () => {
    await slash('trending week', 'CWHO');
    const post = await h.fake.until(() => postsIn('CWHO')[0], 'the trending post');
    expect(contextTexts(post)).toContain('Asked by alice');
    expect(JSON.stringify(post)).not.toMatch(/<@U|<!/);
  });

  it('the same TL;DR asked twice reuses the first thread: one parent, one TL;DR, and a note pointing there', async () => {
    const paper = h.app.library.current().papers()[5]!;
    await slash(`summary ${paper.id}`, 'CTLDR');
    await h.fake.until(() => postsIn('CTLDR').length === 2 || undefined, 'the parent and the TL;DR');
    const [parent, tldr] = postsIn('CTLDR');
    expect(contextTexts(parent!)).toContain('TL;DR asked by alice');
    expect(headerOf(tldr!)).toMatch(/^TL;DR/);
    const again = await answerTo(await slash(`summary ${paper.id}`, 'CTLDR'));
    expect(sectionTexts(again)[0]).toContain('already has a thread in this channel');
    expect(postsIn('CTLDR')).toHaveLength(2);
  });

  it('after a restart the same TL;DR still reuses the first thread: the parent is found in the channel by its metadata', async () => {
    const paper = h.app.library.current().papers()[6]!;
    await slash(`summary ${paper.id}`, 'CTLDR2');
    await h.fake.until(() => postsIn('CTLDR2').length === 2 || undefined, 'the parent and the TL;DR');
    // A second adapter over the same app and Slack remembers nothing: as a restarted bot.
    const restarted = createSlackAdapter(adapterDeps(h.app), slackSettings(h.app.config)!, { listen: { port: 0, host: '127.0.0.1' }, retryConfig: { retries: 0 } });
    await restarted.start();
    try {
      const trigger = `conv-restart-${++n}`;
      await signedPost(
        `http://127.0.0.1:${restarted.port}/slack/events`,
        formBody(slashCommand({ text: `summary ${paper.id}`, trigger, channel: 'CTLDR2', responseUrl: h.fake.responseUrl(trigger) })),
        { secret: SIGNING_SECRET },
      );
      const again = await answerTo(trigger);
      expect(sectionTexts(again)[0]).toContain('already has a thread in this channel');
      expect(postsIn('CTLDR2')).toHaveLength(2);
    } finally {
      await restarted.stop();
    }
  });
});

describe('admins-and-subscriber (the default)', () => {
  it('in a channel nobody set up, a member subscribes; then another member may not change it, the subscriber may', async () => {
    h.fake.users.set('UBOB0001', { is_admin: false });
    h.fake.users.set('UCAROL01', { is_admin: false });
    await slash('subscribe 08:30 Europe/Berlin', 'CFRESH', 'UBOB0001');
    const post = await h.fake.until(() => postsIn('CFRESH')[0], 'the confirmation');
    expect(headerOf(post)).toBe('Subscribed to the daily post');
    const refused = await answerTo(await slash('unsubscribe', 'CFRESH', 'UCAROL01'));
    expect(sectionTexts(refused)[0]).toMatch(/only workspace admins or the member who set it up/);
    await slash('subscribe 09:15', 'CFRESH', 'UBOB0001');
    const updated = await h.fake.until(() => postsIn('CFRESH')[1], 'the update');
    expect(headerOf(updated)).toBe('Daily post updated');
    expect(h.app.store.subscriptions.all().find((sub) => sub.channelId === 'CFRESH')).toMatchObject({ postTime: '09:15', subscribedBy: 'UBOB0001' });
  });
});

describe('direct messages', () => {
  it('a question DMed to the bot (message.im) is answered in the DM', async () => {
    const before = h.routed.length;
    const event = directMessage({ text: 'which papers are about moe routing?', ts: '1700000700.000001', eventId: 'EvDm1', channel: 'DALICE01' });
    expect((await signedPost(h.url, JSON.stringify(event), { secret: SIGNING_SECRET, contentType: 'application/json' })).status).toBe(200);
    const answer = await h.fake.until(() => postsIn('DALICE01')[0], 'the answer in the DM');
    expect(h.routed.slice(before).map((r) => r.input)).toEqual(['ask which papers are about moe routing?']);
    expect(answer['thread_ts']).toBeUndefined();
    expect(contextTexts(answer)).not.toContain('Asked by alice');
  });

  it('a command in a DM runs, and a private answer is a plain message there', async () => {
    const event = directMessage({ text: 'paper find moe routing --limit 1', ts: '1700000700.000002', eventId: 'EvDm2', channel: 'DALICE02' });
    await signedPost(h.url, JSON.stringify(event), { secret: SIGNING_SECRET, contentType: 'application/json' });
    const answer = await h.fake.until(() => postsIn('DALICE02')[0], 'the answer in the DM');
    expect(paperIdsOf(answer)).toHaveLength(1);
    expect(h.fake.callsTo('chat.postEphemeral').filter((c) => c.args['channel'] === 'DALICE02')).toEqual([]);
  });

  it("the bot's own messages and edits in the DM are not answered", async () => {
    const before = h.routed.length;
    const own = directMessage({ text: 'hello', ts: '1700000700.000003', eventId: 'EvDm3', channel: 'DALICE03' });
    (own['event'] as Record<string, unknown>)['bot_id'] = 'BBOT0001';
    const edit = directMessage({ text: 'edited', ts: '1700000700.000004', eventId: 'EvDm4', channel: 'DALICE03' });
    (edit['event'] as Record<string, unknown>)['subtype'] = 'message_changed';
    for (const e of [own, edit]) await signedPost(h.url, JSON.stringify(e), { secret: SIGNING_SECRET, contentType: 'application/json' });
    await answerTo(await slash('help', 'CAFTERDM'));
    expect(h.routed.slice(before).map((r) => r.input)).toEqual(['help']);
  });
});
