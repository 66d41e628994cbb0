import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { paperCommand } from '../../src/bots/discord/slashCommands.js';
import { FixedClock } from '../../src/clock.js';
import type { CommandContext } from '../../src/commands/command.js';
import { DECLARATIONS } from '../../src/commands/declarations.js';
import { coreCommands } from '../../src/coreCommands.js';
import { readingListCommands } from '../../src/commands/readingList.js';
import { CommandRouter } from '../../src/commands/router.js';
import { subscriptionCommands } from '../../src/commands/subscribe.js';
import { tasteCommands } from '../../src/commands/taste.js';
import { watchCommands } from '../../src/commands/watch.js';
import { PaperLibrary } from '../../src/index/library.js';
import type { PaperIndex } from '../../src/index/paperIndex.js';
import { seedIndex } from '../helpers/seeds.js';
import { textOf, useTempStores } from '../scheduler/harness.js';

let index: PaperIndex;
beforeAll(async () => {
  index = await seedIndex();
});
const stores = useTempStores();
let router: CommandRouter;
beforeEach(() => {
  const library = new PaperLibrary(index);
  const clock = new FixedClock(new Date('2026-11-23T12:00:00Z'));
  const services = { store: stores.open(), clock, library, defaults: { postTime: '09:00', timezone: 'UTC' }, slackManagers: 'admins-and-subscriber' as const };
  router = new CommandRouter([...coreCommands({ library, clock }), ...subscriptionCommands(services), ...watchCommands(services), ...readingListCommands(services), ...tasteCommands(services)]);
});

const on = (platform: CommandContext['platform']): CommandContext => ({ platform, channelId: 'C1', userId: 'U1', canManageChannel: true });

describe('one declaration per command', () => {
  it('every command the bot runs has its /paper subcommand, with exactly its declared options', () => {
    const subcommands = paperCommand().options as { name: string; options?: { name: string; type: number; required?: boolean }[] }[];
    expect(router.list().length).toBeGreaterThan(10);
    expect(subcommands.map((s) => s.name).sort()).toEqual(
      router
        .list()
        .map((c) => c.name)
        .sort(),
    );
    const discordType = { text: 3, integer: 4, boolean: 5 } as const;
    for (const command of router.list()) {
      const sub = subcommands.find((s) => s.name === command.name)!;
      expect(DECLARATIONS.find((d) => d.name === command.name)?.options).toEqual(command.options);
      expect((sub.options ?? []).map((o) => [o.name, o.type, o.required]).sort()).toEqual(command.options.map((o) => [o.name, discordType[o.kind], o.required === true]).sort());
    }
  });

  it("the generated /paper follows Discord's rules for commands and options", () => {
    const paper = paperCommand();
    type Option = { name: string; description: string; required?: boolean; options?: Option[]; choices?: unknown[]; autocomplete?: boolean };
    const subcommands = paper.options as Option[];
    expect(subcommands.length).toBeLessThanOrEqual(25);
    for (const item of [paper as Option, ...subcommands, ...subcommands.flatMap((s) => s.options ?? [])]) {
      expect(item.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(item.description.length).toBeGreaterThan(0);
      expect(item.description.length).toBeLessThanOrEqual(100);
      expect(item.choices !== undefined && item.autocomplete === true).toBe(false);
    }
    for (const sub of subcommands) {
      const required = (sub.options ?? []).map((o) => o.required === true);
      expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
    }
  });

  it('help shows each platform its own syntax', async () => {
    const console = textOf(await router.handle('help find', on('console')));
    expect(console).toContain('/paper find <query> [--limit 1-10] [--page 1-1000] [--has code] [--share]');
    expect(console).toContain('/paper find kv cache compression --limit 3');
    const discord = textOf(await router.handle({ name: 'help', args: 'find', flags: {} }, on('discord')));
    expect(discord).toContain('/paper find query:<query> [limit:<1-10>] [page:<1-1000>] [has:<code>] [share:True]');
    expect(discord).toContain('/paper find query:kv cache compression limit:3');
    expect(discord).not.toContain('--');
    expect(textOf(await router.handle({ name: 'help', args: 'subscribe', flags: {} }, on('discord')))).toContain('/paper subscribe time:18:30 timezone:America/New_York top:10');
  });

  it('a mistaken option is refused with the same words wherever it is typed, in the platform syntax', async () => {
    const consoleReply = await router.handle('find moe --limt 3', on('slack'));
    expect(consoleReply.error?.code).toBe('usage');
    expect(textOf(consoleReply)).toMatch(/\/paper find has no option --limt\. Its options: --limit, --page, --has, --share\./);
    const discordReply = await router.handle('find moe --limit 30', on('discord'));
    expect(textOf(discordReply)).toMatch(/^limit takes a whole number from 1 to 10 \(got “30”\)\. Usage: `\/paper find query:<query> \[limit:<1-10>\]/);
  });

  it('every option name is one Discord accepts and the Discord adapter reads back (lower-case letters)', () => {
    const names = DECLARATIONS.flatMap((d) => d.options.map((o) => o.name));
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(name).toMatch(/^[a-z]{1,32}$/);
  });

  it("a command's own usage errors use the platform syntax too", async () => {
    const discord = textOf(await router.handle({ name: 'subscribe', args: 'someday', flags: {} }, on('discord')));
    expect(discord).toContain('Usage: `/paper subscribe [time:<HH:MM>] [timezone:<IANA timezone>] [top:<1-10>] [picks:<on|off>] [weekly:<weekday>]`');
    const slack = textOf(await router.handle('subscribe someday', on('slack')));
    expect(slack).toContain('Usage: `/paper subscribe [HH:MM] [IANA timezone] [--top 1-10] [--picks on|off] [--weekly weekday]`');
    expect(textOf(await router.handle({ name: 'show', args: '', flags: {} }, on('discord')))).toContain('`/paper show id:<id>`');
    const watches = textOf(await router.handle({ name: 'watches', args: '', flags: {} }, on('discord')));
    expect(watches).toContain('Add one with /paper watch query:<words>, e.g. /paper watch query:moe routing.');
    const overview = textOf(await router.handle({ name: 'subscriptions', args: '', flags: {} }, on('discord')));
    expect(overview).toContain('Start one with /paper subscribe time:09:00 timezone:Europe/Berlin');
  });

  it('a command without flags keeps a --word as part of its text', () => {
    expect(router.parse('ask what does --share do?', 'console')).toEqual({ name: 'ask', args: 'what does --share do?', flags: {} });
  });

  it('the reply visibility of a command is its declaration, or the channel with --share', () => {
    expect(router.visibility(router.parse('find moe', 'console'))).toBe('ephemeral');
    expect(router.visibility(router.parse('find moe --share', 'console'))).toBe('channel');
    expect(router.visibility(router.parse('trending', 'console'))).toBe('channel');
    expect(router.needsPermission(router.parse('find moe', 'slack'))).toBe(false);
    expect(router.needsPermission(router.parse('subscribe 09:00', 'slack'))).toBe(true);
    expect(router.needsPermission(router.parse('subscriptions', 'slack'))).toBe(false);
    expect(router.needsPermission(router.parse('subscriptions --paused', 'slack'))).toBe(true);
  });
});
