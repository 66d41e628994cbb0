import type { Logger } from '../logger.js';
import type { ChannelRef, Delivery } from '../model/delivery.js';
import type { PaperCard, Reply } from '../model/reply.js';
import { isAbout, withBackAgain, type EarlierPost } from '../present/backAgain.js';
import type { DailyPost } from '../present/dailyPost.js';
import type { CarryingMessage, DeliveredPaper, DeliveryScope, EarlierDelivery } from '../store/deliveredRepo.js';
import type { Store } from '../store/store.js';
import type { ChannelKey } from '../store/types.js';
import { paperIdentities } from './paperIdentity.js';

/** A card's paper with every identity it goes by (a card's id is the arXiv id when one is known). */
export function cardPaper(card: PaperCard): DeliveredPaper {
  const arxivId = card.links.arxiv?.split('/abs/')[1];
  return { paperId: card.id, title: card.title, identities: paperIdentities({ id: card.id, title: card.title, ...(arxivId ? { arxivId } : {}) }) };
}

/** The papers a reply shows in full (its cards). */
export function shownPapers(reply: Reply): DeliveredPaper[] {
  return reply.blocks.flatMap((b) => (b.kind === 'paper' ? [cardPaper(b.card)] : []));
}

/**
 * A channel never gets the same paper twice in full: before a post is claimed, each card whose
 * paper the channel already had (under any of its ids, or a title reworded slightly) becomes a
 * one-line "back again" link to the message that carried it, and a card repeating an earlier
 * card of the same post is dropped. Once the post is confirmed, its cards are recorded with
 * its message, in the same transaction as the confirmation.
 */
export class NeverTwice {
  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  async present(channel: ChannelKey, ref: ChannelRef, scope: DeliveryScope, reply: Reply, delivery: Delivery): Promise<{ reply: Reply; kept: PaperCard[]; repeated: PaperCard[] }> {
    const earlier = new Map<string, EarlierPost | 'drop'>();
    const seen: DeliveredPaper[] = [];
    for (const block of reply.blocks) {
      if (block.kind !== 'paper') continue;
      const paper = cardPaper(block.card);
      const before = this.store.delivered.earlier(channel, scope, paper);
      if (before) earlier.set(block.card.id, await this.linked(before, ref, delivery));
      else if (seen.some((s) => s.identities.some((i) => paper.identities.includes(i)))) earlier.set(block.card.id, 'drop');
      seen.push(paper);
    }
    if (earlier.size === 0) return { reply, kept: reply.blocks.flatMap((b) => (b.kind === 'paper' ? [b.card] : [])), repeated: [] };
    return withBackAgain(reply, (card) => earlier.get(card.id));
  }

  /** The daily post as this channel gets it: repeats as back-again lines, their summaries left out of the thread. */
  async dailyPost(channel: ChannelKey, ref: ChannelRef, post: DailyPost, delivery: Delivery): Promise<DailyPost> {
    const shown = await this.present(channel, ref, 'posts', post.reply, delivery);
    const dropped = post.reply.blocks.flatMap((b) => (b.kind === 'paper' && !shown.kept.some((k) => k.id === b.card.id) ? [b.card] : []));
    if (dropped.length === 0) return post;
    return { ...post, reply: shown.reply, thread: post.thread.filter((r) => !isAbout(r, dropped)) };
  }

  /** Records the cards of a confirmed post; call inside the transaction that confirms it. */
  record(channel: ChannelKey, scope: DeliveryScope, reply: Reply, message: CarryingMessage, now: Date): void {
    this.store.delivered.record(channel, scope, shownPapers(reply), message, now);
  }

  /** The earlier post with its link, asking the platform once for a link it does not know yet. */
  private async linked(before: EarlierDelivery, ref: ChannelRef, delivery: Delivery): Promise<EarlierPost> {
    if (before.link || !delivery.permalink) return { day: before.day, ...(before.link ? { link: before.link } : {}) };
    try {
      const link = await delivery.permalink(ref, { messageId: before.messageId });
      if (link) this.store.delivered.setLink(before, before.scope, before.postKey, link);
      return { day: before.day, ...(link ? { link } : {}) };
    } catch (err) {
      this.logger.warn({ err, key: before.postKey }, 'could not get a link to an earlier post; the back-again line names its day only');
      return { day: before.day };
    }
  }
}
