import type { Block, PaperCard, Reply } from '../model/reply.js';
import { humanDate } from '../time/days.js';

/** Where a paper the channel already had was posted. */
export interface EarlierPost {
  /** The day that post was for (YYYY-MM-DD). */
  day: string;
  /** The message, where the platform has links (Discord message URL, Slack permalink). */
  link?: string;
}

/** One line instead of a paper's card: the channel had it already, here is where. */
export function backAgainBlock(card: PaperCard, earlier: EarlierPost): Block {
  const where = earlier.link ? `: ${earlier.link}` : '';
  return { kind: 'context', text: `Back again: “${card.title}”, posted here ${humanDate(earlier.day)}${where}` };
}

/**
 * The reply with each card for which `earlier` gives a post replaced by a back-again line, each
 * card it says 'drop' (a repeat within the reply itself) left out, and the blocks that belong to
 * either (its "Matched:" line, its buttons) dropped. Returns the cards kept in full and the others.
 */
export function withBackAgain(reply: Reply, earlier: (card: PaperCard) => EarlierPost | 'drop' | undefined): { reply: Reply; kept: PaperCard[]; repeated: PaperCard[] } {
  const blocks: Block[] = [];
  const kept: PaperCard[] = [];
  const repeated: PaperCard[] = [];
  let dropping: PaperCard | undefined;
  for (const block of reply.blocks) {
    if (block.kind === 'paper') {
      const before = earlier(block.card);
      dropping = before ? block.card : undefined;
      if (before) {
        repeated.push(block.card);
        if (before !== 'drop') blocks.push(backAgainBlock(block.card, before));
      } else {
        kept.push(block.card);
        blocks.push(block);
      }
      continue;
    }
    if (dropping && belongsTo(block, dropping)) continue;
    dropping = undefined;
    blocks.push(block);
  }
  return { reply: { ...reply, blocks }, kept, repeated };
}

/** A card's own follow-up blocks: the rules it matched, buttons acting on it. */
function belongsTo(block: Block, card: PaperCard): boolean {
  if (block.kind === 'context') return block.text.startsWith('Matched:');
  if (block.kind === 'actions') return block.buttons.every((b) => b.command.split(/\s+/).includes(card.id));
  return false;
}

/** Thread replies about the given cards, found by the title their heading names. */
export function isAbout(reply: Reply, cards: readonly PaperCard[]): boolean {
  const heading = reply.blocks.find((b) => b.kind === 'heading');
  return heading !== undefined && cards.some((c) => heading.text.endsWith(c.title));
}
