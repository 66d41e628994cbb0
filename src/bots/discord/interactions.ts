import {
  DiscordAPIError,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type InteractionReplyOptions,
  type Message,
  type REST,
  Routes,
} from 'discord.js';
import type { ParsedCommand } from '../../commands/command.js';
import type { Logger } from '../../logger.js';
import { PaperbotError, UsageError } from '../../model/errors.js';
import { plain, type Reply, type ThreadHint } from '../../model/reply.js';
import type { AdapterDeps } from '../platform.js';
import { commandContext, interactionSource } from './context.js';
import { decodeCustomId } from './customId.js';
import { LIMITS, truncate } from './limits.js';
import { renderReply, type DiscordMessage } from './render.js';
import { toParsedCommand } from './slashCommands.js';
import { findPaperThread, messageBody, openThread, starterMessage } from './threads.js';

export interface InteractionDeps extends Pick<AdapterDeps, 'router' | 'suggest'> {
  /** This event's logger (its interaction id bound) once it is being handled; the adapter's before. */
  logger: Logger;
  rest: REST;
  botId: () => string;
  /** Past this, the interaction is deferred so Discord's 3-second deadline is never missed. */
  deferAfterMs: number;
}

type Answerable = ChatInputCommandInteraction | ButtonInteraction;

export async function onChatInput(i: ChatInputCommandInteraction, deps: InteractionDeps): Promise<void> {
  const { router } = deps;
  let command: ParsedCommand;
  try {
    command = router.parse(
      toParsedCommand(i, (name) => router.find(name)),
      'discord',
    );
  } catch (err) {
    deps.logger.info({ err, user: i.user.id, options: i.options.data }, 'discord slash command with invalid options');
    await answer(i, NOT_YET, renderReply(errorReply(err)), deps);
    return;
  }
  deps.logger.debug({ command: command.name, user: i.user.id, channel: i.channelId }, 'discord slash command');
  await respond(i, command, false, deps);
}

export async function onButton(i: ButtonInteraction, deps: InteractionDeps): Promise<void> {
  const { router } = deps;
  const text = decodeCustomId(i.customId);
  let command: ParsedCommand;
  try {
    if (!text) throw new UsageError('This button belongs to an older version of paperbot. Run the command again.');
    command = router.parse(text, 'discord');
  } catch (err) {
    await answer(i, NOT_YET, renderReply(errorReply(err)), deps);
    return;
  }
  deps.logger.debug({ button: text, user: i.user.id, channel: i.channelId }, 'discord button');
  await respond(i, command, replacesMessage(i, command, deps), deps);
}

/**
 * A button shows its answer in the message it is on when that answer is for the same people:
 * another page or "More like this" on a private result, another page of a shared one. Anything
 * else (a TL;DR thread, a private answer to a button on a public card) is a message of its own.
 */
function replacesMessage(i: ButtonInteraction, command: ParsedCommand, deps: InteractionDeps): boolean {
  const onPrivate = i.message.flags.has(MessageFlags.Ephemeral);
  const wantsPrivate = deps.router.visibility(command) === 'ephemeral';
  if (deps.router.find(command.name)?.answersAside) return false;
  if (onPrivate) return wantsPrivate;
  return !wantsPrivate && command.flags['page'] !== undefined;
}

export async function onAutocomplete(i: AutocompleteInteraction, deps: InteractionDeps): Promise<void> {
  const focused = i.options.getFocused(true);
  const declaration = deps.router.find(i.options.getSubcommand(false) ?? '');
  const option = declaration?.options.find((o) => o.name === focused.name);
  const field = option?.autocomplete === 'paper' ? 'id' : option?.autocomplete === 'query' ? 'query' : undefined;
  const suggestions = field ? deps.suggest(String(focused.value), field, { limit: LIMITS.choices, maxNameLength: LIMITS.choiceName }) : [];
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
  if (i.deferred || i.replied) {
    await i.followUp({ ...payload(message), flags: MessageFlags.Ephemeral });
    return;
  }
  await answer(i, NOT_YET, message, deps);
}

const ALREADY_ACKNOWLEDGED = 40060;

/**
 * Discord took the response but its answer was lost (a 502 or a timeout), so the retry was
 * refused as already acknowledged: the interaction stands as that response left it.
 */
function acknowledgedAnyway(err: unknown): boolean {
  return err instanceof DiscordAPIError && err.code === ALREADY_ACKNOWLEDGED;
}

/** Where the interaction stands: not answered, deferred as a new message, or deferred as an update of the pressed message. */
type Ack = { kind: 'none' } | { kind: 'deferred'; ephemeral: boolean } | { kind: 'deferredUpdate' };
const NOT_YET: Ack = { kind: 'none' };

async function respond(i: Answerable, command: ParsedCommand, inPlace: boolean, deps: InteractionDeps): Promise<void> {
  // Everything that may wait on Discord or the index runs inside the deferral window.
  const work = (async () => {
    const reply = await deps.router.handle(command, await commandContext(interactionSource(i), deps));
    const thread = reply.thread && !reply.error && canOpenThread(i) ? await existingThread(i, reply.thread, deps) : undefined;
    return { reply, thread };
  })();
  const quick = await before(work, deps.deferAfterMs);
  let ack: Ack = NOT_YET;
  if (!quick) ack = await defer(i, inPlace, deps.router.visibility(command) === 'ephemeral', deps);
  const { reply, thread } = quick ?? (await work);
  if (inPlace && i.isButton() && !reply.error && !reply.thread) await updateMessage(i, ack, renderReply(reply), deps);
  else if (!reply.thread || reply.error || !canOpenThread(i)) await answer(i, ack, renderReply(reply), deps);
  else if (thread) {
    // Built here rather than rendered: rendering escapes `<#id>`, and this channel link is ours, not digest text.
    await answer(i, ack, { content: `This paper already has a thread: <#${thread.id}>. The TL;DR is there.`, embeds: [], components: [], ephemeral: true }, deps);
  } else await openPaperThread(i, reply, reply.thread, ack, deps);
}

async function defer(i: Answerable, inPlace: boolean, ephemeral: boolean, deps: InteractionDeps): Promise<Ack> {
  const ack: Ack = inPlace && i.isButton() ? { kind: 'deferredUpdate' } : { kind: 'deferred', ephemeral };
  try {
    if (ack.kind === 'deferredUpdate') await (i as ButtonInteraction).deferUpdate();
    else await i.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  } catch (err) {
    if (!acknowledgedAnyway(err)) throw err;
    deps.logger.warn('discord deferral reached Discord but its answer was lost; editing it');
    markAcknowledged(i, { deferred: true, ephemeral: ack.kind === 'deferred' && ack.ephemeral });
  }
  return ack;
}

/** Tells discord.js what Discord already knows, so edits and follow-ups of the interaction are allowed. */
function markAcknowledged(i: Answerable, state: { deferred?: boolean; replied?: boolean; ephemeral: boolean }): void {
  if (state.deferred) i.deferred = true;
  if (state.replied) i.replied = true;
  i.ephemeral = state.ephemeral;
}

/** This bot's active thread for the paper in this channel, if any (a failed lookup opens a new one). */
async function existingThread(i: Answerable, hint: ThreadHint, deps: InteractionDeps): Promise<{ id: string } | undefined> {
  return findPaperThread(deps.rest, i.guildId!, i.channelId, hint.title, deps.botId()).catch((err: unknown) => {
    deps.logger.warn({ err, channel: i.channelId }, 'could not list active threads; opening a new one');
    return undefined;
  });
}

/** Threads hang off guild channel messages; in a DM or inside a thread the reply is posted in place. */
function canOpenThread(i: Answerable): boolean {
  return i.guildId !== null && !i.channel?.isThread() && !i.channel?.isDMBased();
}

/** Replaces the pressed message with the answer (its buttons included), however the interaction stands. */
async function updateMessage(i: ButtonInteraction, ack: Ack, message: DiscordMessage, deps: InteractionDeps): Promise<void> {
  if (ack.kind === 'deferredUpdate') {
    await i.editReply(payload(message));
    return;
  }
  try {
    await i.update(payload(message));
  } catch (err) {
    if (!acknowledgedAnyway(err)) throw err;
    // The update itself went through; only its answer was lost.
    deps.logger.warn('discord update reached Discord but its answer was lost');
    markAcknowledged(i, { replied: true, ephemeral: message.ephemeral });
  }
}

/** Sends the reply however the interaction stands: first reply, edit of a deferral, or a follow-up when visibility changed. */
async function answer(i: Answerable, ack: Ack, message: DiscordMessage, deps: InteractionDeps): Promise<Message | undefined> {
  const options: InteractionReplyOptions = { ...payload(message), ...(message.ephemeral ? { flags: MessageFlags.Ephemeral as const } : {}) };
  if (ack.kind === 'none') {
    try {
      const response = await i.reply({ ...options, withResponse: true });
      return response.resource?.message ?? undefined;
    } catch (err) {
      if (!acknowledgedAnyway(err)) throw err;
      // The reply itself was posted; only Discord's answer got lost. Read it back for a thread to hang from.
      deps.logger.warn('discord reply reached Discord but its answer was lost');
      markAcknowledged(i, { replied: true, ephemeral: message.ephemeral });
      return i.fetchReply();
    }
  }
  if (ack.kind === 'deferred' && ack.ephemeral === message.ephemeral) return i.editReply(payload(message));
  if (ack.kind === 'deferred') {
    // A deferral's visibility cannot change: replace the placeholder with a message of the right kind.
    await i.deleteReply().catch((err: unknown) => deps.logger.debug({ err }, 'could not delete a deferral placeholder'));
  }
  return i.followUp(options);
}

/** Posts a public starter message naming the paper, opens a thread on it and posts the reply there. */
async function openPaperThread(i: Answerable, reply: Reply, hint: ThreadHint, ack: Ack, deps: InteractionDeps): Promise<void> {
  const { rest, logger } = deps;
  const starter = await answer(i, ack, starterMessage(hint), deps);
  const threadReply = renderReply({ ...reply, visibility: 'channel' });
  try {
    if (!starter) throw new PaperbotError('delivery_transient', 'Discord did not return the starter message');
    const thread = await openThread(rest, i.channelId, starter.id, hint.title);
    await rest.post(Routes.channelMessages(thread.id), { body: messageBody(threadReply) });
  } catch (err) {
    // Missing "Create Public Threads" should not lose the answer: post it under the starter instead.
    logger.warn({ err, channel: i.channelId, paper: hint.key }, 'could not open a paper thread; replying in the channel');
    await i.followUp(payload(threadReply));
  }
}

function payload(message: DiscordMessage): Pick<InteractionReplyOptions, 'content' | 'embeds' | 'components' | 'allowedMentions' | 'files'> {
  return { content: message.content ?? '', embeds: message.embeds, components: message.components, allowedMentions: { parse: [] }, ...(message.files ? { files: message.files } : {}) };
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

function errorReply(err: unknown): Reply {
  const text = err instanceof PaperbotError ? err.userMessage : 'Sorry, something went wrong talking to Discord. Please try again.';
  return { visibility: 'ephemeral', error: { code: err instanceof PaperbotError ? err.code : 'discord' }, blocks: [{ kind: 'text', text: plain(text) }] };
}
