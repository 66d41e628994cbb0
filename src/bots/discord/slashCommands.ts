import { REST, Routes, SlashCommandBuilder, type ChatInputCommandInteraction, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { z } from 'zod';
import type { ParsedCommand } from '../../commands/command.js';
import { UsageError } from '../../model/errors.js';

/**
 * `/paper` and its subcommands. Each subcommand is a router command of the same name; options
 * become the command's free text (`args`) or its flags, so no command logic lives here.
 */
export function paperCommand(): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return new SlashCommandBuilder()
    .setName('paper')
    .setDescription('Search and discuss the research-paper digests')
    .addSubcommand((s) =>
      s
        .setName('find')
        .setDescription('Search by topic, title words, acronym or organisation')
        .addStringOption((o) => o.setName('query').setDescription('What to look for, e.g. moe routing').setRequired(true).setAutocomplete(true).setMaxLength(200))
        .addIntegerOption((o) => o.setName('limit').setDescription('How many papers (1-10)').setMinValue(1).setMaxValue(10))
        .addBooleanOption((o) => o.setName('share').setDescription('Post the results for the whole channel')),
    )
    .addSubcommand((s) => s.setName('show').setDescription('One paper in full').addStringOption(paperIdOption))
    .addSubcommand((s) =>
      s
        .setName('trending')
        .setDescription('The most upvoted papers of the latest day, week or month')
        .addStringOption((o) =>
          o
            .setName('period')
            .setDescription('Which period (default: day)')
            .addChoices({ name: 'day', value: 'day' }, { name: 'week', value: 'week' }, { name: 'month', value: 'month' }),
        )
        .addIntegerOption((o) => o.setName('limit').setDescription('How many papers (1-10)').setMinValue(1).setMaxValue(10)),
    )
    .addSubcommand((s) => s.setName('summary').setDescription('A TL;DR of one paper, posted in a thread').addStringOption(paperIdOption))
    .addSubcommand((s) => s.setName('like').setDescription('Papers closest to a given one').addStringOption(paperIdOption))
    .addSubcommand((s) =>
      s
        .setName('ask')
        .setDescription('Ask a question about the digests')
        .addStringOption((o) => o.setName('question').setDescription('e.g. which papers make MoE inference faster?').setRequired(true).setMaxLength(500)),
    )
    .addSubcommand((s) =>
      s
        .setName('subscribe')
        .setDescription('Post the trending papers in this channel every day')
        .addStringOption((o) => o.setName('time').setDescription('Time of day as HH:MM, e.g. 09:00').setMaxLength(5))
        .addStringOption((o) => o.setName('timezone').setDescription('IANA time zone, e.g. Europe/Berlin').setMaxLength(64))
        .addIntegerOption((o) => o.setName('top').setDescription('How many papers per post (1-10)').setMinValue(1).setMaxValue(10)),
    )
    .addSubcommand((s) => s.setName('unsubscribe').setDescription('Stop the daily post in this channel'))
    .addSubcommand((s) =>
      s
        .setName('subscriptions')
        .setDescription('What this channel gets, and when')
        .addBooleanOption((o) => o.setName('paused').setDescription('List channels the bot stopped posting to (admins)')),
    )
    .addSubcommand((s) =>
      s
        .setName('watch')
        .setDescription('Alert this channel when new papers match a query')
        .addStringOption((o) => o.setName('query').setDescription('e.g. moe routing').setRequired(true).setMaxLength(200)),
    )
    .addSubcommand((s) =>
      s
        .setName('unwatch')
        .setDescription('Stop a watch in this channel')
        .addStringOption((o) => o.setName('query').setDescription('The watched query or its id').setRequired(true).setMaxLength(200)),
    )
    .addSubcommand((s) => s.setName('watches').setDescription("This channel's watches"))
    .addSubcommand((s) =>
      s
        .setName('help')
        .setDescription('What paperbot can do')
        .addStringOption((o) => o.setName('command').setDescription('Details of one command, e.g. find').setMaxLength(32)),
    )
    .toJSON();
}

/** Registers /paper globally, or in one server when `guildId` is given (instant, for iterating). */
export async function registerCommands(options: { token: string; applicationId: string; guildId?: string; apiUrl?: string }): Promise<{ scope: string; names: string[] }> {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const route = options.guildId ? Routes.applicationGuildCommands(options.applicationId, options.guildId) : Routes.applicationCommands(options.applicationId);
  const registered = (await rest.put(route, { body: [paperCommand()] })) as { name: string }[];
  return { scope: options.guildId ? `server ${options.guildId}` : 'every server (global)', names: registered.map((c) => c.name) };
}

function paperIdOption<T extends { setName(n: string): T; setDescription(d: string): T; setRequired(r: boolean): T; setAutocomplete(a: boolean): T; setMaxLength(n: number): T }>(o: T): T {
  return o.setName('id').setDescription('arXiv id or title words').setRequired(true).setAutocomplete(true).setMaxLength(300);
}

/** Options whose value is the command's free text; the others become `--flags`. */
const TEXT_OPTION: Readonly<Record<string, string>> = { find: 'query', show: 'id', summary: 'id', like: 'id', trending: 'period', ask: 'question', watch: 'query', unwatch: 'query', help: 'command' };

/** Discord already types and bounds options; zod is the edge check that what arrives is what we registered. */
const OptionValue = z.union([z.string().max(500), z.number().int(), z.boolean()]);
const Options = z.array(z.object({ name: z.string().regex(/^[a-z]+$/), value: OptionValue }));

/** `/paper find query:moe limit:3 share:true` → `{ name: 'find', args: 'moe', flags: { limit: '3', share: true } }`. */
export function toParsedCommand(interaction: ChatInputCommandInteraction): ParsedCommand {
  const name = interaction.options.getSubcommand(true);
  const parsed = Options.safeParse(interaction.options.data[0]?.options ?? []);
  if (!parsed.success) throw new UsageError(`Those options for /paper ${name} are not valid. Type /paper help ${name} for the usage.`);
  if (name === 'subscribe') return subscribeCommand(parsed.data);
  const flags: Record<string, string | true> = {};
  let args = '';
  for (const { name: option, value } of parsed.data) {
    if (option === TEXT_OPTION[name]) args = String(value).trim();
    else if (value === true) flags[option] = true;
    else if (value !== false) flags[option] = String(value);
  }
  return { name, args, flags };
}

/** The subscribe command reads its usage order, `[HH:MM] [IANA timezone] [top N]`, from free text. */
function subscribeCommand(options: z.infer<typeof Options>): ParsedCommand {
  const get = (n: string) => options.find((o) => o.name === n)?.value;
  const parts = [get('time'), get('timezone')].filter((v) => v !== undefined).map(String);
  const top = get('top');
  if (top !== undefined) parts.push(`top ${top}`);
  return { name: 'subscribe', args: parts.join(' '), flags: {} };
}
