import { DiscordAPIError, Routes, type APIEmbed, type APIMessage, type APIThreadChannel, type REST } from 'discord.js';
import type { ThreadHint } from '../../model/reply.js';
import { escapeText, neutralizeMentions } from './escape.js';
import { LIMITS, truncate, truncateEscaped } from './limits.js';
import { threadName, type DiscordMessage } from './render.js';

/** The starter message of a paper thread carries the paper id here, so any later message in the thread can find it. */
const FOOTER_PREFIX = 'Paper ';
const THREAD_ALREADY_EXISTS = 160004;
/** A day of inactivity before Discord hides the thread; posting in it brings it back. */
const AUTO_ARCHIVE_MINUTES = 1440;

/** The public message a paper thread hangs from. */
export function starterMessage(thread: ThreadHint): DiscordMessage {
  const embed: APIEmbed = {
    color: 0x5865f2,
    title: truncateEscaped(thread.title, LIMITS.embedTitle, escapeText),
    description: 'TL;DR and discussion in the thread. Mention me there to ask about this paper.',
    footer: { text: truncate(neutralizeMentions(FOOTER_PREFIX + thread.key), LIMITS.footer) },
  };
  return { content: '🧵 Paper thread', embeds: [embed], components: [], ephemeral: false };
}

/** The paper a thread is about, read from its starter message's footer; undefined for other threads. */
export async function paperIdOfThread(rest: REST, thread: { id: string; parentId: string | null }): Promise<string | undefined> {
  if (!thread.parentId) return undefined;
  const starter = (await rest.get(Routes.channelMessage(thread.parentId, thread.id))) as APIMessage;
  const footer = starter.embeds[0]?.footer?.text ?? '';
  return footer.startsWith(FOOTER_PREFIX) ? footer.slice(FOOTER_PREFIX.length).trim() || undefined : undefined;
}

/** An active thread this bot opened for the same paper in this channel, found without any local state. */
export async function findPaperThread(rest: REST, guildId: string, channelId: string, title: string, botId: string): Promise<APIThreadChannel | undefined> {
  const name = threadName(title);
  const { threads } = (await rest.get(Routes.guildActiveThreads(guildId))) as { threads: APIThreadChannel[] };
  return threads.find((t) => t.parent_id === channelId && t.name === name && t.owner_id === botId);
}

/** Starts a thread on a message; when one already exists there (same id as the message), that one is used. */
export async function openThread(rest: REST, channelId: string, messageId: string, title: string): Promise<{ id: string }> {
  try {
    const thread = (await rest.post(Routes.threads(channelId, messageId), { body: { name: threadName(title), auto_archive_duration: AUTO_ARCHIVE_MINUTES } })) as APIThreadChannel;
    return { id: thread.id };
  } catch (err) {
    if (err instanceof DiscordAPIError && err.code === THREAD_ALREADY_EXISTS) return { id: messageId };
    throw err;
  }
}

/** The REST body of a channel message: never pings anyone, whatever the text says. */
export function messageBody(message: DiscordMessage): Record<string, unknown> {
  return { content: message.content, embeds: message.embeds, components: message.components, allowed_mentions: { parse: [] } };
}
