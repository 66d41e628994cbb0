import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command, CommandContext, ParsedCommand } from '../../../src/commands/command.js';
import { CommandRouter } from '../../../src/commands/router.js';
import type { Paper } from '../../../src/model/paper.js';
import type { Json } from '../../fakes/discord/fakeDiscord.js';
import { buttonsOf, startHarness, visibleText, type Harness } from './harness.js';

const EPHEMERAL = 64;
const MANAGE_CHANNELS = 1n << 4n;

let h: Harness;
/** What the adapter handed to `ask`: the question and the context (thread paper, permissions). */
const asked: { command: ParsedCommand; context: CommandContext }[] = [];
/** The context of every command the adapter handed to the router. */
const routed: CommandContext[] = [];

beforeAll(async () => {
  h = await startHarness({
    app: (base) => {
      const commands = base.router.list().filter((c) => c.name !== 'help');
      const ask = commands.find((c) => c.name === 'ask')!;
      const spy: Command = {
        ...ask,
        run: (command, context) => {
          asked.push({ command, context });
          return ask.run(command, context);
        },
      };
      const router = new CommandRouter([spy, ...commands.filter((c) => c !== ask)], base.logger);
      const handle = router.handle.bind(router);
      router.handle = (input, context) => {
        routed.push(context);
        return handle(input, context);
      };
      return { ...base, router };
    },
  });
});
afterAll(() => h?.stop());

const str = (name: string, value: string, focused = false) => ({ name, type: 3, value, ...(focused ? { focused } : {}) });
const int = (name: string, value: number) => ({ name, type: 4, value });
const reply = (token: string) =>
  h.fake.waitFor(() => {
    const m = h.fake.original(token);
    return m && !m.loading ? m : undefined;
  }, `the reply to ${token}`);
const index = () => h.app.library.current();
/** The bot's active thread for a paper, opened with /paper summary when there is none yet. */
async function paperThread(paper: Paper): Promise<Json> {
  const open = h.fake.threads().find((t) => t.name === paper.title);
  if (open) return open;
  const starter = await reply(h.fake.slashCommand('summary', [str('id', paper.id)]));
  return h.fake.waitFor(() => h.fake.threads().find((t) => t.id === starter.id), 'thread');
}
const paperWithAbstract = (): Paper =>
  index()
    .papers()
    .find((p) => p.abstract.length > 200 && p.title.length < 90)!;

describe('/paper slash commands', () => {
  it('find: paper cards as embeds with buttons, privately, pinging nobody', async () => {
    const token = h.fake.slashCommand('find', [str('query', 'moe routing'), int('limit', 3)]);
    const msg = await reply(token);
    expect(msg.flags & EPHEMERAL).toBe(EPHEMERAL);
    const expected = index().search('moe routing', { limit: 3 });
    expect(msg.embeds).toHaveLength(3);
    expected.forEach((hit, n) => {
      const embed = msg.embeds[n] as Json;
      expect(embed.title.replace(/\\/g, '')).toBe(`${n + 1}. ${hit.paper.title}`);
      expect(embed.url).toMatch(/^https:\/\/huggingface\.co\//);
      expect(embed.footer.text).toContain(hit.paper.id);
      expect(embed.footer.text).toContain(`▲ ${hit.paper.upvotes}`);
    });
    expect(msg.embeds.some((e: Json) => /\*\*[^*]+\*\*/.test(e.description))).toBe(true);
    expect(msg.content).toContain('Papers about “moe routing”');
    const labels = buttonsOf(msg).map((b) => b.label);
    expect(labels).toEqual(expect.arrayContaining(['1 · Summary', '1 · More like this', 'Next page', 'Share to channel']));
    expect(buttonsOf(msg).every((b) => b.custom_id.startsWith('pb:') && b.custom_id.length <= 100)).toBe(true);
    expect(h.fake.callbacks(token)[0]!.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('a --flag typed inside the query means what it means on the console, Next page included', async () => {
    const three = await reply(h.fake.slashCommand('find', [str('query', 'kv cache compression --limit 3')]));
    expect(three.content).toContain('Papers about “kv cache compression”');
    expect(three.embeds).toHaveLength(3);

    const shared = await reply(h.fake.slashCommand('find', [str('query', 'diffusion --share'), int('limit', 2)]));
    expect(shared.flags & EPHEMERAL).toBe(0);
    const next = buttonsOf(shared).find((b) => b.label === 'Next page')!;
    expect(next.custom_id).toBe('pb:find diffusion --limit 2 --page 2 --share');

    const both = await reply(h.fake.slashCommand('find', [str('query', 'moe --limit 3'), int('limit', 5)]));
    expect(both.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(visibleText(both)).toMatch(/limit is given twice with different values \(3 and 5\)/);
    const typo = await reply(h.fake.slashCommand('find', [str('query', 'moe --limt 3')]));
    expect(visibleText(typo)).toMatch(/has no option --limt\. Its options: limit, page, has, share\./);
  });

  it('show: one paper in full with its details', async () => {
    const paper = paperWithAbstract();
    const msg = await reply(h.fake.slashCommand('show', [str('id', paper.id)]));
    expect(msg.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(msg.embeds[0].title.replace(/\\/g, '')).toBe(paper.title);
    expect(msg.embeds[0].description.replace(/\\/g, '')).toContain(paper.abstract.slice(0, 60));
    expect(buttonsOf(msg).map((b) => b.custom_id)).toEqual([`pb:summary ${paper.id}`, `pb:like ${paper.id}`, `pb:save ${paper.id}`]);
  });

  it('trending: the week, for the whole channel', async () => {
    const msg = await reply(h.fake.slashCommand('trending', [str('period', 'week'), int('limit', 2)]));
    expect(msg.flags & EPHEMERAL).toBe(0);
    expect(msg.content).toContain('Trending this week');
    expect(msg.embeds).toHaveLength(2);
    expect(h.fake.channelMessages(h.fake.channelId).map((m) => m.id)).toContain(msg.id);
  });

  it('help: the command list, privately', async () => {
    const msg = await reply(h.fake.slashCommand('help'));
    expect(msg.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(visibleText(msg)).toMatch(/\/paper find/);
  });

  it('ask: a cited answer for the channel', async () => {
    const msg = await reply(h.fake.slashCommand('ask', [str('question', 'which papers make mixture-of-experts inference faster?')]));
    expect(asked.at(-1)!.command).toEqual({ name: 'ask', args: 'which papers make mixture-of-experts inference faster?', flags: {} });
    expect(msg.flags & EPHEMERAL).toBe(0);
    expect(msg.embeds.length).toBeGreaterThan(0);
  });

  it('subscribe: refused for a member without Manage Channels, accepted with it', async () => {
    const refused = await reply(h.fake.slashCommand('subscribe', [str('time', '09:00'), str('timezone', 'Europe/Berlin'), int('top', 3)]));
    expect(refused.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(visibleText(await reply(h.fake.slashCommand('subscriptions')))).toMatch(/No daily post here/);
    const ok = await reply(h.fake.slashCommand('subscribe', [str('time', '09:00'), str('timezone', 'Europe/Berlin'), int('top', 3)], { permissions: MANAGE_CHANNELS }));
    expect(visibleText(ok)).toMatch(/09:00/);
    expect(visibleText(ok)).toMatch(/Europe\/Berlin/);
    const listed = await reply(h.fake.slashCommand('subscriptions'));
    expect(visibleText(listed)).toMatch(/Top 3 trending papers every day at 09:00 \(Europe\/Berlin\)/);
  });

  it('watch, watches, unwatch', async () => {
    await reply(h.fake.slashCommand('watch', [str('query', 'speculative decoding')], { permissions: MANAGE_CHANNELS }));
    expect(visibleText(await reply(h.fake.slashCommand('watches')))).toContain('speculative decoding');
    await reply(h.fake.slashCommand('unwatch', [str('query', 'speculative decoding')], { permissions: MANAGE_CHANNELS }));
    expect(visibleText(await reply(h.fake.slashCommand('watches')))).not.toContain('speculative decoding');
  });

  it('errors: an unknown id and an out-of-range option get a private, friendly reply and a log line', async () => {
    const unknown = await reply(h.fake.slashCommand('show', [str('id', 'no such paper zzqx')]));
    expect(unknown.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(visibleText(unknown)).not.toMatch(/at .*\.ts:\d+|Error:/);
    expect(h.logs.some((l) => l.code === 'not_found' && l.platform === 'discord')).toBe(true);
    const bad = await reply(h.fake.slashCommand('find', [str('query', 'moe'), int('limit', 99)]));
    expect(bad.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(visibleText(bad)).toMatch(/1 to 10/);
  });
});

describe('autocomplete', () => {
  it('completes a half-typed paper title: the papers whose title continues the phrase come first', async () => {
    const token = h.fake.autocomplete('show', [str('id', 'kv cache comp', true)]);
    const choices = (await h.fake.waitFor(() => h.fake.callbacks(token)[0], 'autocomplete')).data.choices as Json[];
    expect(h.fake.callbacks(token)[0]!.type).toBe(8);
    const continuing = index()
      .papers()
      .filter((p) => /kv cache comp/i.test(p.title));
    expect(continuing.length).toBeGreaterThan(1);
    expect(choices.length).toBeGreaterThanOrEqual(continuing.length);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(new Set(choices.slice(0, continuing.length).map((c) => c.value))).toEqual(new Set(continuing.map((p) => p.id)));
    for (const c of choices) expect(c.name.length).toBeLessThanOrEqual(100);
    expect(choices[0]!.name.endsWith(` · ${choices[0]!.value}`)).toBe(true);
  });

  it('completes a query as a query: the typed phrase finished, a few words long, not whole titles', async () => {
    const token = h.fake.autocomplete('find', [str('query', 'kv cache comp', true)]);
    const choices = (await h.fake.waitFor(() => h.fake.callbacks(token)[0], 'autocomplete')).data.choices as Json[];
    expect(choices.length).toBeGreaterThan(0);
    expect(choices[0]).toEqual({ name: 'kv cache compression', value: 'kv cache compression' });
    const titles = new Set(
      index()
        .papers()
        .map((p) => p.title.toLowerCase()),
    );
    for (const c of choices) {
      expect(c.value).toMatch(/^kv cache compression\b/);
      expect(c.value.split(' ').length).toBeLessThanOrEqual(5);
      expect(titles.has(c.value)).toBe(false);
    }
  });
});

describe('buttons', () => {
  it('Next and Previous page and More like this update the private result they are on; Share to channel posts for everyone', async () => {
    const first = await reply(h.fake.slashCommand('find', [str('query', 'diffusion'), int('limit', 2)]));
    const footers = (m: Json) => (m.embeds as Json[]).map((e) => e.footer.text as string);
    const page1 = footers(first);
    const privateMessages = () => [...h.fake.messages.values()].filter((m) => m.flags & EPHEMERAL).length;
    const before = privateMessages();
    const press = async (label: string) => {
      const button = buttonsOf(h.fake.messages.get(first.id)).find((b) => b.label === label)!;
      const token = h.fake.pressButton(first.id, button.custom_id);
      await h.fake.waitFor(() => h.fake.callbacks(token)[0], `the ${label} press`);
      return { button, token, message: h.fake.messages.get(first.id)! };
    };

    const next = await press('Next page');
    expect(next.button.custom_id).toBe('pb:find diffusion --limit 2 --page 2');
    expect(h.fake.callbacks(next.token)[0]!.type).toBe(7);
    expect(next.message.content).toContain('page 2 of');
    expect(footers(next.message)).not.toEqual(page1);

    const previous = await press('Previous page');
    expect(previous.button.custom_id).toBe('pb:find diffusion --limit 2 --page 1');
    expect(previous.message.content).toContain('page 1 of');
    expect(footers(previous.message)).toEqual(page1);
    expect(privateMessages()).toBe(before);

    const share = buttonsOf(first).find((b) => b.label === 'Share to channel')!;
    const shared = await reply(h.fake.pressButton(first.id, share.custom_id));
    expect(shared.id).not.toBe(first.id);
    expect(shared.flags & EPHEMERAL).toBe(0);
    expect(footers(shared)).toEqual(page1);

    const like = await press('1 · More like this');
    expect(h.fake.callbacks(like.token)[0]!.type).toBe(7);
    expect(like.message.content).toMatch(/More like/);
    expect(privateMessages()).toBe(before);
  });

  it('Next page of a shared result pages the public message and stays public', async () => {
    const shared = await reply(h.fake.slashCommand('find', [str('query', 'diffusion'), int('limit', 2), { name: 'share', type: 5, value: true }]));
    expect(shared.flags & EPHEMERAL).toBe(0);
    const next = buttonsOf(shared).find((b) => b.label === 'Next page')!;
    expect(next.custom_id).toBe('pb:find diffusion --limit 2 --page 2 --share');
    const token = h.fake.pressButton(shared.id, next.custom_id);
    await h.fake.waitFor(() => h.fake.callbacks(token)[0], 'the press');
    expect(h.fake.callbacks(token)[0]!.type).toBe(7);
    const paged = h.fake.messages.get(shared.id)!;
    expect(paged.flags & EPHEMERAL).toBe(0);
    expect(paged.content).toContain('page 2 of');
  });

  it('a button from another app or an older version gets a polite private note', async () => {
    const msg = await reply(h.fake.slashCommand('help'));
    const token = h.fake.pressButton(msg.id, 'legacy:42');
    expect(visibleText(await reply(token))).toMatch(/older version/);
  });
});

describe('paper threads', () => {
  it('/paper summary opens a thread named after the paper with the TL;DR; a second request reuses it', async () => {
    const paper = paperWithAbstract();
    const starter = await reply(h.fake.slashCommand('summary', [str('id', paper.id)]));
    expect(starter.flags & EPHEMERAL).toBe(0);
    const thread = await h.fake.waitFor(() => h.fake.threads().find((t) => t.id === starter.id), 'thread');
    expect(thread.name).toBe(paper.title);
    expect(thread.parent_id).toBe(h.fake.channelId);
    const posts = await h.fake.waitFor(() => {
      const m = h.fake.channelMessages(thread.id);
      return m.length > 0 ? m : undefined;
    }, 'TL;DR in thread');
    expect(posts[0]!.content).toContain('TL;DR');
    expect(visibleText(posts[0])).toContain(paper.arxivId ? `huggingface.co/papers/${paper.arxivId}` : 'huggingface.co/papers');
    expect(posts[0]!.allowed_mentions).toEqual({ parse: [] });

    const again = await reply(h.fake.slashCommand('summary', [str('id', paper.id)]));
    expect(again.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(again.content).toContain(`<#${thread.id}>`);
    expect(h.fake.threads().filter((t) => t.name === thread.name)).toHaveLength(1);
  });

  it('the Summary button on a trending post opens the thread, and pressing it again reuses it', async () => {
    const trending = await reply(h.fake.slashCommand('trending', [str('period', 'month'), int('limit', 1)]));
    const summary = buttonsOf(trending).find((b) => b.label === 'Summary')!;
    const before = h.fake.threads().length;
    const starter = await reply(h.fake.pressButton(trending.id, summary.custom_id));
    await h.fake.waitFor(() => h.fake.threads().find((t) => t.id === starter.id), 'thread');
    const second = await reply(h.fake.pressButton(trending.id, summary.custom_id, {}));
    expect(second.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(h.fake.threads()).toHaveLength(before + 1);
  });

  it('a message in a paper thread is a question about that paper', async () => {
    const paper = paperWithAbstract();
    const thread = await paperThread(paper);
    const before = h.fake.channelMessages(thread.id).length;
    h.fake.userMessage('who wrote it?', { channelId: thread.id });
    const answer = await h.fake.waitFor(() => h.fake.channelMessages(thread.id)[before], 'answer in thread');
    expect(asked.at(-1)!.context.threadPaperId).toBe(paper.id);
    expect(asked.at(-1)!.command.args).toBe('who wrote it?');
    expect(answer.allowed_mentions).toMatchObject({ parse: [] });
  });

  it('in a paper thread, "thanks!" gets no answer; a request or a mention does', async () => {
    const paper = paperWithAbstract();
    const thread = await paperThread(paper);
    const count = asked.length;
    const before = h.fake.channelMessages(thread.id).length;
    h.fake.userMessage('thanks!', { channelId: thread.id });
    h.fake.userMessage('nice one, agreed', { channelId: thread.id });
    h.fake.userMessage('summarise the method', { channelId: thread.id });
    await h.fake.waitFor(() => h.fake.channelMessages(thread.id).length > before && asked.length > count, 'the answer to the request');
    expect(asked.slice(count).map((a) => a.command.args)).toEqual(['summarise the method']);
    h.fake.userMessage(`<@${h.fake.botUser.id}> cool`, { channelId: thread.id, mentionBot: true });
    await h.fake.waitFor(() => h.fake.channelMessages(thread.id).length === before + 2, 'the answer to the mention');
    expect(asked.at(-1)!.command.args).toBe('cool');
    expect(
      h.fake
        .channelMessages(thread.id)
        .slice(before)
        .every((m) => m.author.id === h.fake.botUser.id),
    ).toBe(true);
  });

  it('/paper ask inside a paper thread also knows the paper', async () => {
    const paper = paperWithAbstract();
    const thread = await paperThread(paper);
    const msg = await reply(h.fake.slashCommand('ask', [str('question', 'what is it about?')], { channelId: thread.id }));
    expect(asked.at(-1)!.context).toMatchObject({ platform: 'discord', channelId: thread.id, threadPaperId: paper.id });
    expect(msg.channel_id).toBe(thread.id);
  });
});

describe('one context for every way in', () => {
  it('a slash command, a button and a mention by the same member carry the same context, with the permission Discord gives them', async () => {
    const results = await reply(h.fake.slashCommand('find', [str('query', 'moe routing')]));
    const fromSlash = routed.at(-1)!;
    expect(fromSlash).toEqual({ platform: 'discord', channelId: h.fake.channelId, workspaceId: h.fake.guildId, userId: '300000000000000001', userName: 'ada', canManageChannel: false });

    const next = buttonsOf(results).find((b) => b.label === 'Next page')!;
    await reply(h.fake.pressButton(results.id, next.custom_id, { permissions: MANAGE_CHANNELS }));
    expect(routed.at(-1)).toEqual({ ...fromSlash, canManageChannel: true });

    const mention = h.fake.userMessage(`<@${h.fake.botUser.id}> which papers are about moe routing?`, { mentionBot: true });
    await h.fake.waitFor(() => h.fake.channelMessages(h.fake.channelId).find((m) => m.message_reference?.message_id === mention), 'the answer to the mention');
    expect(routed.at(-1)).toEqual(fromSlash);
  });
});

describe('mentions', () => {
  it('@paperbot <question> is answered as ask, and nothing in it pings anyone or runs another command', async () => {
    const before = h.fake.channelMessages(h.fake.channelId).length;
    const subscriptionsBefore = visibleText(await reply(h.fake.slashCommand('subscriptions')));
    h.fake.userMessage(`<@${h.fake.botUser.id}> /paper unsubscribe --limit 99 @everyone <@123> **moe** routing?`, { mentionBot: true });
    const answer = await h.fake.waitFor(
      () =>
        h.fake
          .channelMessages(h.fake.channelId)
          .slice(before)
          .find((m) => m.message_reference),
      'mention answer',
    );
    expect(asked.at(-1)!.command).toEqual({ name: 'ask', args: '/paper unsubscribe --limit 99 @everyone <@123> **moe** routing?', flags: {} });
    expect(answer.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(visibleText(answer)).not.toMatch(/@everyone|<@123>/);
    expect(visibleText(await reply(h.fake.slashCommand('subscriptions')))).toBe(subscriptionsBefore);
  });

  it('a question DMed to the bot is answered in the DM', async () => {
    expect(h.fake.intents & (1 << 12)).toBe(1 << 12);
    const count = asked.length;
    expect(h.fake.directMessage('which papers are about moe routing?')).toBe(true);
    const dm = h.fake.dmChannelId();
    const answer = await h.fake.waitFor(() => h.fake.channelMessages(dm)[0], 'the answer in the DM');
    expect(asked.slice(count).map((a) => a.command.args)).toEqual(['which papers are about moe routing?']);
    expect(asked.at(-1)!.context).toMatchObject({ platform: 'discord', channelId: dm, canManageChannel: true });
    expect(visibleText(answer).length).toBeGreaterThan(0);
    expect(answer.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('a bare mention gets how to ask, not an error', async () => {
    const before = h.fake.channelMessages(h.fake.channelId).length;
    h.fake.userMessage(`<@${h.fake.botUser.id}>`, { mentionBot: true });
    const answer = await h.fake.waitFor(
      () =>
        h.fake
          .channelMessages(h.fake.channelId)
          .slice(before)
          .find((m) => m.message_reference),
      'the answer',
    );
    expect(visibleText(answer)).toContain('/paper ask question:<question>');
    expect(visibleText(answer)).toContain('/paper ask question:which papers make mixture-of-experts inference faster?');
  });

  it('a message that does not mention the bot, outside its threads, is ignored', async () => {
    const count = asked.length;
    h.fake.userMessage('just chatting about moe routing');
    // The next command is answered after the ignored message was processed (events arrive in order).
    await reply(h.fake.slashCommand('help'));
    expect(asked.length).toBe(count);
  });
});
