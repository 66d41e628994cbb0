import type { Clock } from '../clock.js';
import type { ChannelRef, Delivery, PostedMessage } from '../model/delivery.js';
import type { Reply } from '../model/reply.js';
import type { PostedPaper } from '../store/postedPapers.js';
import type { Store } from '../store/store.js';

/** The papers a message carries: its cards, and the papers a TL;DR is about. */
export function papersOfReply(reply: Reply): PostedPaper[] {
  const papers = new Map<string, string>();
  for (const block of reply.blocks) if (block.kind === 'paper') papers.set(block.card.id, block.card.title);
  for (const paper of reply.about ?? []) papers.set(paper.id, paper.title);
  return [...papers].map(([paperId, title]) => ({ paperId, title }));
}

/**
 * The delivery, remembering which message carried which papers (posts, thread replies, alerts
 * found in the channel again included), so a 👍 or 👎 on any of them, however old, counts for its papers.
 */
export function recordingPapers(delivery: Delivery, store: Store, clock: Clock): Delivery {
  const record = (channel: ChannelRef, message: PostedMessage, reply: Reply) => {
    const papers = papersOfReply(reply);
    if (papers.length > 0) store.postedPapers.record({ platform: channel.platform, workspaceId: channel.workspaceId ?? '', channelId: channel.channelId }, message.messageId, papers, clock.now());
  };
  return {
    platform: delivery.platform,
    async post(channel, reply, key) {
      const message = await delivery.post(channel, reply, key);
      record(channel, message, reply);
      return message;
    },
    async postInThread(channel, parent, threadTitle, replies, keyPrefix) {
      const messages = await delivery.postInThread(channel, parent, threadTitle, replies, keyPrefix);
      for (const [i, message] of messages.entries()) record(channel, message, replies[i]!);
      return messages;
    },
    findPosted: (channel, key, since) => delivery.findPosted(channel, key, since),
    ...(delivery.permalink ? { permalink: delivery.permalink.bind(delivery) } : {}),
  };
}
