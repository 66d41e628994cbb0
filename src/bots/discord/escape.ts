/**
 * Digest text is untrusted: a title may contain `**`, `@everyone` or `<@123>`. It is escaped so
 * it renders literally, and mentions are broken with a zero-width space so Discord never turns
 * them into pings or pills (allowedMentions: none is the second lock on the same door).
 */
export function escapeText(text: string): string {
  // URLs stay as typed: an escaped `_` inside a link would break it, and Discord autolinks them anyway.
  return text
    .split(URL)
    .map((part, i) => (i % 2 === 1 ? part : neutralizeMentions(escapeMarkdown(part))))
    .join('');
}

const URL = /(https?:\/\/[^\s<>]+)/;

/**
 * Every inline marker is escaped wherever it is (Discord honours `\` before any of them); block
 * markers (quote, heading, subtext, lists) only matter at the start of a line.
 */
function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\*_~`|[\]]/g, '\\$&')
    .replace(/^(\s*)([>#-])/gm, '$1\\$2')
    .replace(/^(\s*\d+)\./gm, '$1\\.');
}

/** For places Discord does not render markdown (footers, thread names, labels): mentions only. */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, '@\u200b$1').replace(/<(?=[@#/:]|a:|t:)/g, '<\u200b');
}

/** A URL safe inside a markdown link `[text](url)`: parentheses and spaces would end it early. */
export function linkTarget(url: string): string {
  return url.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
