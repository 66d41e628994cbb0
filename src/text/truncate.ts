/** Shortening text for platform limits: one implementation for every adapter and reply. */

export const ELLIPSIS = '…';

/**
 * Shortens text to at most `max` UTF-16 units (how Discord and Slack count), cutting at the last
 * word boundary when one is reasonably close and ending with an ellipsis.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max === 1) return ELLIPSIS;
  let cut = text.slice(0, max - ELLIPSIS.length);
  // Never split a surrogate pair: half an emoji renders as a replacement character.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const lastSpace = cut.search(/\s\S*$/);
  if (lastSpace > cut.length / 2) cut = cut.slice(0, lastSpace);
  return cut.trimEnd() + ELLIPSIS;
}

/**
 * Truncates raw text so that its escaped form fits `max`. Cutting the raw text (not the escaped
 * one) never leaves half an escape sequence behind; the longest raw cut that fits is found by
 * bisection because escaping lengthens text unevenly.
 */
export function truncateEscaped(raw: string, max: number, escapeText: (s: string) => string): string {
  const whole = escapeText(raw);
  if (whole.length <= max) return whole;
  let lo = 0;
  let hi = Math.min(raw.length, max);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (escapeText(truncate(raw, mid)).length <= max) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : escapeText(truncate(raw, lo));
}
