import type { Writable } from 'node:stream';
import type { ChannelRef, Delivery, PostedMessage } from '../../model/delivery.js';
import type { Reply } from '../../model/reply.js';
import { plainStyle, renderReply, type TextStyle } from '../../render/text.js';

/**
 * Scheduled posts in the local console: printed where the chat is, threads indented under them.
 * A terminal has no history to search, so keyed posts are remembered for the life of the process.
 */
export class ConsoleDelivery implements Delivery {
  readonly platform = 'console' as const;
  private sent = 0;
  private readonly posted = new Map<string, PostedMessage>();

  constructor(
    private readonly output: Writable,
    private readonly style: TextStyle = plainStyle,
  ) {}

  async post(_channel: ChannelRef, reply: Reply, key?: string): Promise<PostedMessage> {
    const known = key ? this.posted.get(key) : undefined;
    if (known) return known;
    const messageId = `console-${++this.sent}`;
    this.output.write(`\n${this.style.dim(`── scheduled post ${messageId} ──`)}\n${renderReply(reply, this.style).text}\n`);
    if (key) this.posted.set(key, { messageId });
    return { messageId };
  }

  async findPosted(_channel: ChannelRef, key: string, _since: Date): Promise<PostedMessage | undefined> {
    return this.posted.get(key);
  }

  async postInThread(_channel: ChannelRef, parent: PostedMessage, threadTitle: string, replies: readonly Reply[], keyPrefix?: string): Promise<PostedMessage[]> {
    const posted = replies.map((_r, i) => ({ messageId: `${parent.messageId}#${i}` }));
    const missing = replies.filter((_r, i) => !keyPrefix || !this.posted.has(`${keyPrefix}#${i}`));
    if (missing.length === 0) return posted;
    const body = missing.map((r) => indent(renderReply(r, this.style).text)).join('\n\n');
    this.output.write(`${this.style.dim(`  ── thread under ${parent.messageId}: ${threadTitle} ──`)}\n${body}\n`);
    if (keyPrefix) for (const i of replies.keys()) this.posted.set(`${keyPrefix}#${i}`, posted[i]!);
    return posted;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
