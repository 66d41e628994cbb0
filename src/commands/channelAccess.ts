import type { Clock } from '../clock.js';
import type { PaperLibrary } from '../index/library.js';
import type { Platform } from '../model/delivery.js';
import { PermissionError, UsageError } from '../model/errors.js';
import type { Store } from '../store/store.js';
import type { ChannelKey } from '../store/types.js';
import type { CommandContext } from './command.js';

/** Who may change a channel's subscription and watches on Slack (SLACK_SUBSCRIPTION_MANAGERS). */
export type ManagerPolicy = 'admins' | 'admins-and-subscriber' | 'anyone';

const CHAT_PLATFORMS: ReadonlySet<string> = new Set<Platform>(['console', 'discord', 'slack']);

/** The channel the command came from; subscriptions and watches belong to a chat channel. */
export function channelOf(context: CommandContext): ChannelKey {
  if (!CHAT_PLATFORMS.has(context.platform) || !context.channelId) {
    throw new UsageError('Daily posts and watches belong to a chat channel: run this command in the channel that should get them.');
  }
  return { platform: context.platform as Platform, workspaceId: context.workspaceId ?? '', channelId: context.channelId };
}

/**
 * Allows members who may manage the channel (the adapter decides: Discord Manage Channels or
 * Manage Webhooks, Slack admins). On Slack `admins-and-subscriber` also allows the members who
 * set the channel up (`owners`: the subscriber, the watches' creators); in a channel nobody has
 * set up yet (`unclaimed`), any member may, and becomes its subscriber or a watch's creator.
 * The console is the operator's own terminal, so it is always allowed.
 */
export function assertCanManage(
  context: CommandContext,
  policy: ManagerPolicy,
  owners: ReadonlyArray<string | undefined> = [],
  unclaimed = false,
  what = "change this channel's daily post and watches",
): void {
  if (context.platform === 'console' || context.canManageChannel === true) return;
  if (context.platform === 'slack') {
    if (policy === 'anyone') return;
    if (policy === 'admins-and-subscriber' && unclaimed && context.userId !== undefined) return;
    if (policy === 'admins-and-subscriber' && context.userId !== undefined && owners.includes(context.userId)) return;
  }
  const who = context.platform === 'discord' ? 'members with the Manage Channels or Manage Webhooks permission' : 'workspace admins';
  const orOwner = context.platform === 'slack' && policy === 'admins-and-subscriber' ? ' or the member who set it up' : '';
  throw new PermissionError(`Sorry, only ${who}${orOwner} can ${what}. Ask one of them to run this command.`);
}

export interface ChannelSettingsServices {
  store: Store;
  clock: Clock;
  library: PaperLibrary;
  /** DEFAULT_POST_TIME and DEFAULT_TIMEZONE. */
  defaults: { postTime: string; timezone: string };
  /** SLACK_SUBSCRIPTION_MANAGERS. */
  slackManagers: ManagerPolicy;
}
