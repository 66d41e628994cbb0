/** Slack escapes `&`, `<` and `>` in what users type; commands want the characters back. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** A mention's text without the bot's own `<@U…>` tag(s), unescaped. */
export function mentionText(raw: string, botUserId: string | undefined): string {
  const own = botUserId ? new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g') : /^\s*<@[A-Z0-9]+(\|[^>]*)?>/;
  return unescapeSlack(raw.replace(own, ' ')).replace(/\s+/g, ' ').trim();
}

/**
 * What a mention runs: `/paper <command>` or a lone command word ("summary", "help") runs that
 * command; anything else is a question for `ask`. Questions often start with a command's word
 * ("show me…", "find where…"), so only those two explicit shapes count as commands.
 */
export function mentionCommand(text: string, isCommand: (name: string) => boolean): string {
  if (/^\/?paper(\s|$)/i.test(text)) return text;
  if (text === '' || (!/\s/.test(text) && isCommand(text.toLowerCase()))) return text;
  return `ask ${text}`;
}
