import {
  ApplicationCommandOptionType,
  REST,
  Routes,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { z } from 'zod';
import type { CommandDeclaration, OptionDeclaration, ParsedCommand } from '../../commands/command.js';
import { DECLARATIONS } from '../../commands/declarations.js';
import { parseArguments } from '../../commands/parseCommand.js';
import { UsageError } from '../../model/errors.js';
import { truncate } from './limits.js';

/** Discord's limit on command and option descriptions. */
const DESCRIPTION = 100;

/**
 * `/paper` with one subcommand per declared command and one typed option per declared option,
 * so what Discord offers is exactly what the console and Slack parse.
 */
export function paperCommand(declarations: readonly CommandDeclaration[] = DECLARATIONS): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    name: 'paper',
    description: 'Search and discuss the research-paper digests',
    type: 1,
    options: declarations.map(subcommand),
  };
}

function subcommand(declaration: CommandDeclaration): APIApplicationCommandSubcommandOption {
  // Discord wants required options first.
  const options = [...declaration.options].sort((a, b) => Number(b.required === true) - Number(a.required === true));
  return { type: ApplicationCommandOptionType.Subcommand, name: declaration.name, description: truncate(declaration.summary, DESCRIPTION), options: options.map(slashOption) };
}

function slashOption(option: OptionDeclaration): APIApplicationCommandBasicOption {
  const base = { name: option.name, description: truncate(option.description, DESCRIPTION), required: option.required === true };
  if (option.kind === 'boolean') return { ...base, type: ApplicationCommandOptionType.Boolean };
  if (option.kind === 'integer') {
    return { ...base, type: ApplicationCommandOptionType.Integer, ...(option.min !== undefined ? { min_value: option.min } : {}), ...(option.max !== undefined ? { max_value: option.max } : {}) };
  }
  if (option.choices) return { ...base, type: ApplicationCommandOptionType.String, choices: option.choices.map((c) => ({ name: c, value: c })) };
  return { ...base, type: ApplicationCommandOptionType.String, ...(option.max !== undefined ? { max_length: option.max } : {}), ...(option.autocomplete ? { autocomplete: true } : {}) };
}

/** Registers /paper globally, or in one server when `guildId` is given (instant, for iterating). */
export async function registerCommands(options: { token: string; applicationId: string; guildId?: string; apiUrl?: string }): Promise<{ scope: string; names: string[] }> {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const route = options.guildId ? Routes.applicationGuildCommands(options.applicationId, options.guildId) : Routes.applicationCommands(options.applicationId);
  const registered = (await rest.put(route, { body: [paperCommand()] })) as { name: string }[];
  return { scope: options.guildId ? `server ${options.guildId}` : 'every server (global)', names: registered.map((c) => c.name) };
}

/** Discord already types and bounds options; zod is the edge check that what arrives is what we registered. */
const OptionValue = z.union([z.string().max(500), z.number().int(), z.boolean()]);
const Options = z.array(z.object({ name: z.string().regex(/^[a-z]+$/), value: OptionValue }));

/**
 * `/paper find query:moe limit:3 share:true` → `{ name: 'find', args: 'moe', flags: { limit: '3', share: true } }`.
 * A `--flag` typed inside a text option means what it means on the console and Slack (people
 * paste examples from help and the README); given both ways with different values, it is refused.
 */
export function toParsedCommand(interaction: ChatInputCommandInteraction, lookup: (name: string) => CommandDeclaration | undefined): ParsedCommand {
  const name = interaction.options.getSubcommand(true);
  const declaration = lookup(name);
  const parsed = Options.safeParse(interaction.options.data[0]?.options ?? []);
  if (!declaration || !parsed.success) throw new UsageError(`Those options for /paper ${name} are not valid. Type /paper help command:${name} for the usage.`);
  const flags: Record<string, string | true> = {};
  const texts: string[] = [];
  const setFlag = (option: string, value: string | true) => {
    const before = flags[option];
    if (before !== undefined && before !== value) throw new UsageError(`${option} is given twice with different values (${show(before)} and ${show(value)}). Give it once.`);
    flags[option] = value;
  };
  for (const option of declaration.options) {
    const value = parsed.data.find((o) => o.name === option.name)?.value;
    if (value === undefined || value === false) continue;
    if (!option.positional) setFlag(option.name, value === true ? true : String(value));
    else {
      const inText = parseArguments(name, String(value), declaration, 'discord');
      texts.push(inText.args);
      for (const [flag, v] of Object.entries(inText.flags)) setFlag(flag, v);
    }
  }
  return { name, args: texts.filter(Boolean).join(' ').trim(), flags };
}

function show(value: string | true): string {
  return value === true ? 'on' : value;
}
