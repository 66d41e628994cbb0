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
  /** Largest file files.getUploadURLExternal takes (1 GB). */
  fileBytes: 1024 ** 3,
} as const;

export { ELLIPSIS, truncate, truncateEscaped } from '../../text/truncate.js';

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
