import type { RespondFn } from '@slack/bolt';
import type { Logger } from '../../logger.js';
import { DeliveryError } from '../../model/delivery.js';
import type { Reply } from '../../model/reply.js';
import { plain } from '../../model/reply.js';
import { renderReply, renderThreadParent, type SlackMessage } from './blocks.js';
import { toDeliveryError, type SlackPoster } from './delivery.js';

/** Where an interaction came from, and the ways back to the user. */
export interface Origin {
  channelId: string;
  userId: string;
  /** response_url: private answers without needing channel membership (commands, buttons). */
  respond?: RespondFn;
  /** Answer inside this thread (a mention, or a button on a message in a thread). */
  threadTs?: string;
  /** The channel message whose button was pressed: a TL;DR threads under it. */
  sourceTs?: string;
  /** The pressed button sat on an ephemeral message (those cannot have threads). */
  fromEphemeral?: boolean;
}

/**
 * Sends a neutral reply where it belongs: privately (response_url, else chat.postEphemeral),
 * to the channel (chat.postMessage), or as a thread reply under the shared message. When Slack
 * refuses a channel post, the asker gets the content privately with a note saying why.
 */
export class Answerer {
  constructor(
    private readonly poster: SlackPoster,
    private readonly logger: Logger,
  ) {}

  async answer(reply: Reply, origin: Origin): Promise<void> {
    if (reply.error || (reply.visibility === 'ephemeral' && !reply.thread)) {
      await this.privately(renderReply(reply), origin);
      return;
    }
    try {
      if (reply.thread) {
        const parent =
          origin.threadTs ?? (origin.fromEphemeral ? undefined : origin.sourceTs) ?? (await this.poster.postMessage(origin.channelId, renderThreadParent(reply.thread)));
        await this.poster.postMessage(origin.channelId, renderReply(reply), parent);
        return;
      }
      await this.poster.postMessage(origin.channelId, renderReply(reply), origin.threadTs);
      // "Share to channel" from a private result: the public copy replaces it.
      if (origin.fromEphemeral && origin.respond) await this.respondSafely(origin.respond, { delete_original: true });
    } catch (err) {
      const problem = toDeliveryError(err);
      this.logger.warn({ err: problem.cause ?? problem, failure: problem.failure, channel: origin.channelId }, `slack post failed: ${problem.userMessage}`);
      await this.privately(renderReply(withNote(reply, problem)), origin);
    }
  }

  /** A private reply; failures are logged, since there is no other way left to reach the user. */
  async privately(message: SlackMessage, origin: Origin): Promise<void> {
    if (origin.respond) {
      await this.respondSafely(origin.respond, { response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
      return;
    }
    try {
      await this.poster.postEphemeral(origin.channelId, origin.userId, message, origin.threadTs);
    } catch (err) {
      const problem = err instanceof DeliveryError ? err : toDeliveryError(err);
      this.logger.warn({ err: problem.cause ?? problem, failure: problem.failure, channel: origin.channelId }, 'slack ephemeral reply failed');
    }
  }

  private async respondSafely(respond: RespondFn, message: Parameters<RespondFn>[0]): Promise<void> {
    try {
      await respond(message);
    } catch (err) {
      // An expired or used-up response_url: nothing else to tell the user through.
      this.logger.warn({ err }, 'slack response_url post failed');
    }
  }
}

/** The reply shown privately, after a line saying why it could not be posted to the channel. */
function withNote(reply: Reply, problem: DeliveryError): Reply {
  const note = `${problem.userMessage} Here is the answer just for you:`;
  return { ...reply, visibility: 'ephemeral', blocks: [{ kind: 'text', text: plain(note) }, ...reply.blocks] };
}
