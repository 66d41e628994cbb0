/**
 * Slack's Block Kit limits: a message over any of them is rejected (invalid_blocks /
 * msg_too_long), so every text the renderer emits passes through here.
 */
export const LIMITS = {
  sectionText: 3000,
  contextText: 3000,
  contextElements: 10,
  headerText: 150,
  buttonText: 75,
  actionValue: 2000,
  actionsElements: 25,
  blockId: 255,
  blocks: 50,
  /** Slack's message ceiling is about 40k characters; we count the serialised blocks, which errs on the safe side. */
  messageChars: 40_000,
  /** The notification / fallback `text` beside the blocks. */
  fallbackText: 3000,
} as const;

export const ELLIPSIS = '…';

/**
 * Shortens text to at most `max` UTF-16 units, cutting at the last word boundary when one is
 * reasonably close and ending with an ellipsis.
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
 * Truncates raw text so that its escaped form fits `max`. Cutting the raw text (never the
 * escaped one) cannot leave half an `&amp;` behind; the budget shrinks until the result fits.
 */
export function truncateEscaped(raw: string, max: number, escape: (s: string) => string): string {
  let budget = max;
  for (;;) {
    const escaped = escape(truncate(raw, budget));
    if (escaped.length <= max) return escaped;
    // Shrink in proportion to the overshoot: quick for entity-dense text, never below what fits.
    budget = Math.min(budget - 1, Math.floor((budget * max) / escaped.length));
    if (budget <= 0) return '';
  }
}

/** A block as sent to Slack; only its serialised size matters here. */
type AnyBlock = { type: string };

/**
 * Keeps a message within 50 blocks and about 40k characters by dropping trailing blocks and
 * saying so in a last context line, so a user knows the list goes on.
 */
export function fitMessage<B extends AnyBlock>(blocks: B[], note: (dropped: number) => B): B[] {
  const size = (bs: B[]) => JSON.stringify(bs).length;
  if (blocks.length <= LIMITS.blocks && size(blocks) <= LIMITS.messageChars) return blocks;
  let kept = blocks.slice(0, LIMITS.blocks - 1);
  while (kept.length > 0 && size([...kept, note(blocks.length - kept.length)]) > LIMITS.messageChars) kept = kept.slice(0, -1);
  return [...kept, note(blocks.length - kept.length)];
}
