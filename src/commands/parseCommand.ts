import type { CommandDeclaration, ParsedCommand, Platform } from './command.js';
import { flagOptions, unknownOption } from './options.js';

/** Finds a command's declaration by name or alias. */
export type DeclarationLookup = (name: string) => CommandDeclaration | undefined;

/**
 * Parses command text the same way on every platform: an optional `/paper` prefix, the
 * command name, free text, and the command's declared `--flag [value]` options anywhere in it.
 */
export function parseCommandText(text: string, lookup?: DeclarationLookup, platform: Platform = 'console'): ParsedCommand {
  const trimmed = text
    .trim()
    .replace(/^\/?paper\b/i, '')
    .trim();
  const m = /^(\S*)\s*([\s\S]*)$/.exec(trimmed)!;
  const name = m[1]!.toLowerCase().replace(/^\//, '');
  return parseArguments(name, m[2]!, lookup?.(name), platform);
}

/**
 * The text after a command name, bound to its declaration: a declared flag takes the next word
 * as its value when it is not a switch. A `--word` the command does not declare is refused
 * when the command has flags (a typo should not silently search for "--limt"); a command
 * without flags (ask) keeps it as part of its text.
 */
export function parseArguments(name: string, text: string, declaration: CommandDeclaration | undefined, platform: Platform): ParsedCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const declared = declaration ? flagOptions(declaration) : [];
  const flags: Record<string, string | true> = {};
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const m = /^--([a-z][a-z-]*)(?:=(.*))?$/i.exec(w);
    if (!m) {
      rest.push(w);
      continue;
    }
    const flag = m[1]!.toLowerCase();
    const option = declared.find((o) => o.name === flag);
    if (declaration && !option) {
      if (declared.length > 0) throw unknownOption(declaration, flag, platform);
      rest.push(w);
      continue;
    }
    const takesValue = option !== undefined && option.kind !== 'boolean';
    if (m[2] !== undefined) flags[flag] = m[2];
    else if (takesValue && words[i + 1] !== undefined && !words[i + 1]!.startsWith('--')) flags[flag] = words[++i]!;
    else flags[flag] = true;
  }
  return { name, args: rest.join(' '), flags };
}
