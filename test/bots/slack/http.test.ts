import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CommandRouter } from '../../../src/commands/router.js';
import { coreCommands } from '../../../src/coreCommands.js';
import { PaperLibrary } from '../../../src/index/library.js';
import type { Reply } from '../../../src/model/reply.js';
import { BOT_USER_ID } from '../../fakes/slack/fakeSlack.js';
import { appMention, blockAction, formBody, interactionBody, slashCommand } from '../../fakes/slack/payloads.js';
import { signedPost } from '../../fakes/slack/signedRequest.js';
import { fixedClock, seedRouter } from '../../helpers/seeds.js';
import { SIGNING_SECRET, startHarness, type Harness } from './harness.js';
import { buttonsOf, headerOf, paperIdsOf, sectionTexts, type SentBlocks } from './slackMessage.js';

let h: Harness;
let n = 0;
beforeAll(async () => {
  h = await startHarness({ mode: 'http' });
  h.fake.users.set('UADMIN01', { is_admin: true });
  h.fake.users.set('UALICE01', { is_admin: false });
});
afterAll(() => h?.stop());
// Every message the bot sent passed Slack's Block Kit checks.
afterEach(() => expect(h.fake.rejections).toEqual([]));

/** What the same command returns from the shared router: Slack shows the same results as everywhere. */
async function expected(text: string): Promise<Reply> {
  const { router } = await seedRouter();
  return router.handle(text, { platform: 'slack' });
}

function fresh(prefix: string) {
  n++;
  return { trigger: `${prefix}-trigger-${n}`, channel: `C${prefix.toUpperCase()}${n}` };
}

async function slash(text: string, options: { user?: string } = {}) {
  const { trigger, channel } = fresh('cmd');
  const res = await signedPost(h.url, formBody(slashCommand({ text, trigger, channel, responseUrl: h.fake.responseUrl(trigger), ...options })), { secret: SIGNING_SECRET });
  return { res, trigger, channel };
}

const privateAnswer = (trigger: string) => h.fake.until(() => h.fake.responsesTo(trigger)[0]?.body, `the private answer to ${trigger}`);
const postsIn = (channel: string) =>
  h.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args['channel'] === channel)
    .map((c) => c.args);
const postIn = (channel: string, index = 0) => h.fake.until(() => postsIn(channel)[index], `post #${index + 1} in ${channel}`);

async function press(value: string, where: { channel: string; messageTs?: string; threadTs?: string }) {
  const trigger = `press-${++n}`;
  const payload = blockAction({ value, trigger, responseUrl: h.fake.responseUrl(trigger), ...where });
  const res = await signedPost(h.url, interactionBody(payload), { secret: SIGNING_SECRET });
  return { res, trigger };
}

async function mention(text: string, where: { channel: string; threadTs?: string; eventId?: string; retryNum?: number }) {
  const ts = `1700000500.${String(++n).padStart(6, '0')}`;
  const body = JSON.stringify(appMention({ text, ts, eventId: where.eventId ?? `Ev${n}`, channel: where.channel, ...(where.threadTs ? { threadTs: where.threadTs } : {}) }));
  const res = await signedPost(h.url, body, { secret: SIGNING_SECRET, contentType: 'application/json', ...(where.retryNum ? { retryNum: where.retryNum } : {}) });
  return { res, ts };
}

describe('/paper over HTTP', () => {
  it('find: acks at once with an empty body, then answers privately with a section per paper, bold matches and replay buttons', async () => {
    const { res, trigger, channel } = await slash('find moe routing');
    expect(res).toEqual({ status: 200, text: '' });
    const answer = (await privateAnswer(trigger)) as SentBlocks;
    const want = await expected('find moe routing');
    expect(answer['response_type']).toBe('ephemeral');
    expect(headerOf(answer)).toBe('Papers about “moe routing”');
    const cards = want.blocks.flatMap((b) => (b.kind === 'paper' ? [b.card] : []));
    expect(paperIdsOf(answer)).toEqual(cards.map((c) => c.id));
    const first = sectionTexts(answer).find((t) => t.includes(cards[0]!.id))!;
    expect(first).toContain(`*<${cards[0]!.links.primary}|${cards[0]!.title}>*`);
    for (const run of cards[0]!.snippet.filter((r) => r.mark)) expect(first).toContain(`*${run.text.trim()}*`);
    const values = buttonsOf(answer).map((b) => b.value);
    expect(values).toContain(`summary ${cards[0]!.id}`);
    expect(values).toContain(`like ${cards[0]!.id}`);
    expect(values).toContain('find moe routing --limit 5 --page 2');
    expect(values).toContain('find moe routing --limit 5 --page 1 --share');
    expect(postsIn(channel)).toEqual([]);
  });

  it('find --share posts the results to the channel instead', async () => {
    const { trigger, channel } = await slash('find moe routing --share');
    const post = await postIn(channel);
    expect(headerOf(post)).toBe('Papers about “moe routing”');
    expect(buttonsOf(post).map((b) => b.label)).not.toContain('Share to channel');
    expect(h.fake.responsesTo(trigger)).toEqual([]);
  });

  it('show answers privately with the abstract and the paper buttons', async () => {
    const want = await expected('find moe routing');
    const id = want.blocks.flatMap((b) => (b.kind === 'paper' ? [b.card.id] : []))[1]!;
    const { trigger } = await slash(`show ${id}`);
    const answer = (await privateAnswer(trigger)) as SentBlocks;
    expect(paperIdsOf(answer)).toEqual([id]);
    expect(sectionTexts(answer)[0]).toContain('Sparsely-gated');
    expect(buttonsOf(answer).map((b) => b.value)).toEqual([`summary ${id}`, `like ${id}`, `save ${id}`]);
  });

  it('trending week is posted to the channel', async () => {
    const { channel } = await slash('trending week');
    const post = await postIn(channel);
    const want = await expected('trending week');
    expect(headerOf(post)).toBe(want.blocks[0]!.kind === 'heading' ? want.blocks[0]!.text : '');
    expect(paperIdsOf(post)).toEqual(want.blocks.flatMap((b) => (b.kind === 'paper' ? [b.card.id] : [])));
  });

  it('summary posts a parent naming the paper, then the TL;DR and link as a thread reply under it', async () => {
    const id = 't-0970fa9b4b';
    const { channel, trigger } = await slash(`summary ${id}`);
    const reply = await postIn(channel, 1);
    const parent = postsIn(channel)[0]!;
    const parentTs = h.fake.messages.find((m) => m.channel === channel && !m.thread_ts)!.ts;
    expect(paperIdsOf(parent)).toEqual([id]);
    expect(sectionTexts(parent)[0]).toContain('Tutel: Adaptive Mixture-of-Experts at Scale');
    expect(reply['thread_ts']).toBe(parentTs);
    expect(headerOf(reply)).toBe('TL;DR (t-0970fa9b4b)');
    expect(JSON.stringify(reply['blocks'])).toContain('https://huggingface.co/papers?q=Tutel');
    expect(h.fake.responsesTo(trigger)).toEqual([]);
  });

  it('help lists the commands privately', async () => {
    const { trigger } = await slash('help');
    const answer = (await privateAnswer(trigger)) as SentBlocks;
    const text = sectionTexts(answer).join('\n');
    for (const name of ['find', 'show', 'trending', 'summary']) expect(text).toContain(`/paper ${name}`);
  });

  it('an unknown id gets a friendly private reply and a log line, never a stack trace', async () => {
    const { trigger } = await slash('show 9999.99999');
    const answer = (await privateAnswer(trigger)) as SentBlocks;
    expect(answer['response_type']).toBe('ephemeral');
    expect(sectionTexts(answer)[0]).toContain('No paper with id or title “9999.99999”');
    expect(JSON.stringify(answer)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('passes any text through to the router, with who asked and where', async () => {
    const { trigger, channel } = await slash('subscriptions --paused', { user: 'UADMIN01' });
    await privateAnswer(trigger);
    const call = h.routed.find((r) => r.context.channelId === channel)!;
    expect(call.input).toBe('subscriptions --paused');
    expect(call.context).toMatchObject({ platform: 'slack', userId: 'UADMIN01', workspaceId: 'TTEAM001', canManageChannel: true });
  });

  it('a member who is not a workspace admin cannot manage the channel', async () => {
    const { trigger, channel } = await slash('unsubscribe');
    await privateAnswer(trigger);
    expect(h.routed.find((r) => r.context.channelId === channel)!.context.canManageChannel).toBe(false);
  });

  it('Slack is asked about the member (users.info) only for commands that change channel settings', async () => {
    const asked = () => h.fake.callsTo('users.info').filter((c) => c.args['user'] === 'UCAROL01').length;
    for (const text of ['find moe routing', 'help', 'trending', 'subscriptions', 'find moe --limt 3']) {
      const { trigger, channel } = await slash(text, { user: 'UCAROL01' });
      await privateAnswer(trigger).catch(() => h.fake.until(() => postsIn(channel)[0], 'the channel post'));
      expect(h.routed.find((r) => r.context.channelId === channel)!.context.canManageChannel).toBeUndefined();
    }
    expect(asked()).toBe(0);
    const { trigger } = await slash('unsubscribe', { user: 'UCAROL01' });
    await privateAnswer(trigger);
    expect(asked()).toBe(1);
  });

  it('Slack-escaped text is unescaped before the router sees it', async () => {
    const { trigger, channel } = await slash('find R&amp;D &lt;tools&gt;');
    await privateAnswer(trigger);
    expect(h.routed.find((r) => r.context.channelId === channel)!.input).toBe('find R&D <tools>');
  });
});

describe('buttons', () => {
  it('"Summary" on a shared message threads the TL;DR under that message', async () => {
    const { channel } = await slash('find moe routing --share');
    await postIn(channel);
    const shared = h.fake.messages.find((m) => m.channel === channel)!;
    const summary = buttonsOf(postsIn(channel)[0]!).find((b) => b.label === 'Summary')!;
    await press(summary.value, { channel, messageTs: shared.ts });
    const reply = await postIn(channel, 1);
    expect(reply['thread_ts']).toBe(shared.ts);
    expect(headerOf(reply)).toBe(`TL;DR (${summary.value.split(' ')[1]})`);
    expect(paperIdsOf(reply)).toEqual([summary.value.split(' ')[1]]);
  });

  it('"Summary" on a private result starts a thread about the paper in the channel', async () => {
    const { channel } = fresh('btn');
    const { trigger } = await press('summary t-0970fa9b4b', { channel });
    const reply = await postIn(channel, 1);
    const parent = h.fake.messages.find((m) => m.channel === channel && !m.thread_ts)!;
    expect(paperIdsOf(postsIn(channel)[0]!)).toEqual(['t-0970fa9b4b']);
    expect(reply['thread_ts']).toBe(parent.ts);
    expect(h.fake.responsesTo(trigger)).toEqual([]);
  });

  it('"More like this" answers privately with similar papers', async () => {
    const { channel } = fresh('btn');
    const { res, trigger } = await press('like t-0970fa9b4b', { channel });
    expect(res.status).toBe(200);
    const answer = (await privateAnswer(trigger)) as SentBlocks;
    // On a private result it takes that message's place instead of stacking another one.
    expect(answer['replace_original']).toBe(true);
    expect(headerOf(answer)).toBe('More like “Tutel: Adaptive Mixture-of-Experts at Scale”');
    const want = await expected('like t-0970fa9b4b');
    expect(paperIdsOf(answer)).toEqual(want.blocks.flatMap((b) => (b.kind === 'paper' ? [b.card.id] : [])));
  });

  it('"Next page" answers with the next page, from the command in the button alone', async () => {
    const { channel } = fresh('btn');
    const { trigger } = await press('find moe routing --limit 5 --page 2', { channel });
    const answer = (await privateAnswer(trigger)) as SentBlocks;
    const want = await expected('find moe routing --limit 5 --page 2');
    expect(paperIdsOf(answer)).toEqual(want.blocks.flatMap((b) => (b.kind === 'paper' ? [b.card.id] : [])));
    expect(JSON.stringify(answer)).toContain('page 2 of');
  });

  it('"Share to channel" posts the results publicly and removes the private copy', async () => {
    const { channel } = fresh('btn');
    const { trigger } = await press('find moe routing --limit 5 --page 1 --share', { channel });
    const post = await postIn(channel);
    expect(headerOf(post)).toBe('Papers about “moe routing”');
    const removal = await privateAnswer(trigger);
    expect(removal).toEqual({ delete_original: true });
  });
});

describe('threads and mentions', () => {
  async function summaryThread() {
    const { channel } = await slash('summary t-0970fa9b4b');
    await postIn(channel, 1);
    const parent = h.fake.messages.find((m) => m.channel === channel && !m.thread_ts)!;
    return { channel, parentTs: parent.ts };
  }

  it('a question to the bot in a paper thread is asked about that paper and answered in the thread', async () => {
    const { channel, parentTs } = await summaryThread();
    h.fake.seedMessage({ channel, ts: '1700000400.000001', thread_ts: parentTs, user: 'UALICE01', text: 'nice' });
    await mention(`<@${BOT_USER_ID}> how many experts does it scale to?`, { channel, threadTs: parentTs });
    const call = await h.fake.until(() => h.routed.find((r) => r.context.channelId === channel && r.input !== 'summary t-0970fa9b4b'), 'the routed question');
    expect(call.input).toBe('ask how many experts does it scale to?');
    expect(call.context.threadPaperId).toBe('t-0970fa9b4b');
    const answered = await h.fake.until(
      () =>
        [...h.fake.callsTo('chat.postMessage'), ...h.fake.callsTo('chat.postEphemeral')].find(
          (c) => c.args['channel'] === channel && c.args['thread_ts'] === parentTs && !headerOf(c.args)?.startsWith('TL;DR'),
        ),
      'the answer in the thread',
    );
    expect(answered.args['thread_ts']).toBe(parentTs);
  });

  it('"@paperbot summary" in a thread summarises the thread\'s paper there', async () => {
    const { channel, parentTs } = await summaryThread();
    await mention(`<@${BOT_USER_ID}> summary`, { channel, threadTs: parentTs });
    const again = await postIn(channel, 2);
    expect(again['thread_ts']).toBe(parentTs);
    expect(headerOf(again)).toBe('TL;DR (t-0970fa9b4b)');
  });

  it('a mention outside a thread answers in a new thread under the mention', async () => {
    const { channel } = fresh('mention');
    const { ts } = await mention(`<@${BOT_USER_ID}> /paper trending`, { channel });
    const post = await postIn(channel);
    expect(post['thread_ts']).toBe(ts);
    expect(headerOf(post)).toMatch(/^Trending today/);
  });
});

describe('request verification and retries', () => {
  it('rejects a forged signature with 401 and runs nothing', async () => {
    const before = { routed: h.routed.length, calls: h.fake.calls.length };
    const body = formBody(slashCommand({ text: 'trending', trigger: 'forged', responseUrl: h.fake.responseUrl('forged') }));
    const res = await signedPost(h.url, body, { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    const tampered = await signedPost(h.url, body.replace('trending', 'help'), {
      secret: SIGNING_SECRET,
      signature: (await import('../../fakes/slack/signedRequest.js')).slackSignature(SIGNING_SECRET, Math.floor(Date.now() / 1000), body),
    });
    expect(tampered.status).toBe(401);
    expect(h.routed.length).toBe(before.routed);
    expect(h.fake.calls.length).toBe(before.calls);
  });

  it('rejects a correctly signed but stale request (over 5 minutes old) with 401', async () => {
    const before = h.routed.length;
    const body = formBody(slashCommand({ text: 'trending', trigger: 'stale', responseUrl: h.fake.responseUrl('stale') }));
    const res = await signedPost(h.url, body, { secret: SIGNING_SECRET, timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
    expect(h.routed.length).toBe(before);
    expect(h.fake.responsesTo('stale')).toEqual([]);
  });

  it('a retried slash command (X-Slack-Retry-Num) is acked but answered once', async () => {
    const { trigger, channel } = fresh('retry');
    const body = formBody(slashCommand({ text: 'find moe routing', trigger, channel, responseUrl: h.fake.responseUrl(trigger) }));
    expect((await signedPost(h.url, body, { secret: SIGNING_SECRET })).status).toBe(200);
    expect((await signedPost(h.url, body, { secret: SIGNING_SECRET, retryNum: 1 })).status).toBe(200);
    await h.fake.until(() => h.logs.find((l) => l.msg === 'duplicate slack delivery ignored' && l['key'] === `trigger:${trigger}`), 'the duplicate log line');
    await privateAnswer(trigger);
    expect(h.fake.responsesTo(trigger)).toHaveLength(1);
    expect(h.routed.filter((r) => r.context.channelId === channel)).toHaveLength(1);
  });

  it('a retried event is answered once', async () => {
    const { channel } = fresh('retry');
    await mention(`<@${BOT_USER_ID}> /paper trending`, { channel, eventId: 'EvRetry1' });
    await mention(`<@${BOT_USER_ID}> /paper trending`, { channel, eventId: 'EvRetry1', retryNum: 1 });
    await h.fake.until(() => h.logs.find((l) => l.msg === 'duplicate slack delivery ignored' && l['key'] === 'event:EvRetry1'), 'the duplicate log line');
    await postIn(channel);
    expect(postsIn(channel)).toHaveLength(1);
  });
});

describe('Slack API failures', () => {
  it('ratelimited (429 with Retry-After) becomes a private "try again in N seconds" with the answer, and a log line', async () => {
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const { trigger, channel } = await slash('trending');
    const answer = (await privateAnswer(trigger)) as SentBlocks;
    expect(sectionTexts(answer)[0]).toContain('Slack is rate-limiting me right now. Try again in 7 seconds.');
    expect(headerOf(answer)).toMatch(/^Trending today/);
    expect(postsIn(channel)).toHaveLength(1);
    expect(h.logs.find((l) => l['failure'] === 'rate_limited' && l['channel'] === channel)?.level).toBe(40);
  });

  it('a 500 from Slack becomes a private apology and a log line; the next command works', async () => {
    h.fake.failNext('chat.postMessage', { status: 500 });
    const { trigger, channel } = await slash('find moe routing --share');
    const answer = (await privateAnswer(trigger)) as SentBlocks;
    expect(sectionTexts(answer)[0]).toContain('Slack is having trouble (HTTP 500)');
    expect(h.logs.some((l) => l['failure'] === 'transient' && l['channel'] === channel)).toBe(true);
    const next = await slash('trending');
    expect(headerOf(await postIn(next.channel))).toMatch(/^Trending today/);
  });

  it('not_in_channel tells the user to invite the bot', async () => {
    h.fake.failNext('chat.postMessage', { error: 'not_in_channel' });
    const { trigger } = await slash('trending');
    const answer = (await privateAnswer(trigger)) as SentBlocks;
    expect(sectionTexts(answer)[0]!.replace(/\u200b/g, '')).toContain('Invite me with `/invite @paperbot`');
  });

  it('a failing users.info means "not a manager", and the command still runs', async () => {
    h.fake.failNext('users.info', { status: 500 });
    const { trigger, channel } = await slash('subscriptions --paused', { user: 'UADMIN02' });
    await privateAnswer(trigger);
    expect(h.routed.find((r) => r.context.channelId === channel)!.context.canManageChannel).toBe(false);
  });
});

describe('errors inside the bot', () => {
  /** The adapter holds the router it was started with: the test swaps what its `handle` does. */
  async function withHandle(handle: CommandRouter['handle'], run: () => Promise<void>) {
    const real = h.app.router.handle;
    h.app.router.handle = handle;
    try {
      await run();
    } finally {
      h.app.router.handle = real;
    }
  }

  it('while the index is still loading, the user is told to try again shortly', async () => {
    const loading = new CommandRouter(coreCommands({ library: new PaperLibrary(), clock: fixedClock() }));
    await withHandle(
      (input, context) => loading.handle(input, context),
      async () => {
        const { trigger } = await slash('find moe routing');
        const answer = (await privateAnswer(trigger)) as SentBlocks;
        expect(sectionTexts(answer)[0]).toBe('The paper index is still loading. Try again in a few seconds.');
      },
    );
  });

  it('a crash inside the adapter becomes an apology in chat and an error log line, and the bot keeps answering', async () => {
    await withHandle(
      () => Promise.reject(new Error('boom')),
      async () => {
        const { trigger } = await slash('trending');
        const answer = (await privateAnswer(trigger)) as SentBlocks;
        expect(sectionTexts(answer)[0]).toContain('Sorry, something went wrong on my side.');
        expect(JSON.stringify(answer)).not.toContain('boom');
      },
    );
    expect(h.logs.some((l) => l.level === 50 && l.msg === 'slack interaction failed')).toBe(true);
    const { trigger } = await slash('help');
    expect(sectionTexts((await privateAnswer(trigger)) as SentBlocks).join('\n')).toContain('/paper find');
  });

  it("acks before the command has finished, so a slow answer never misses Slack's 3 seconds", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const real = h.app.router.handle;
    const slow: CommandRouter['handle'] = async (input, context) => {
      await gate;
      return real(input, context);
    };
    await withHandle(slow, async () => {
      const { res, trigger } = await slash('help');
      expect(res.status).toBe(200);
      expect(h.fake.responsesTo(trigger)).toEqual([]);
      release();
      expect(sectionTexts((await privateAnswer(trigger)) as SentBlocks).join('\n')).toContain('/paper find');
    });
  });

  it('a private answer to a mention goes to the asker only, in the thread', async () => {
    const { channel } = fresh('mention');
    const { ts } = await mention(`<@${BOT_USER_ID}> /paper find moe routing`, { channel });
    const sent = await h.fake.until(() => h.fake.callsTo('chat.postEphemeral').find((c) => c.args['channel'] === channel)?.args, 'the ephemeral answer');
    expect(sent['user']).toBe('UALICE01');
    expect(sent['thread_ts']).toBe(ts);
    expect(headerOf(sent)).toBe('Papers about “moe routing”');
    expect(postsIn(channel)).toEqual([]);
  });
});
