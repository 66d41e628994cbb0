/** The text a button replays: the inverse of parseCommandText for the flags we emit. */
export function commandText(name: string, args: string, flags: Record<string, string | number | true> = {}): string {
  const parts = [name];
  if (args) parts.push(args);
  for (const [k, v] of Object.entries(flags)) parts.push(v === true ? `--${k}` : `--${k} ${v}`);
  return parts.join(' ');
}
