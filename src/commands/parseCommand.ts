import type { ParsedCommand } from './command.js';

/** Flags that take a value; every other `--flag` is a switch. */
const VALUE_FLAGS = new Set(['limit', 'page', 'period', 'digests']);

/**
 * Parses command text the same way on every platform: an optional `/paper` prefix, the
 * command name, free text, and `--flag [value]` options anywhere in it.
 */
export function parseCommandText(text: string): ParsedCommand {
  const words = text
    .trim()
    .replace(/^\/?paper\b/i, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const name = (words.shift() ?? '').toLowerCase().replace(/^\//, '');
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
    if (m[2] !== undefined) flags[flag] = m[2];
    else if (VALUE_FLAGS.has(flag) && words[i + 1] !== undefined && !words[i + 1]!.startsWith('--')) flags[flag] = words[++i]!;
    else flags[flag] = true;
  }
  return { name, args: rest.join(' '), flags };
}

/** The text a button replays: the inverse of parseCommandText for the flags we emit. */
export function commandText(name: string, args: string, flags: Record<string, string | number | true> = {}): string {
  const parts = [name];
  if (args) parts.push(args);
  for (const [k, v] of Object.entries(flags)) parts.push(v === true ? `--${k}` : `--${k} ${v}`);
  return parts.join(' ');
}
