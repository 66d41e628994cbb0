import { NotFoundError } from '../model/errors.js';
import { plain, type Block, type Reply } from '../model/reply.js';
import { formatLocal, localDay, nextSlot } from '../time/schedule.js';
import { DAILY } from '../store/postLedger.js';
import type { Store } from '../store/store.js';
import type { ChannelKey, Subscription } from '../store/types.js';
import { assertCanManage, channelOf, type ChannelSettingsServices } from './channelAccess.js';
import type { Command, CommandContext, CommandDeclaration, Platform } from './command.js';
import { exampleText, usageText } from './options.js';
import { WATCH } from './watch.js';
import { MAX_TOP, parseSubscribeArgs } from './subscribeArgs.js';
import { humanDate } from '../time/days.js';
import { plural } from '../text/plural.js';
import { DAILY_PICKS } from '../present/channelPicks.js';
import { isWeekly, subscribeWeekly, unsubscribeWeekly, weeklyOverview } from './subscribeWeekly.js';

const DEFAULT_TOP = 5;

/** subscribe, unsubscribe and subscriptions: a channel's daily trending post. */
export function subscriptionCommands(services: ChannelSettingsServices): Command[] {
  return [subscribeCommand(services), unsubscribeCommand(services), subscriptionsCommand(services)];
}

/** Time and zone are words in any order on the console and Slack (`top N` too); Discord has an option each. */
export const SUBSCRIBE: CommandDeclaration = {
  name: 'subscribe',
  summary: "A daily post in this channel with the day's top trending papers; with weekly, a weekly digest.",
  examples: [
    'subscribe',
    'subscribe 09:00 Europe/Berlin',
    `subscribe 18:30 America/New_York --top ${MAX_TOP}`,
    'subscribe 09:00 Europe/Berlin --picks on',
    'subscribe --weekly Mon 09:00 Europe/Berlin',
  ],
  options: [
    { name: 'time', kind: 'text', positional: true, placeholder: 'HH:MM', description: 'Time of day as HH:MM, e.g. 09:00', max: 5 },
    { name: 'timezone', kind: 'text', positional: true, placeholder: 'IANA timezone', description: 'IANA time zone, e.g. Europe/Berlin', max: 64 },
    { name: 'top', kind: 'integer', description: 'How many papers per post (1-10)', min: 1, max: MAX_TOP },
    { name: 'picks', kind: 'text', choices: ['on', 'off'], description: 'Add 3 picks for this channel, ranked by its 👍, 👎 and saves (on/off)' },
    { name: 'weekly', kind: 'text', placeholder: 'weekday', description: 'A weekly digest instead, on this weekday (e.g. Mon): best papers and late bloomers', max: 9 },
  ],
  visibility: 'channel',
  managesChannel: true,
};

export const UNSUBSCRIBE: CommandDeclaration = {
  name: 'unsubscribe',
  summary: "Stop this channel's daily post, or with weekly its weekly digest (watches stay; see unwatch).",
  examples: ['unsubscribe', 'unsubscribe --weekly'],
  options: [{ name: 'weekly', kind: 'boolean', description: 'Stop the weekly digest instead of the daily post' }],
  visibility: 'channel',
  managesChannel: true,
};

export const SUBSCRIPTIONS: CommandDeclaration = {
  name: 'subscriptions',
  aliases: ['subs'],
  summary: 'What this channel gets and when next; paused lists channels the bot stopped posting to (admins).',
  examples: ['subscriptions', 'subscriptions --paused'],
  options: [{ name: 'paused', kind: 'boolean', description: 'List channels the bot stopped posting to (admins)' }],
  visibility: 'ephemeral',
  managesChannel: (command) => command.flags['paused'] === true,
};

function subscribeCommand(services: ChannelSettingsServices): Command {
  const { store, clock, defaults, slackManagers } = services;
  return {
    ...SUBSCRIBE,
    summary: `A daily post in this channel with the day's top trending papers (default ${defaults.postTime} ${defaults.timezone}, top ${DEFAULT_TOP}); with --weekly Mon, a weekly digest of the best papers and late bloomers.`,
    run(command, context) {
      if (isWeekly(command)) return subscribeWeekly(services, command, context, usageText(SUBSCRIBE, context.platform));
      const channel = channelOf(context);
      const current = store.subscriptions.get(channel);
      const watches = store.watches.forChannel(channel);
      assertCanManage(context, slackManagers, [current?.subscribedBy, ...watches.map((w) => w.createdBy)], !current && watches.length === 0);
      const wanted = parseSubscribeArgs(
        command,
        {
          postTime: current?.postTime ?? defaults.postTime,
          timezone: current?.timezone ?? defaults.timezone,
          topN: current?.topN ?? DEFAULT_TOP,
          forChannel: current?.forChannel ?? false,
        },
        usageText(SUBSCRIBE, context.platform),
      );
      const now = clock.now();
      const sub = store.subscriptions.upsert({ ...channel, ...wanted, ...(context.userId ? { subscribedBy: context.userId } : {}) }, now);
      const resumed = store.pauses.resume(channel);
      const blocks: Block[] = [
        { kind: 'heading', text: current ? 'Daily post updated' : 'Subscribed to the daily post' },
        { kind: 'text', text: plain(`${describe(sub)} ${nextPostText(store, sub, now)}`) },
      ];
      if (resumed) blocks.push({ kind: 'context', text: 'This channel was paused after a failed post; posting here again.' });
      blocks.push({ kind: 'context', text: 'A day without a new digest gets no post. Stop with /paper unsubscribe.' });
      return { visibility: 'channel', blocks };
    },
  };
}

function unsubscribeCommand(services: ChannelSettingsServices): Command {
  const { store, slackManagers } = services;
  return {
    ...UNSUBSCRIBE,
    run(command, context) {
      if (isWeekly(command)) return unsubscribeWeekly(services, context);
      const channel = channelOf(context);
      const current = store.subscriptions.get(channel);
      if (!current) throw new NotFoundError('This channel has no daily post to stop. /paper subscriptions shows what it gets.');
      assertCanManage(context, slackManagers, [current.subscribedBy]);
      store.subscriptions.delete(channel);
      return {
        visibility: 'channel',
        blocks: [
          { kind: 'heading', text: 'Unsubscribed' },
          { kind: 'text', text: plain('This channel no longer gets the daily trending post. Subscribe again any time with /paper subscribe.') },
        ],
      };
    },
  };
}

function subscriptionsCommand(services: ChannelSettingsServices): Command {
  return {
    ...SUBSCRIPTIONS,
    run(command, context) {
      if (command.flags['paused'] === true) return pausedList(services, context);
      return channelOverview(services, channelOf(context), context.platform);
    },
  };
}

function channelOverview({ store, clock }: ChannelSettingsServices, channel: ChannelKey, platform: Platform): Reply {
  const now = clock.now();
  const sub = store.subscriptions.get(channel);
  const blocks: Block[] = [{ kind: 'heading', text: "This channel's daily post and watches" }];
  if (sub) {
    blocks.push({ kind: 'text', text: plain(`${describe(sub)} ${nextPostText(store, sub, now)}`) });
    const last = store.posts.latest(channel, DAILY);
    if (last) {
      const digest = last.digestDate ? `the ${humanDate(last.digestDate)} digest` : 'no digest';
      const status = {
        sent: `sent${last.late ? ' late' : ''}${last.sentAt ? ` ${formatLocal(last.sentAt, sub.timezone)}` : ''}`,
        claimed: 'being sent now',
        retry: `failed, retrying (${last.error ?? 'temporary error'})`,
        failed: `not sent (${last.error ?? 'error'})`,
        unconfirmed: 'unconfirmed: the bot stopped while posting it; it looks in the channel before posting it again',
        empty: 'nothing new',
      }[last.status];
      blocks.push({ kind: 'context', text: `Last post: ${digest}, ${status}.` });
    }
  } else {
    blocks.push({ kind: 'text', text: plain(`No daily post here. Start one with ${exampleText(SUBSCRIBE, 'subscribe 09:00 Europe/Berlin', platform)} (time, zone and top N are optional).`) });
  }
  blocks.push(...weeklyOverview(store, channel, now));
  const pause = store.pauses.get(channel);
  if (pause) {
    blocks.push({ kind: 'context', text: `Paused since ${formatLocal(pause.pausedAt, sub?.timezone ?? 'UTC')}: ${pause.reason}. Run /paper subscribe here to resume.` });
  }
  const watches = store.watches.forChannel(channel);
  blocks.push({
    kind: 'context',
    text: watches.length > 0 ? `Watching: ${watches.map((w) => `“${w.query}” (#${w.id})`).join(', ')}.` : `No watches. Add one with ${usageText(WATCH, platform)}.`,
  });
  return { visibility: 'ephemeral', blocks };
}

function pausedList({ store, slackManagers }: ChannelSettingsServices, context: CommandContext): Reply {
  const here = channelOf(context);
  assertCanManage(context, slackManagers === 'anyone' ? 'anyone' : 'admins');
  const paused = store.pauses.all().filter((p) => p.platform === here.platform && p.workspaceId === here.workspaceId);
  const blocks: Block[] = [{ kind: 'heading', text: paused.length > 0 ? `Paused channels (${paused.length})` : 'No paused channels' }];
  for (const p of paused) {
    const sub = store.subscriptions.get(p);
    const what = sub ? `daily post at ${sub.postTime} ${sub.timezone}` : 'watches only';
    blocks.push({ kind: 'text', text: plain(`• channel ${p.channelId}: ${what}; paused ${formatLocal(p.pausedAt, sub?.timezone ?? 'UTC')} because ${p.reason}`) });
  }
  blocks.push({
    kind: 'context',
    text:
      paused.length > 0
        ? 'The bot could not post there (channel deleted, bot removed, or a missing permission). Fix it, then run /paper subscribe in that channel to resume, or /paper unsubscribe to drop it.'
        : 'Every subscribed channel is receiving its posts.',
  });
  return { visibility: 'ephemeral', blocks };
}

function describe(sub: Subscription): string {
  const picks = sub.forChannel ? `, then ${DAILY_PICKS} picks for this channel ranked by its 👍, 👎 and saves` : '';
  return `Top ${plural(sub.topN, 'trending paper')}${picks} every day at ${sub.postTime} (${sub.timezone}).`;
}

/** The next slot whose day is still open: a day already posted (time changed later that day) is skipped. */
function nextPostText(store: Store, sub: Subscription, now: Date): string {
  let from = now;
  for (let i = 0; i < 3; i++) {
    const slot = nextSlot(sub, from);
    if (!slot) break;
    if (store.posts.isOpen(sub, DAILY, localDay(slot, sub.timezone), now)) return `Next post: ${formatLocal(slot, sub.timezone)}, if there is a new digest.`;
    from = slot;
  }
  return '';
}
