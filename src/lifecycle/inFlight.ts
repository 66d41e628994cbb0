/**
 * The answers being worked on right now. Adapters run each incoming event through `run`; at
 * shutdown `close` turns new events away and `drained` resolves once the ones already taken are
 * answered, so a restart never cuts an answer off half way.
 */
export class InFlight {
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  /** Starts `work` and returns its promise (for the caller to await and handle), or undefined when closed. */
  run<T>(work: () => Promise<T>): Promise<T> | undefined {
    if (this.closed) return undefined;
    const result = work();
    const settled: Promise<void> = result
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => this.running.delete(settled));
    this.running.add(settled);
    return result;
  }

  close(): void {
    this.closed = true;
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when nothing is running, including work that finishes by starting other work. */
  async drained(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
