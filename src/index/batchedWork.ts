import { setImmediate as pause } from 'node:timers/promises';

/**
 * Work over items 0..n-1 in batches that can run in the background, yielding to the event
 * loop between batches so answers are not held up, or be finished at once when a caller needs
 * the result now. Either way each item is done exactly once.
 */
export class BatchedWork {
  private next = 0;
  private running: Promise<void> | undefined;

  constructor(
    private readonly count: number,
    private readonly step: (from: number, to: number) => void,
    private readonly options: { batch?: number; onDone?: () => void } = {},
  ) {
    if (count === 0) options.onDone?.();
  }

  get done(): boolean {
    return this.next >= this.count;
  }

  /** Finishes whatever is left now. */
  finish(): void {
    while (!this.done) this.runBatch();
  }

  /** Works through the rest a batch at a time, yielding between batches. */
  background(): Promise<void> {
    this.running ??= (async () => {
      try {
        while (!this.done) {
          this.runBatch();
          await pause();
        }
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private runBatch(): void {
    const from = this.next;
    const to = Math.min(this.count, from + (this.options.batch ?? 2000));
    this.step(from, to);
    this.next = to;
    if (to === this.count) this.options.onDone?.();
  }
}
