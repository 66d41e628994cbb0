import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';
import { ConsoleDelivery } from '../../../src/bots/console/consoleDelivery.js';
import { plain, type Reply } from '../../../src/model/reply.js';

const channel = { platform: 'console' as const, channelId: 'console' };
const text = (t: string): Reply => ({ visibility: 'channel', blocks: [{ kind: 'text', text: plain(t) }] });

function printed(): { delivery: ConsoleDelivery; output: () => string } {
  const out = new PassThrough();
  let all = '';
  out.on('data', (c: Buffer) => (all += String(c)));
  return { delivery: new ConsoleDelivery(out), output: () => all };
}

it('prints a keyed post once: sending its key again returns the first post, and findPosted knows it', async () => {
  const { delivery, output } = printed();
  const first = await delivery.post(channel, text('Trending papers of 23 November'), 'daily 2026-11-23');
  const again = await delivery.post(channel, text('Trending papers of 23 November'), 'daily 2026-11-23');
  expect(again).toEqual(first);
  expect(output().match(/Trending papers of 23 November/g)).toHaveLength(1);
  expect(await delivery.findPosted(channel, 'daily 2026-11-23', new Date(0))).toEqual(first);
  expect(await delivery.findPosted(channel, 'daily 2026-11-24', new Date(0))).toBeUndefined();
});

it('a keyed thread called again prints only the replies not printed yet', async () => {
  const { delivery, output } = printed();
  const parent = await delivery.post(channel, text('post'), 'k');
  await delivery.postInThread(channel, parent, 'Summaries', [text('summary one')], 'k');
  await delivery.postInThread(channel, parent, 'Summaries', [text('summary one'), text('summary two')], 'k');
  await delivery.postInThread(channel, parent, 'Summaries', [text('summary one'), text('summary two')], 'k');
  expect(output().match(/summary one/g)).toHaveLength(1);
  expect(output().match(/summary two/g)).toHaveLength(1);
});
