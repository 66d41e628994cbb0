import { UsageError } from '../model/errors.js';
import type { CommandDeclaration, OptionDeclaration, ParsedCommand, Platform } from './command.js';

/** Discord types options (`limit:3`); the console and Slack read `--limit 3` from the text. */
const typedOptions = (platform: Platform): boolean => platform === 'discord';

/** What a command is typed after: `/paper find …` in chat, `paperbot find …` in a shell. */
const commandPrefix = (platform: Platform): string => (platform === 'cli' ? 'paperbot' : '/paper');

/** An integer's upper bound on the platform: a terminal has no message size limit, so the CLI may take more. */
function maxOf(option: OptionDeclaration, platform: Platform): number | undefined {
  return platform === 'cli' ? (option.cliMax ?? option.max) : option.max;
}

export function flagOptions(declaration: CommandDeclaration): OptionDeclaration[] {
  return declaration.options.filter((o) => !o.positional);
}

export function positionalOptions(declaration: CommandDeclaration): OptionDeclaration[] {
  return declaration.options.filter((o) => o.positional);
}

/** How a user writes this option on the platform: `--limit` or `limit:`. */
export function optionSyntax(option: Pick<OptionDeclaration, 'name'>, platform: Platform): string {
  return typedOptions(platform) ? `${option.name}:` : `--${option.name}`;
}

function valueHint(option: OptionDeclaration, platform: Platform): string {
  if (option.kind === 'integer') return `${option.min ?? 1}-${maxOf(option, platform) ?? 'N'}`;
  if (option.choices) return option.choices.join('|');
  return option.placeholder ?? option.name;
}

/** `/paper find <query> [--limit 1-10] …` on the console and Slack, `/paper find query:<query> [limit:1-10] …` on Discord. */
export function usageText(declaration: CommandDeclaration, platform: Platform): string {
  const typed = typedOptions(platform);
  const parts = [`${commandPrefix(platform)} ${declaration.name}`];
  for (const option of declaration.options) {
    let shown: string;
    if (typed) shown = `${option.name}:${option.kind === 'boolean' ? 'True' : `<${valueHint(option, platform)}>`}`;
    else if (option.positional) shown = option.choices ? valueHint(option, platform) : `<${valueHint(option, platform)}>`;
    else shown = option.kind === 'boolean' ? `--${option.name}` : `--${option.name} ${valueHint(option, platform)}`;
    if (!typed && option.positional && !option.required) shown = `[${shown.replace(/^<(.*)>$/, '$1')}]`;
    else if (!option.required) shown = `[${shown}]`;
    parts.push(shown);
  }
  return parts.join(' ');
}

/** An example written in console syntax, as the user types it on the platform. */
export function exampleText(declaration: CommandDeclaration, example: string, platform: Platform): string {
  if (!typedOptions(platform)) return `${commandPrefix(platform)} ${example}`;
  const words = example.trim().split(/\s+/).slice(1);
  const parts = [`/paper ${declaration.name}`];
  const positional = positionalOptions(declaration);
  const free: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const flag = /^--([a-z-]+)$/.exec(words[i]!);
    const option = flag ? declaration.options.find((o) => o.name === flag[1] && !o.positional) : undefined;
    if (!option) free.push(words[i]!);
    else if (option.kind === 'boolean') parts.push(`${option.name}:True`);
    else parts.push(`${option.name}:${words[++i] ?? ''}`);
  }
  // Free words fill the positional options in order; the last one takes the rest.
  const texts = positional.map((_, n) => (n === positional.length - 1 ? free.slice(n).join(' ') : (free[n] ?? '')));
  const typed = positional.map((o, n) => (texts[n] ? `${o.name}:${texts[n]}` : '')).filter(Boolean);
  return [parts[0], ...typed, ...parts.slice(1)].join(' ');
}

/**
 * Checks a parsed command against its declaration and fills in defaults, so a command reads
 * bounded values and every surface refuses the same mistakes with the same words.
 */
export function checkOptions(command: ParsedCommand, declaration: CommandDeclaration, platform: Platform): ParsedCommand {
  const flags: Record<string, string | true> = {};
  const usage = () => `Usage: \`${usageText(declaration, platform)}\`.`;
  for (const option of flagOptions(declaration)) {
    const raw = command.flags[option.name];
    const name = optionSyntax(option, platform).replace(/:$/, '');
    if (option.kind === 'boolean') {
      if (raw === true || raw === 'true') flags[option.name] = true;
      else if (raw !== undefined && raw !== 'false') throw new UsageError(`${name} is a switch: it takes no value (got “${raw}”). ${usage()}`);
    } else if (option.kind === 'integer') {
      if (raw === undefined) {
        if (option.default !== undefined) flags[option.name] = String(option.default);
        continue;
      }
      const n = raw === true ? NaN : Number(raw);
      const min = option.min ?? Number.MIN_SAFE_INTEGER;
      const max = maxOf(option, platform) ?? Number.MAX_SAFE_INTEGER;
      if (!Number.isInteger(n) || n < min || n > max) {
        throw new UsageError(`${name} takes a whole number from ${option.min ?? 1} to ${maxOf(option, platform) ?? 'any'}${raw === true ? '' : ` (got “${raw}”)`}. ${usage()}`);
      }
      flags[option.name] = String(n);
    } else if (raw !== undefined) {
      if (raw === true) throw new UsageError(`${name} needs a value. ${usage()}`);
      flags[option.name] = raw;
    }
  }
  for (const extra of Object.keys(command.flags)) {
    if (!declaration.options.some((o) => o.name === extra && !o.positional)) throw unknownOption(declaration, extra, platform);
  }
  const args = command.args.trim();
  const positional = positionalOptions(declaration);
  if (positional.length === 1) {
    const option = positional[0]!;
    if (!args && option.required) {
      const example = declaration.examples?.[0];
      throw new UsageError(`${commandPrefix(platform)} ${declaration.name} needs ${article(option)}${example ? `, e.g. \`${exampleText(declaration, example, platform)}\`` : ''}. ${usage()}`);
    }
    if (option.choices && args && !option.choices.includes(args.toLowerCase())) {
      throw new UsageError(`${capitalized(option.placeholder ?? option.name)} must be ${orList(option.choices)} (got “${args}”). ${usage()}`);
    }
    if (option.choices) return { name: declaration.name, args: args ? args.toLowerCase() : option.choices[0]!, flags };
  }
  return { name: declaration.name, args, flags };
}

export function unknownOption(declaration: CommandDeclaration, flag: string, platform: Platform): UsageError {
  const known = flagOptions(declaration).map((o) => optionSyntax(o, platform).replace(/:$/, ''));
  const which = known.length > 0 ? `Its options: ${known.join(', ')}.` : 'It takes no options.';
  return new UsageError(`${commandPrefix(platform)} ${declaration.name} has no option --${flag}. ${which} Usage: \`${usageText(declaration, platform)}\`.`);
}

/** A checked integer option (the router has applied bounds and the default). */
export function intOption(command: ParsedCommand, name: string): number {
  const n = Number(command.flags[name]);
  if (!Number.isInteger(n)) throw new Error(`option ${name} was not checked against its declaration`);
  return n;
}

export function boolOption(command: ParsedCommand, name: string): boolean {
  return command.flags[name] === true;
}

/** Whom the reply is for: the declared default, or the whole channel when `share` is set. */
export function visibilityOf(declaration: CommandDeclaration, command: ParsedCommand): 'ephemeral' | 'channel' {
  const shareable = declaration.options.some((o) => o.name === 'share' && o.kind === 'boolean');
  return shareable && command.flags['share'] === true ? 'channel' : declaration.visibility;
}

export function managesChannel(declaration: CommandDeclaration, command: ParsedCommand): boolean {
  const rule = declaration.managesChannel;
  return typeof rule === 'function' ? rule(command) : rule === true;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function article(option: OptionDeclaration): string {
  const what = option.name;
  return /^[aeiou]/i.test(what) ? `an ${what}` : `a ${what}`;
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** The paper option of show, summary and like: an id, or title words, completed as typed. */
export const PAPER_OPTION: OptionDeclaration = { name: 'id', kind: 'text', positional: true, placeholder: 'id', description: 'arXiv id or title words', max: 300, autocomplete: 'paper' };
