import type { PaperIndex } from '../index/paperIndex.js';
import { tastePicks } from '../index/tastePicks.js';
import { DAILY_PICKS, withChannelPicks } from '../present/channelPicks.js';
import type { DailyPost } from '../present/dailyPost.js';
import type { Store } from '../store/store.js';
import type { Subscription } from '../store/types.js';

/**
 * The channel's daily post with its "For this channel" picks when it asked for them
 * (`subscribe --picks on`), ranked by its signals as of the post's day.
 */
export function withTaste(index: PaperIndex, store: Store, sub: Subscription, day: string, post: DailyPost | undefined): DailyPost | undefined {
  if (!post || !sub.forChannel) return post;
  const signals = store.signals.forChannel(sub);
  if (signals.length === 0) return post;
  // Enough picks that DAILY_PICKS remain once the post's own papers are left out.
  const inPost = post.reply.blocks.filter((b) => b.kind === 'paper').length;
  return withChannelPicks(post, tastePicks(index, signals, day, DAILY_PICKS + inPost).picks);
}
