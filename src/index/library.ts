import { IndexNotReadyError } from '../model/errors.js';
import type { PaperIndex } from './paperIndex.js';

/**
 * Holds the current index for every adapter. A reload builds a complete new index and swaps
 * the reference in one assignment, so a search sees the old index or the new one, never half.
 */
export class PaperLibrary {
  private index: PaperIndex | undefined;
  private readonly listeners = new Set<(next: PaperIndex, previous: PaperIndex | undefined) => void>();

  constructor(initial?: PaperIndex) {
    this.index = initial;
  }

  get ready(): boolean {
    return this.index !== undefined;
  }

  /** The current index; throws IndexNotReadyError (a friendly reply) while the first load runs. */
  current(): PaperIndex {
    if (!this.index) throw new IndexNotReadyError();
    return this.index;
  }

  swap(next: PaperIndex): void {
    const previous = this.index;
    this.index = next;
    for (const listener of this.listeners) listener(next, previous);
  }

  /** Called after every swap (alerts for newly ingested papers, metrics). */
  onSwap(listener: (next: PaperIndex, previous: PaperIndex | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
