import { LIMITS } from './limits.js';

/**
 * A button's custom id is `pb:` plus the command text it replays. All state lives in the id, so
 * a press works for anyone, and after a restart, without a lookup table.
 */
const PREFIX = 'pb:';

/** The custom id for a command, or undefined when it would not fit (the button is then left out). */
export function encodeCustomId(command: string): string | undefined {
  const id = PREFIX + command.trim();
  return id.length <= LIMITS.customId && id.length > PREFIX.length ? id : undefined;
}

/** The command text of one of our buttons, or undefined for a custom id we did not make. */
export function decodeCustomId(customId: string): string | undefined {
  if (!customId.startsWith(PREFIX)) return undefined;
  const command = customId.slice(PREFIX.length).trim();
  return command === '' ? undefined : command;
}
