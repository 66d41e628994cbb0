import { pause } from '../steps.js';

/**
 * Work over items 0..n-1 in batches that can run in the background, yielding to the event
 * loop between batches so answers are not held up, or be finished at once when a caller needs
 * the result now. Either way each item is done exactly once.
 */
export class BatchedWork {
  private next = 0;
  private running: Promise<'done' | 'stopped'> | undefined;

  constructor(
    private readonly count: number,
    private readonly step: (from: number, to: number) => void,
    private readonly options: {
      batch?: number;
      onDone?: () => void;
      /** The owner's "no longer wanted" (its index was replaced): the background run stops, for every caller. */
      stopped?: () => boolean;
    } = {},
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

  /** Works through the rest a batch at a time, yielding between batches: 'stopped' when `stopped` ended it first. */
  background(): Promise<'done' | 'stopped'> {
    this.running ??= (async () => {
      try {
        while (!this.done) {
          if (this.options.stopped?.()) return 'stopped';
          this.runBatch();
          await pause();
        }
        return 'done';
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
