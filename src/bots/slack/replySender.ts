import type { RespondFn } from '@slack/bolt';
import type { Logger } from '../../logger.js';
import { DeliveryError } from '../../model/delivery.js';
import type { Attachment, Reply } from '../../model/reply.js';
import { plain } from '../../model/reply.js';
import { renderReply, renderThreadParent, type SlackMessage } from './blocks.js';
import { metadataOf, toDeliveryError, type SlackPoster } from './delivery.js';
import type { SlackFileUploader } from './fileUpload.js';

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
  /** The button's answer replaces the message it was on (another page, "More like this" on a private result). */
  replace?: boolean;
  /** A DM with the bot: only the member sees it, so every answer is a plain message there. */
  direct?: boolean;
  /** This interaction's logger (its trigger or event id bound); the adapter's own otherwise. */
  log?: Logger;
  /** The asker's name, shown on posts for the whole channel; a name rather than a mention, so nobody is pinged. */
  askedBy?: string;
}

/** The key a TL;DR thread's parent carries as metadata, so the thread is found again after a restart. */
export function threadParentKey(threadKey: string): string {
  return `tldr ${threadKey}`;
}

/** How far back the channel history is read for an earlier TL;DR thread of the same paper. */
export const THREAD_LOOKBACK_MS = 30 * 24 * 60 * 60_000;

/** How many (channel, paper) TL;DR threads are remembered, so asking again points to the first one. */
const REMEMBERED_THREADS = 2000;

/**
 * Sends a neutral reply where it belongs: privately (response_url, else chat.postEphemeral),
 * to the channel (chat.postMessage), or as a thread reply under the shared message. When Slack
 * refuses a channel post, the asker gets the content privately with a note saying why.
 */
export class ReplySender {
  /** `channel paper` → ts of the TL;DR thread's parent; the oldest is forgotten first. */
  private readonly threads = new Map<string, string>();

  constructor(
    private readonly poster: SlackPoster,
    private readonly logger: Logger,
    private readonly uploader?: SlackFileUploader,
    /** Looks up a TL;DR thread's parent posted before (by a process before a restart) under its key. */
    private readonly findThread: (channelId: string, key: string) => Promise<string | undefined> = async () => undefined,
  ) {}

  async send(reply: Reply, origin: Origin): Promise<void> {
    if (reply.attachment && !reply.error && this.uploader) {
      await this.sendWithFile(reply, reply.attachment, origin);
      return;
    }
    if (origin.replace && origin.respond && !reply.error && !reply.thread) {
      const message = renderReply(reply);
      await this.respondSafely(origin.respond, { replace_original: true, text: message.text, blocks: message.blocks });
      return;
    }
    if (!origin.direct && (reply.error || (reply.visibility === 'ephemeral' && !reply.thread))) {
      await this.privately(renderReply(reply), origin);
      return;
    }
    const shown = withAskedBy(reply, origin);
    try {
      if (reply.thread && !origin.direct) {
        const key = `${origin.channelId} ${reply.thread.key}`;
        const parentKey = threadParentKey(reply.thread.key);
        const earlier = this.threads.get(key) ?? (await this.lookUpThread(origin.channelId, parentKey));
        const known = origin.threadTs ?? (origin.fromEphemeral ? undefined : origin.sourceTs) ?? earlier;
        if (known && known === earlier && !origin.threadTs) {
          this.remember(key, known);
          await this.privately(renderReply(alreadyThreaded(reply.thread.title)), origin);
          return;
        }
        const parent = known ?? (await this.poster.postMessage(origin.channelId, renderThreadParent(reply.thread, origin.askedBy), undefined, metadataOf(parentKey)));
        await this.poster.postMessage(origin.channelId, renderReply(known ? shown : reply), parent);
        this.remember(key, parent);
        return;
      }
      await this.poster.postMessage(origin.channelId, renderReply(shown), origin.threadTs);
      // "Share to channel" from a private result: the public copy replaces it.
      if (origin.fromEphemeral && origin.respond) await this.respondSafely(origin.respond, { delete_original: true });
    } catch (err) {
      const problem = toDeliveryError(err);
      (origin.log ?? this.logger).warn({ err: problem.cause ?? problem, failure: problem.failure, reason: problem.userMessage, channel: origin.channelId }, 'slack post failed');
      await this.privately(renderReply(withNote(reply, problem)), origin);
    }
  }

  /** A failed look-up only costs a second thread, never the answer. */
  private async lookUpThread(channelId: string, parentKey: string): Promise<string | undefined> {
    try {
      return await this.findThread(channelId, parentKey);
    } catch (err) {
      this.logger.warn({ err, channel: channelId }, 'slack thread look-up failed');
      return undefined;
    }
  }

  /** The file goes to the member's DM; the reply says where, or why it could not be sent. */
  private async sendWithFile(reply: Reply, attachment: Attachment, origin: Origin): Promise<void> {
    const rest: Reply = { ...reply };
    delete rest.attachment;
    try {
      const heading = reply.blocks.find((b) => b.kind === 'heading');
      await this.uploader!.sendToMember(origin.userId, attachment, heading?.kind === 'heading' ? heading.text : attachment.name, origin.direct ? origin.channelId : undefined);
      if (origin.direct) return;
      await this.send({ ...rest, blocks: [...rest.blocks, { kind: 'context', text: `I sent ${attachment.name} to you in a direct message with paperbot.` }] }, origin);
    } catch (err) {
      const problem = toDeliveryError(err);
      (origin.log ?? this.logger).warn({ err: problem.cause ?? problem, failure: problem.failure, file: attachment.name }, 'slack file upload failed');
      await this.send({ visibility: 'ephemeral', error: { code: 'upload' }, blocks: [{ kind: 'text', text: plain(`I could not send the file: ${problem.userMessage}`) }] }, origin);
    }
  }

  private remember(key: string, parentTs: string): void {
    this.threads.delete(key);
    this.threads.set(key, parentTs);
    if (this.threads.size > REMEMBERED_THREADS) this.threads.delete(this.threads.keys().next().value!);
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
      (origin.log ?? this.logger).warn({ err: problem.cause ?? problem, failure: problem.failure, channel: origin.channelId }, 'slack ephemeral reply failed');
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

/** A post for the whole channel says whose request it answers; a DM or a thread reply to a mention needs no such line. */
function withAskedBy(reply: Reply, origin: Origin): Reply {
  if (!origin.askedBy || origin.direct || reply.visibility !== 'channel') return reply;
  return { ...reply, blocks: [...reply.blocks, { kind: 'context', text: `Asked by ${origin.askedBy}` }] };
}

function alreadyThreaded(title: string): Reply {
  return { visibility: 'ephemeral', blocks: [{ kind: 'text', text: plain(`This paper already has a thread in this channel, under “${title}”. The TL;DR is there.`) }] };
}

/** The reply shown privately, after a line saying why it could not be posted to the channel. */
function withNote(reply: Reply, problem: DeliveryError): Reply {
  const note = `${problem.userMessage} Here is the answer just for you:`;
  return { ...reply, visibility: 'ephemeral', blocks: [{ kind: 'text', text: plain(note) }, ...reply.blocks] };
}
