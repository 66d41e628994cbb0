import { UsageError } from '../model/errors.js';
import { canonicalTimeZone } from '../time/schedule.js';
import type { ParsedCommand } from './command.js';

export const MAX_TOP = 10;

export interface SubscribeArgs {
  postTime: string;
  timezone: string;
  topN: number;
  /** The post ends with picks ranked by the channel's 👍, 👎 and saves. */
  forChannel: boolean;
}

/**
 * `subscribe`, `subscribe 9:30`, `subscribe 09:00 Europe/Berlin top 3`, in any order; what is
 * left out keeps the channel's current setting, else the configured default.
 */
export function parseSubscribeArgs(command: ParsedCommand, fallback: SubscribeArgs, usage: string): SubscribeArgs {
  const result = { ...fallback };
  const words = command.args.split(/\s+/).filter(Boolean);
  const picks = command.flags['picks'];
  if (picks !== undefined) {
    if (picks !== 'on' && picks !== 'off') throw new UsageError(`picks takes on or off${picks === true ? '' : ` (got “${picks}”)`}. Usage: \`${usage}\`.`);
    result.forChannel = picks === 'on';
  }
  const topFlag = command.flags['top'];
  if (typeof topFlag === 'string') words.push('top', topFlag);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const time = /^(\d{1,2}):(\d{2})$/.exec(word);
    if (time) {
      const [h, m] = [Number(time[1]), Number(time[2])];
      if (h > 23 || m > 59) throw new UsageError(`“${word}” is not a time of day. Use 24-hour HH:MM, e.g. 09:00 or 18:30.`);
      result.postTime = `${String(h).padStart(2, '0')}:${time[2]}`;
    } else if (/^top$/i.test(word) || /^\d+$/.test(word) || /^top\d+$/i.test(word)) {
      const raw = /^top$/i.test(word) ? words[++i] : word.replace(/^top/i, '');
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 1 || n > MAX_TOP) throw new UsageError(`top takes a number of papers from 1 to ${MAX_TOP}${raw ? ` (got “${raw}”)` : ''}.`);
      result.topN = n;
    } else {
      const zone = canonicalTimeZone(word);
      if (!zone) {
        throw new UsageError(
          word.includes('/') || /^[A-Z]{2,5}$/i.test(word)
            ? `“${word}” is not a time zone I know. Use an IANA name such as Europe/Berlin, America/New_York or UTC.`
            : `I don't understand “${word}”. Usage: \`${usage}\`.`,
        );
      }
      result.timezone = zone;
    }
  }
  return result;
}
