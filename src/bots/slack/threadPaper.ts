import { PAPER_BLOCK_PREFIX } from './blocks.js';
import type { ThreadMessage } from './payloads.js';

/**
 * The paper a thread is about, read from the thread itself (no state to lose on restart): the
 * newest message of ours that marks exactly one paper with a `paper:<id>` block_id, e.g. the
 * TL;DR posted there or the single-paper parent. A message listing several papers says nothing.
 */
export function threadPaperId(messages: readonly ThreadMessage[], botId: string | undefined): string | undefined {
  const newestFirst = [...messages].sort((a, b) => Number(b.ts) - Number(a.ts));
  for (const message of newestFirst) {
    if (botId !== undefined && message.bot_id !== botId) continue;
    const ids = new Set<string>();
    for (const block of message.blocks ?? []) {
      const id = block.block_id?.startsWith(PAPER_BLOCK_PREFIX) ? block.block_id.slice(PAPER_BLOCK_PREFIX.length).split(':')[0] : undefined;
      if (id) ids.add(id);
    }
    if (ids.size === 1) return [...ids][0];
  }
  return undefined;
}
