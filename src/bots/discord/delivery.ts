import { Routes, type APIMessage, type REST } from 'discord.js';
import type { ChannelRef, Delivery, PostedMessage } from '../../model/delivery.js';
import type { Reply } from '../../model/reply.js';
import { toDeliveryError } from './deliveryError.js';
import { renderReply } from './render.js';
import { messageBody, openThread } from './threads.js';

/** What the scheduler uses to post into Discord channels; every failure is a DeliveryError. */
export class DiscordDelivery implements Delivery {
  readonly platform = 'discord' as const;

  constructor(private readonly rest: REST) {}

  async post(channel: ChannelRef, reply: Reply): Promise<PostedMessage> {
    try {
      const message = (await this.rest.post(Routes.channelMessages(channel.channelId), { body: messageBody(renderReply({ ...reply, visibility: 'channel' })) })) as APIMessage;
      return { messageId: message.id };
    } catch (err) {
      throw toDeliveryError(err, `posting to channel ${channel.channelId}`);
    }
  }

  async findPosted(_channel: ChannelRef, _key: string, _since: Date): Promise<PostedMessage | undefined> {
    return undefined;
  }

  async postInThread(channel: ChannelRef, parent: PostedMessage, threadTitle: string, replies: readonly Reply[]): Promise<void> {
    try {
      const thread = await openThread(this.rest, channel.channelId, parent.messageId, threadTitle);
      for (const reply of replies) {
        await this.rest.post(Routes.channelMessages(thread.id), { body: messageBody(renderReply({ ...reply, visibility: 'channel' })) });
      }
    } catch (err) {
      throw toDeliveryError(err, `posting in a thread of channel ${channel.channelId}`);
    }
  }
}
