import {
  DiscordAPIError,
  MessageFlags,
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type InteractionReplyOptions,
  type Message,
  type REST,
  Routes,
} from 'discord.js';
import type { App } from '../../app.js';
import type { CommandContext, ParsedCommand } from '../../commands/command.js';
import { parseCommandText } from '../../commands/parseCommand.js';
import { PaperbotError } from '../../model/errors.js';
import { plain, type Reply, type ThreadHint } from '../../model/reply.js';
import { decodeCustomId } from './customId.js';
import { LIMITS, truncate } from './limits.js';
import { renderReply, type DiscordMessage } from './render.js';
import { toParsedCommand } from './slashCommands.js';
import { findPaperThread, messageBody, openThread, paperIdOfThread, starterMessage } from './threads.js';

export interface InteractionDeps {
  app: App;
  rest: REST;
  botId: () => string;
  /** Past this, the interaction is deferred so Discord's 3-second deadline is never missed. */
  deferAfterMs: number;
}

type Answerable = ChatInputCommandInteraction | ButtonInteraction;

/** Commands whose replies only the asker sees; a deferral must pick the visibility up front. */
const PRIVATE_BY_DEFAULT = new Set(['find', 'search', 'f', 'show', 'like', 'help', 'subscriptions', 'watches']);

export async function onChatInput(i: ChatInputCommandInteraction, deps: InteractionDeps): Promise<void> {
  let command: ParsedCommand;
  try {
    command = toParsedCommand(i);
  } catch (err) {
    deps.app.logger.info({ err, user: i.user.id, options: i.options.data }, 'discord slash command with invalid options');
    await answer(i, undefined, renderReply(errorReply(err)), deps);
    return;
  }
  deps.app.logger.debug({ command: command.name, user: i.user.id, channel: i.channelId }, 'discord slash command');
  await respond(i, command, deps);
}

export async function onButton(i: ButtonInteraction, deps: InteractionDeps): Promise<void> {
  const text = decodeCustomId(i.customId);
  if (!text) {
    await answer(i, undefined, renderReply(notice('This button belongs to an older version of paperbot. Run the command again.')), deps);
    return;
  }
  deps.app.logger.debug({ button: text, user: i.user.id, channel: i.channelId }, 'discord button');
  await respond(i, parseCommandText(text), deps);
}

export async function onAutocomplete(i: AutocompleteInteraction, deps: InteractionDeps): Promise<void> {
  const focused = i.options.getFocused(true);
  const field = focused.name === 'id' ? 'id' : focused.name === 'query' && i.options.getSubcommand(false) === 'find' ? 'query' : undefined;
  const suggestions = field ? deps.app.suggest(String(focused.value), field, { limit: LIMITS.choices, maxNameLength: LIMITS.choiceName }) : [];
  await i.respond(
    suggestions
      .map((s) => ({ name: truncate(s.name, LIMITS.choiceName), value: truncate(s.value, LIMITS.choiceValue) }))
      .filter((c) => c.name && c.value)
      .slice(0, LIMITS.choices),
  );
}

/** After a failure: a private, friendly note to whoever pressed or typed; never a second crash. */
export async function answerWithError(i: Answerable, err: unknown, deps: InteractionDeps): Promise<void> {
  const message = renderReply(errorReply(err));
  const options = { ...payload(message), flags: MessageFlags.Ephemeral as const };
  if (i.deferred || i.replied) {
    await i.followUp(options);
    return;
  }
  try {
    await i.reply(options);
  } catch (err) {
    // The first response reached Discord even though its answer got lost: follow up instead.
    if (err instanceof DiscordAPIError && err.code === ALREADY_ACKNOWLEDGED) await i.followUp(options);
    else throw err;
  }
}

const ALREADY_ACKNOWLEDGED = 40060;

async function respond(i: Answerable, command: ParsedCommand, deps: InteractionDeps): Promise<void> {
  // Everything that may wait on Discord or the index runs inside the deferral window.
  const work = (async () => {
    const reply = await deps.app.router.handle(command, await contextOf(i, deps));
    const thread = reply.thread && !reply.error && canOpenThread(i) ? await existingThread(i, reply.thread, deps) : undefined;
    return { reply, thread };
  })();
  const quick = await before(work, deps.deferAfterMs);
  let deferred: Deferral | undefined;
  if (!quick) {
    const ephemeral = PRIVATE_BY_DEFAULT.has(command.name) && command.flags['share'] !== true;
    await i.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    deferred = { ephemeral };
  }
  const { reply, thread } = quick ?? (await work);
  if (!reply.thread || reply.error || !canOpenThread(i)) await answer(i, deferred, renderReply(reply), deps);
  else if (thread) {
    // Built here rather than rendered: rendering escapes `<#id>`, and this channel link is ours, not digest text.
    await answer(i, deferred, { content: `This paper already has a thread: <#${thread.id}>. The TL;DR is there.`, embeds: [], components: [], ephemeral: true }, deps);
  } else await openPaperThread(i, reply, reply.thread, deferred, deps);
}

/** Threads hang off guild channel messages; in a DM or inside a thread the reply is posted in place. */
function canOpenThread(i: Answerable): boolean {
  return i.guildId !== null && !i.channel?.isThread() && !i.channel?.isDMBased();
}

/** This bot's active thread for the paper in this channel, if any (a failed lookup opens a new one). */
async function existingThread(i: Answerable, hint: ThreadHint, deps: InteractionDeps): Promise<{ id: string } | undefined> {
  return findPaperThread(deps.rest, i.guildId!, i.channelId, hint.title, deps.botId()).catch((err: unknown) => {
    deps.app.logger.warn({ err, channel: i.channelId }, 'could not list active threads; opening a new one');
    return undefined;
  });
}

interface Deferral {
  ephemeral: boolean;
}

/** Sends the reply however the interaction stands: first reply, edit of a deferral, or a follow-up when visibility changed. */
async function answer(i: Answerable, deferred: Deferral | undefined, message: DiscordMessage, deps: InteractionDeps): Promise<Message | undefined> {
  const options: InteractionReplyOptions = { ...payload(message), ...(message.ephemeral ? { flags: MessageFlags.Ephemeral as const } : {}) };
  if (!deferred) {
    const response = await i.reply({ ...options, withResponse: true });
    return response.resource?.message ?? undefined;
  }
  if (deferred.ephemeral === message.ephemeral) return i.editReply(payload(message));
  // A deferral's visibility cannot change: replace the placeholder with a message of the right kind.
  await i.deleteReply().catch((err: unknown) => deps.app.logger.debug({ err }, 'could not delete a deferral placeholder'));
  return i.followUp(options);
}

/** Posts a public starter message naming the paper, opens a thread on it and posts the reply there. */
async function openPaperThread(i: Answerable, reply: Reply, hint: ThreadHint, deferred: Deferral | undefined, deps: InteractionDeps): Promise<void> {
  const { rest, app } = deps;
  const starter = await answer(i, deferred, starterMessage(hint), deps);
  const threadReply = renderReply({ ...reply, visibility: 'channel' });
  try {
    if (!starter) throw new Error('Discord did not return the starter message');
    const thread = await openThread(rest, i.channelId, starter.id, hint.title);
    await rest.post(Routes.channelMessages(thread.id), { body: messageBody(threadReply) });
  } catch (err) {
    // Missing "Create Public Threads" should not lose the answer: post it under the starter instead.
    app.logger.warn({ err, channel: i.channelId, paper: hint.key }, 'could not open a paper thread; replying in the channel');
    await i.followUp(payload(threadReply));
  }
}

async function contextOf(i: Answerable, deps: InteractionDeps): Promise<CommandContext> {
  const context: CommandContext = {
    platform: 'discord',
    channelId: i.channelId,
    userId: i.user.id,
    // In a DM there is no one else to protect the channel from.
    canManageChannel: i.guildId ? (i.memberPermissions?.any([PermissionFlagsBits.ManageChannels, PermissionFlagsBits.ManageWebhooks]) ?? false) : true,
  };
  if (i.guildId) context.workspaceId = i.guildId;
  const channel = i.channel;
  if (channel?.isThread() && channel.ownerId === deps.botId()) {
    const paperId = await paperIdOfThread(deps.rest, channel).catch(() => undefined);
    if (paperId) context.threadPaperId = paperId;
  }
  return context;
}

function payload(message: DiscordMessage): Pick<InteractionReplyOptions, 'content' | 'embeds' | 'components' | 'allowedMentions'> {
  return { content: message.content ?? '', embeds: message.embeds, components: message.components, allowedMentions: { parse: [] } };
}

/** Resolves with the value if it settles within `ms`, else with undefined (the work keeps running). */
async function before<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function notice(text: string): Reply {
  return { visibility: 'ephemeral', blocks: [{ kind: 'text', text: plain(text) }] };
}

function errorReply(err: unknown): Reply {
  const text = err instanceof PaperbotError ? err.userMessage : 'Sorry, something went wrong talking to Discord. Please try again.';
  return { visibility: 'ephemeral', error: { code: err instanceof PaperbotError ? err.code : 'discord' }, blocks: [{ kind: 'text', text: plain(text) }] };
}
