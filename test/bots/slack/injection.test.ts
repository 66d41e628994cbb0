import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_USER_ID } from '../../fakes/slack/fakeSlack.js';
import { appMention, formBody, slashCommand } from '../../fakes/slack/payloads.js';
import { signedPost } from '../../fakes/slack/signedRequest.js';
import { SEEDS_DIR } from '../../helpers/seeds.js';
import { SIGNING_SECRET, startHarness, type Harness } from './harness.js';
import { blocksOf, headerOf, paperIdsOf, type SentBlocks } from './slackMessage.js';

/** A real seed digest whose first title tries to ping everyone and fake a link. */
const REAL_TITLE = 'WeedSense: Multi-Task Learning for Weed Segmentation, Height Estimation, and Growth Stage Classification';
const EVIL_TITLE = '<!channel> WeedSense & <@U123> <https://evil.test|click here>';

let h: Harness;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperbot-slack-'));
  const seed = readFileSync(join(SEEDS_DIR, '000_d79c0fbeffbda81e.txt'), 'utf8');
  expect(seed).toContain(REAL_TITLE);
  writeFileSync(join(dir, 'evil.txt'), seed.replace(REAL_TITLE, EVIL_TITLE));
  h = await startHarness({ mode: 'http', digestsDir: dir });
});
afterAll(async () => {
  await h?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Every string Slack parses as mrkdwn: section and context text, and the notification text. */
function mrkdwnOf(message: SentBlocks): string[] {
  const out = typeof message['text'] === 'string' ? [message['text']] : [];
  for (const b of blocksOf(message) as Array<{ text?: { type: string; text: string }; elements?: Array<{ type: string; text?: unknown }> }>) {
    if (b.text?.type === 'mrkdwn') out.push(b.text.text);
    for (const e of b.elements ?? []) if (e.type === 'mrkdwn' && typeof e.text === 'string') out.push(e.text);
  }
  return out;
}

function expectHarmless(message: SentBlocks) {
  const texts = mrkdwnOf(message).join('\n');
  expect(texts).not.toMatch(/<!channel>|<@U123>|<https:\/\/evil/);
  expect(texts).toContain('&lt;!channel&gt; WeedSense &amp; &lt;@U123&gt; &lt;https://evil.test|click here&gt;');
}

it('a digest title with <!channel>, <@U123> and a fake link is shown literally in a shared search', async () => {
  const body = formBody(slashCommand({ text: 'find weedsense --share', trigger: 'inj1', channel: 'CINJ1', responseUrl: h.fake.responseUrl('inj1') }));
  expect((await signedPost(h.url, body, { secret: SIGNING_SECRET })).status).toBe(200);
  const post = await h.fake.until(() => h.fake.callsTo('chat.postMessage').find((c) => c.args['channel'] === 'CINJ1')?.args, 'the shared search');
  expectHarmless(post);
});

it('and in a summary thread, parent and TL;DR alike; a mention there still finds the paper', async () => {
  const found = await h.app.router.handle('find weedsense', { platform: 'slack' });
  const id = found.blocks.flatMap((b) => (b.kind === 'paper' ? [b.card.id] : []))[0]!;
  const body = formBody(slashCommand({ text: `summary ${id}`, trigger: 'inj2', channel: 'CINJ2', responseUrl: h.fake.responseUrl('inj2') }));
  await signedPost(h.url, body, { secret: SIGNING_SECRET });
  const [parent, reply] = await h.fake.until(() => {
    const posts = h.fake.callsTo('chat.postMessage').filter((c) => c.args['channel'] === 'CINJ2');
    return posts.length >= 2 && posts.map((c) => c.args);
  }, 'the summary thread');
  expectHarmless(parent!);
  expect(mrkdwnOf(reply!).join('\n')).not.toMatch(/<!channel>|<@U123>/);
  expect(paperIdsOf(reply!)).toEqual([id]);

  const threadTs = h.fake.messages.find((m) => m.channel === 'CINJ2' && !m.thread_ts)!.ts;
  const event = appMention({ text: `<@${BOT_USER_ID}> who wrote it?`, ts: '1700000990.000001', eventId: 'EvInj', channel: 'CINJ2', threadTs });
  await signedPost(h.url, JSON.stringify(event), { secret: SIGNING_SECRET, contentType: 'application/json' });
  const asked = await h.fake.until(() => h.routed.find((r) => r.context.channelId === 'CINJ2' && String(r.input).startsWith('ask')), 'the routed question');
  expect(asked.context.threadPaperId).toBe(id);
  const answer = await h.fake.until(
    () =>
      [...h.fake.callsTo('chat.postMessage'), ...h.fake.callsTo('chat.postEphemeral')].find(
        (c) => c.args['channel'] === 'CINJ2' && c.args['thread_ts'] === threadTs && !headerOf(c.args)?.startsWith('TL;DR'),
      )?.args ?? false,
    'the answer in the thread',
  );
  expect(mrkdwnOf(answer).join('\n')).not.toMatch(/<!channel>|<@U123>/);
  expect(h.fake.rejections).toEqual([]);
});

describe('a corpus whose ids and titles carry Slack markup', () => {
  const ID = '2611.00667<!here>';
  const TITLE = 'S*: Test Time Scaling for _Code_ ~Generation~ with `tools`*';
  let corpus: Harness;
  let folder: string;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'paperbot-slack-corpus-'));
    const paper = (id: string, title: string, upvotes: number) => ({
      id,
      title,
      summary: `${title} improves test time scaling. It is evaluated on code.`,
      authors: ['A. Author'],
      publishedAt: '2026-11-20T00:00:00.000Z',
      upvotes,
    });
    writeFileSync(join(folder, 'papers.jsonl'), [paper(ID, TITLE, 50), paper('2611.00001', 'Plain Test Time Scaling', 10)].map((p) => JSON.stringify(p)).join('\n') + '\n');
    writeFileSync(
      join(folder, 'days.jsonl'),
      JSON.stringify({
        date: '2026-11-20',
        papers: [
          { id: ID, upvotes: 50 },
          { id: '2611.00001', upvotes: 10 },
        ],
      }) + '\n',
    );
    corpus = await startHarness({ mode: 'http', digestsDir: folder });
  });
  afterAll(async () => {
    await corpus?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('the id cannot ping and the title cannot format, in a channel post and its TL;DR thread', async () => {
    expect(corpus.app.library.current().get(ID)?.title).toBe(TITLE);
    await signedPost(corpus.url, formBody(slashCommand({ text: 'trending week', trigger: 'mk1', channel: 'CMARK', responseUrl: corpus.fake.responseUrl('mk1') })), { secret: SIGNING_SECRET });
    await signedPost(corpus.url, formBody(slashCommand({ text: 'summary 2611.00667&lt;!here&gt;', trigger: 'mk2', channel: 'CMARK2', responseUrl: corpus.fake.responseUrl('mk2') })), {
      secret: SIGNING_SECRET,
    });
    const posts = await corpus.fake.until(() => {
      const found = corpus.fake
        .callsTo('chat.postMessage')
        .filter((c) => String(c.args['channel']).startsWith('CMARK'))
        .map((c) => c.args as SentBlocks);
      return found.length >= 3 && found;
    }, 'the trending post and the TL;DR thread');
    for (const post of posts) {
      const texts = mrkdwnOf(post).join('\n');
      expect(texts).not.toContain('<!here>');
      // Each marker is fenced by zero-width spaces on both sides, so it pairs with nothing…
      // (titles in bold, `*<url|title>*` and a thread parent's `*title*`, and ids in code are the bot's own formatting).
      const own = texts.replace(/^:page_facing_up: \*(.*)\*$/gm, '$1').replace(/\*(<[^>\n]*>)\*/g, '$1');
      const unfenced = own.replace(/\u200b[*_~`]\u200b/g, '').replace(/`[^`\n]*`/g, '');
      expect(unfenced).not.toMatch(/[*_~`]/);
      // …and the title still reads (and copies) as written.
      if (texts.includes('Test Time Scaling for')) expect(texts.replace(/\u200b/g, '')).toContain(TITLE.replace(/[<>&]/g, ''));
    }
    const card = mrkdwnOf(posts.find((p) => paperIdsOf(p).includes(ID))!).join('\n');
    expect(card).toContain('`2611.00667&lt;!here&gt;`');
    expect(corpus.fake.rejections).toEqual([]);
  });
});
