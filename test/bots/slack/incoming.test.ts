import { describe, expect, it } from 'vitest';
import { RecentKeys } from '../../../src/bots/slack/dedupe.js';
import { mentionCommand, mentionText, unescapeSlack } from '../../../src/bots/slack/incomingText.js';
import { ChannelManagers } from '../../../src/bots/slack/permissions.js';
import { threadPaperId } from '../../../src/bots/slack/threadPaper.js';
import { FixedClock } from '../../../src/clock.js';
import { silentLogger } from '../../../src/logger.js';

const isCommand = (name: string) => ['find', 'summary', 'help', 'trending'].includes(name);

describe('mention text', () => {
  it('drops the bot mention and unescapes what Slack escaped', () => {
    expect(mentionText('<@UBOT> does it beat R&amp;D &lt;baselines&gt;?', 'UBOT')).toBe('does it beat R&D <baselines>?');
    expect(mentionText('hey <@UBOT|paperbot> summary', 'UBOT')).toBe('hey summary');
    expect(mentionText('<@UOTHER> and <@UBOT> compare', 'UBOT')).toBe('<@UOTHER> and compare');
  });

  it('a question goes to ask, even when it starts with a command word', () => {
    expect(mentionCommand('what is the main result?', isCommand)).toBe('ask what is the main result?');
    expect(mentionCommand('find where they evaluate', isCommand)).toBe('ask find where they evaluate');
  });

  it('a lone command word or an explicit /paper command runs that command', () => {
    expect(mentionCommand('summary', isCommand)).toBe('summary');
    expect(mentionCommand('/paper find moe', isCommand)).toBe('/paper find moe');
    expect(mentionCommand('', isCommand)).toBe('');
  });

  it('slash command text is unescaped once, leaving other entities alone', () => {
    expect(unescapeSlack('a &amp;lt; b')).toBe('a &lt; b');
  });
});

describe('thread paper', () => {
  const bot = 'BBOT';
  const msg = (ts: string, ids: string[], botId: string | undefined = bot) => ({ ts, ...(botId ? { bot_id: botId } : {}), blocks: ids.map((id) => ({ block_id: `paper:${id}` })) });

  it('is the newest single-paper message of ours in the thread', () => {
    expect(threadPaperId([msg('1.1', ['a', 'b', 'c']), msg('1.2', ['b']), msg('1.3', [], undefined)], bot)).toBe('b');
    expect(threadPaperId([msg('1.1', ['a']), msg('1.2', ['b'])], bot)).toBe('b');
  });

  it('is unknown when the thread only lists several papers, or only others marked one', () => {
    expect(threadPaperId([msg('1.1', ['a', 'b'])], bot)).toBeUndefined();
    expect(threadPaperId([msg('1.1', ['a'], 'BOTHER')], bot)).toBeUndefined();
  });

  it('reads duplicate-suffixed block ids as the same paper', () => {
    expect(threadPaperId([{ ts: '1', bot_id: bot, blocks: [{ block_id: 'paper:x' }, { block_id: 'paper:x:2' }] }], bot)).toBe('x');
  });
});

describe('RecentKeys', () => {
  it('says yes once per key and forgets the oldest beyond its capacity', () => {
    const keys = new RecentKeys(2);
    expect([keys.first('a'), keys.first('a'), keys.first('b'), keys.first('c')]).toEqual([true, false, true, true]);
    expect(keys.size).toBe(2);
    expect(keys.first('a')).toBe(true);
    expect(keys.first('c')).toBe(false);
  });
});

describe('ChannelManagers', () => {
  const users: Record<string, object> = { UADMIN: { user: { is_admin: true } }, UOWNER: { user: { is_owner: true } }, UMEMBER: { user: {} } };
  const calls: string[] = [];
  const info = async (id: string) => {
    calls.push(id);
    if (!users[id]) throw new Error('user_not_found');
    return users[id];
  };

  it('admins and owners may manage; members and unknown users may not', async () => {
    const m = new ChannelManagers('admins', info, new FixedClock(new Date(0)), silentLogger);
    expect(await Promise.all(['UADMIN', 'UOWNER', 'UMEMBER', 'UGHOST'].map((u) => m.canManage(u)))).toEqual([true, true, false, false]);
  });

  it('"anyone" asks Slack nothing', async () => {
    calls.length = 0;
    expect(await new ChannelManagers('anyone', info, new FixedClock(new Date(0)), silentLogger).canManage('UMEMBER')).toBe(true);
    expect(calls).toEqual([]);
  });

  it('asks users.info once per user for five minutes', async () => {
    calls.length = 0;
    const clock = new FixedClock(new Date(0));
    const m = new ChannelManagers('admins-and-subscriber', info, clock, silentLogger);
    await m.canManage('UADMIN');
    clock.advance(4 * 60_000);
    await m.canManage('UADMIN');
    clock.advance(2 * 60_000);
    await m.canManage('UADMIN');
    expect(calls).toEqual(['UADMIN', 'UADMIN']);
  });
});
