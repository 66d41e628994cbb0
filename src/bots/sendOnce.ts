/**
 * How a keyed post is sent when the platform may have posted it although the answer failed
 * (a 5xx after the work was done, a dropped connection, a timeout): never blindly again. After
 * such an answer the channel is searched for the key first, and only a post not found there is
 * sent once more. A key whose outcome stays unknown is remembered, so this object's next send
 * of it searches before sending too; after a restart the caller asks `findPosted` itself.
 */
export class SendOnce<T> {
  private readonly uncertain = new Set<string>();

  constructor(private readonly ambiguous: (err: unknown) => boolean) {}

  async send(key: string, post: () => Promise<T>, find: () => Promise<T | undefined>): Promise<T> {
    if (this.uncertain.has(key)) {
      const found = await find();
      if (found) return this.settled(key, found);
    }
    try {
      return this.settled(key, await post());
    } catch (err) {
      if (!this.ambiguous(err)) throw err;
      this.uncertain.add(key);
    }
    const found = await find();
    if (found) return this.settled(key, found);
    return this.settled(key, await post());
  }

  private settled(key: string, value: T): T {
    this.uncertain.delete(key);
    return value;
  }
}
