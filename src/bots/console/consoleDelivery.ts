import type { Writable } from 'node:stream';
import type { ChannelRef, Delivery, PostedMessage } from '../../model/delivery.js';
import type { Reply } from '../../model/reply.js';
import { plainStyle, renderReply, type TextStyle } from './renderText.js';

/** Scheduled posts in the local console: printed where the chat is, threads indented under them. */
export class ConsoleDelivery implements Delivery {
  readonly platform = 'console' as const;
  private sent = 0;

  constructor(
    private readonly output: Writable,
    private readonly style: TextStyle = plainStyle,
  ) {}

  async post(_channel: ChannelRef, reply: Reply): Promise<PostedMessage> {
    const messageId = `console-${++this.sent}`;
    this.output.write(`\n${this.style.dim(`── scheduled post ${messageId} ──`)}\n${renderReply(reply, this.style).text}\n`);
    return { messageId };
  }

  async findPosted(_channel: ChannelRef, _key: string, _since: Date): Promise<PostedMessage | undefined> {
    return undefined;
  }

  async postInThread(_channel: ChannelRef, parent: PostedMessage, threadTitle: string, replies: readonly Reply[]): Promise<void> {
    const body = replies.map((r) => indent(renderReply(r, this.style).text)).join('\n\n');
    this.output.write(`${this.style.dim(`  ── thread under ${parent.messageId}: ${threadTitle} ──`)}\n${body}\n`);
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
