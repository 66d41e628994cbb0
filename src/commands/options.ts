import { UsageError } from '../model/errors.js';
import type { ParsedCommand } from './command.js';

/** An integer flag within bounds, or a UsageError that says what is allowed. */
export function intFlag(command: ParsedCommand, name: string, fallback: number, min: number, max: number): number {
  const raw = command.flags[name];
  if (raw === undefined) return fallback;
  const n = raw === true ? NaN : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} takes a whole number from ${min} to ${max}${raw === true ? '' : ` (got "${raw}")`}.`);
  }
  return n;
}
