import type { Message } from 'discord.js';
import { commandContext, messageSource, type ContextDeps } from './context.js';
import type { InteractionDeps } from './interactions.js';
import { renderReply } from './render.js';

export type MentionDeps = ContextDeps & Pick<InteractionDeps, 'router'>;

/**
 * `@paperbot <question>` anywhere, any message in a DM with the bot, and a question in a paper
 * thread this bot opened go to `ask`; in a paper thread "it" means that thread's paper. Other
 * chatter in the thread ("thanks!") is left alone. The text is passed as the question only:
 * nothing a user types here can become flags or another command.
 */
export async function onMessage(message: Message, deps: MentionDeps): Promise<void> {
  if (message.author.bot || message.system) return;
  const botId = deps.botId();
  const channel = message.channel;
  const inPaperThread = channel.isThread() && channel.ownerId === botId;
  const mentioned = message.mentions.users.has(botId);
  const question = message.content
    .replace(new RegExp(`<@!?${botId}>`, 'g'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const direct = channel.isDMBased();
  if (!mentioned && !direct && !(inPaperThread && looksLikeQuestion(question))) return;

  const context = await commandContext(messageSource(message), deps);
  deps.logger.debug({ user: message.author.id, channel: message.channelId, paper: context.threadPaperId, direct }, 'discord mention');
  // A bare mention gets how to ask rather than an error.
  const command = question ? { name: 'ask', args: question, flags: {} } : { name: 'help', args: 'ask', flags: {} };
  const reply = await deps.router.handle(command, context);
  const rendered = renderReply(reply);
  await message.reply({ content: rendered.content ?? '', embeds: rendered.embeds, components: rendered.components, allowedMentions: { parse: [], repliedUser: false } });
}

const QUESTION_START =
  /^(who|whom|whose|what|which|when|where|why|how|is|are|was|were|do|does|did|can|could|should|would|will|has|have|had|may|might|explain|summari[sz]e|compare|tell|list|show|give|describe|define)\b/i;

/** In a paper thread people also talk to each other: only questions and requests are for the bot. */
export function looksLikeQuestion(text: string): boolean {
  return /\?\s*$/.test(text) || QUESTION_START.test(text);
}
