import type { MarkedText } from '../../model/reply.js';
import { ELLIPSIS, truncateEscaped } from './limits.js';

/**
 * Slack's three control characters. Escaping them is what keeps `<!channel>` or `<@U123>` in a
 * paper title from pinging anyone: Slack shows the text literally.
 */
export function escapeControl(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const ZWSP = '\u200b';

/**
 * Text from a digest as mrkdwn that shows exactly what it says: control characters escaped,
 * and `*`, `_`, `~` and backticks fenced by zero-width spaces. mrkdwn has no escape character;
 * a marker only formats when it touches its word, so fenced on both sides it pairs with nothing
 * ("S*: Test Time Scaling…" stays as written) and the text reads and copies the same.
 */
export function escapeMrkdwn(text: string): string {
  return escapeControl(text).replace(/[*_~`]/g, (c) => `${ZWSP}${c}${ZWSP}`);
}

/** An id shown as code: nothing inside a code span formats, but `<!here>` would still be parsed, and a backtick would end it. */
export function mrkdwnCode(text: string): string {
  return `\`${escapeControl(text).replace(/`/g, "'")}\``;
}

/** `<url|text>`: `|` would end the URL early, so it is percent-encoded there. */
export function mrkdwnLink(url: string, text: string): string {
  return `<${escapeControl(url).replace(/\|/g, '%7C')}|${text}>`;
}

/**
 * Marked runs (matched search terms) as *bold*, escaped, within `max` characters. Whitespace
 * stays outside the asterisks, where Slack requires it for bold to render.
 */
export function markedMrkdwn(text: MarkedText, max: number): string {
  let out = '';
  for (const run of text) {
    const piece = renderRun(run.text, run.mark === true, Infinity);
    if (out.length + piece.length <= max) {
      out += piece;
      continue;
    }
    const room = max - out.length;
    const cut = renderRun(run.text, run.mark === true, room);
    if (cut) return out + cut;
    return room >= ELLIPSIS.length ? out + ELLIPSIS : out;
  }
  return out;
}

function renderRun(text: string, mark: boolean, max: number): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
  const [, lead = '', core = '', trail = ''] = m;
  if (!mark || core === '') {
    return max === Infinity ? escapeMrkdwn(text) : truncateEscaped(text, max, escapeMrkdwn);
  }
  if (max === Infinity) return `${lead}*${escapeMrkdwn(core)}*${trail}`;
  const inner = truncateEscaped(core, max - lead.length - 2, escapeMrkdwn);
  return inner ? `${lead}*${inner}*` : '';
}
