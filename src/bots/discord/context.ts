import { PermissionFlagsBits, type ButtonInteraction, type Channel, type ChatInputCommandInteraction, type Message, type PermissionsBitField, type REST, type User } from 'discord.js';
import type { CommandContext } from '../../commands/command.js';
import type { Logger } from '../../logger.js';
import { paperIdOfThread } from './threads.js';

/** What a command's context is read from, whether it came as a slash command, a button or a message. */
export interface CommandSource {
  channelId: string;
  guildId: string | null;
  user: User;
  channel: Channel | null;
  /** The member's permissions in this channel; null in a DM or when they are not known. */
  permissions: Readonly<PermissionsBitField> | null;
}

export interface ContextDeps {
  rest: REST;
  botId: () => string;
  logger: Logger;
}

/** Discord computes the member's permissions in the channel (roles and overwrites) and sends them with the interaction. */
export function interactionSource(i: ChatInputCommandInteraction | ButtonInteraction): CommandSource {
  return { channelId: i.channelId, guildId: i.guildId, user: i.user, channel: i.channel, permissions: i.memberPermissions };
}

/** A message carries no permissions: they are worked out from the cached roles and overwrites. */
export function messageSource(message: Message): CommandSource {
  return { channelId: message.channelId, guildId: message.guildId, user: message.author, channel: message.channel, permissions: permissionsIn(message) };
}

/** The context every Discord command runs with; in a paper thread this bot opened, it carries that thread's paper. */
export async function commandContext(source: CommandSource, deps: ContextDeps): Promise<CommandContext> {
  const context: CommandContext = {
    platform: 'discord',
    channelId: source.channelId,
    userId: source.user.id,
    userName: source.user.globalName ?? source.user.username,
    canManageChannel: mayManageChannel(source),
  };
  if (source.guildId) context.workspaceId = source.guildId;
  const channel = source.channel;
  if (channel?.isThread() && channel.ownerId === deps.botId()) {
    const paperId = await paperIdOfThread(deps.rest, channel).catch((err: unknown) => {
      deps.logger.debug({ err, thread: channel.id }, 'could not read the paper of a thread');
      return undefined;
    });
    if (paperId) context.threadPaperId = paperId;
  }
  return context;
}

/**
 * Manage Channels or Manage Webhooks in this channel, the rule src/commands/channelAccess.ts
 * tells users; in a DM there is no one else to protect the channel from.
 */
function mayManageChannel({ guildId, permissions }: CommandSource): boolean {
  if (!guildId) return true;
  return permissions?.any([PermissionFlagsBits.ManageChannels, PermissionFlagsBits.ManageWebhooks]) ?? false;
}

function permissionsIn(message: Message): Readonly<PermissionsBitField> | null {
  if (!message.inGuild()) return null;
  try {
    return message.member?.permissionsIn(message.channel) ?? null;
  } catch {
    // Permissions need cached roles and overwrites; without them, refuse rather than guess.
    return null;
  }
}
