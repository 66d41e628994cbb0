import { NotFoundError, UsageError } from '../model/errors.js';
import { plain, type Block, type Reply } from '../model/reply.js';
import type { Store } from '../store/store.js';
import type { ChannelKey } from '../store/types.js';
import { WEEKLY, type WeeklySubscription } from '../store/weeklyRepo.js';
import { humanDate } from '../time/days.js';
import { isoWeek, nextWeeklySlot, parseWeekday, weekdayName } from '../time/weekly.js';
import { formatLocal, localDay } from '../time/schedule.js';
import { assertCanManage, channelOf, type ChannelSettingsServices } from './channelAccess.js';
import type { CommandContext, ParsedCommand } from './command.js';
import { parseSubscribeArgs } from './subscribeArgs.js';

const DEFAULT_TOP = 5;
const DEFAULT_WEEKDAY = 1;

/** `subscribe weekly …`, `subscribe --weekly Mon …`, `unsubscribe weekly`, `unsubscribe --weekly`: about the weekly digest. */
export function isWeekly(command: ParsedCommand): boolean {
  return command.flags['weekly'] !== undefined || /^weekly\b/i.test(command.args.trim());
}

/** The weekly digest's settings: a weekday, and the daily post's time, zone and top N words. */
export function parseWeeklyArgs(
  command: ParsedCommand,
  fallback: Pick<WeeklySubscription, 'weekday' | 'postTime' | 'timezone' | 'topN'>,
  usage: string,
): Pick<WeeklySubscription, 'weekday' | 'postTime' | 'timezone' | 'topN'> {
  const words = command.args.trim().split(/\s+/).filter(Boolean);
  if (words[0]?.toLowerCase() === 'weekly') words.shift();
  const flag = command.flags['weekly'];
  if (typeof flag === 'string') words.unshift(flag);
  let weekday = fallback.weekday;
  const rest: string[] = [];
  for (const word of words) {
    const day = /^[a-z]+$/i.test(word) ? parseWeekday(word) : undefined;
    if (day !== undefined) weekday = day;
    else rest.push(word);
  }
  const { weekly: _weekly, ...flags } = command.flags;
  if (flags['picks'] !== undefined) throw new UsageError(`picks is for the daily post; the weekly digest has its best papers and late bloomers. Usage: \`${usage}\`.`);
  const { forChannel: _picks, ...args } = parseSubscribeArgs({ ...command, args: rest.join(' '), flags }, { ...fallback, forChannel: false }, usage);
  return { ...args, weekday };
}

export function subscribeWeekly({ store, clock, defaults, slackManagers }: ChannelSettingsServices, command: ParsedCommand, context: CommandContext, usage: string): Reply {
  const channel = channelOf(context);
  const current = store.weekly.get(channel);
  const daily = store.subscriptions.get(channel);
  const watches = store.watches.forChannel(channel);
  assertCanManage(context, slackManagers, [current?.subscribedBy, daily?.subscribedBy, ...watches.map((w) => w.createdBy)], !current && !daily && watches.length === 0);
  const wanted = parseWeeklyArgs(
    command,
    {
      weekday: current?.weekday ?? DEFAULT_WEEKDAY,
      postTime: current?.postTime ?? defaults.postTime,
      timezone: current?.timezone ?? defaults.timezone,
      topN: current?.topN ?? DEFAULT_TOP,
    },
    usage,
  );
  const now = clock.now();
  const sub = store.weekly.upsert({ ...channel, ...wanted, ...(context.userId ? { subscribedBy: context.userId } : {}) }, now);
  const resumed = store.pauses.resume(channel);
  const blocks: Block[] = [
    { kind: 'heading', text: current ? 'Weekly digest updated' : 'Subscribed to the weekly digest' },
    { kind: 'text', text: plain(`${describeWeekly(sub)} ${nextWeeklyText(store, sub, now)}`) },
  ];
  if (resumed) blocks.push({ kind: 'context', text: 'This channel was paused after a failed post; posting here again.' });
  blocks.push({ kind: 'context', text: 'The week’s best papers by upvotes, then the late bloomers: papers whose upvotes grew most after their own day. Stop with /paper unsubscribe weekly.' });
  return { visibility: 'channel', blocks };
}

export function unsubscribeWeekly({ store, slackManagers }: ChannelSettingsServices, context: CommandContext): Reply {
  const channel = channelOf(context);
  const current = store.weekly.get(channel);
  if (!current) throw new NotFoundError('This channel has no weekly digest to stop. /paper subscriptions shows what it gets.');
  assertCanManage(context, slackManagers, [current.subscribedBy]);
  store.weekly.delete(channel);
  return {
    visibility: 'channel',
    blocks: [
      { kind: 'heading', text: 'Weekly digest stopped' },
      { kind: 'text', text: plain('This channel no longer gets the weekly digest. Its daily post, if any, stays. Subscribe again with /paper subscribe weekly Mon 09:00.') },
    ],
  };
}

/** What `subscriptions` says about the weekly digest. */
export function weeklyOverview(store: Store, channel: ChannelKey, now: Date): Block[] {
  const sub = store.weekly.get(channel);
  if (!sub) return [{ kind: 'context', text: 'No weekly digest. Start one with /paper subscribe weekly Mon 09:00 Europe/Berlin.' }];
  const blocks: Block[] = [{ kind: 'text', text: plain(`${describeWeekly(sub)} ${nextWeeklyText(store, sub, now)}`) }];
  const last = store.posts.latest(channel, WEEKLY);
  if (last) {
    const status = {
      sent: `sent${last.late ? ' late' : ''}${last.sentAt ? ` ${formatLocal(last.sentAt, sub.timezone)}` : ''}`,
      claimed: 'being sent now',
      retry: `failed, retrying (${last.error ?? 'temporary error'})`,
      failed: `not sent (${last.error ?? 'error'})`,
      unconfirmed: 'unconfirmed: the bot stopped while posting it; it looks in the channel before posting it again',
      empty: 'nothing new',
    }[last.status];
    blocks.push({ kind: 'context', text: `Last weekly digest: week ${last.day}${last.digestDate ? ` (digests up to ${humanDate(last.digestDate)})` : ''}, ${status}.` });
  }
  return blocks;
}

function describeWeekly(sub: WeeklySubscription): string {
  return `Weekly digest of the top ${sub.topN} paper${sub.topN === 1 ? '' : 's'} and the late bloomers every ${weekdayName(sub.weekday)} at ${sub.postTime} (${sub.timezone}).`;
}

/** The next slot whose week is still open. */
function nextWeeklyText(store: Store, sub: WeeklySubscription, now: Date): string {
  let from = now;
  for (let i = 0; i < 3; i++) {
    const slot = nextWeeklySlot(sub, from);
    if (!slot) break;
    if (store.posts.isOpen(sub, WEEKLY, isoWeek(localDay(slot, sub.timezone)), now)) return `Next: ${formatLocal(slot, sub.timezone)}, if there are new digests.`;
    from = slot;
  }
  return '';
}
