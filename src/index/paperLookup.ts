import { titleId } from '../parser/ids.js';
import { titleKey } from '../parser/text.js';
import type { Steps } from '../steps.js';

/** The keys a paper is found by: its id (any case), the id derived from its title, its normalised title. */
const KEYS: readonly ((id: string, title: string) => string)[] = [(id) => id.toLowerCase(), (_id, title) => titleId(title), (_id, title) => titleKey(title)];
export type LookupKey = 'id' | 'titleId' | 'title';
const KIND: Record<LookupKey, number> = { id: 0, titleId: 1, title: 2 };

/** Papers keyed between two pauses while the orders are made. */
const PAPERS_PER_STEP = 5000;

/**
 * Finds papers by id or title without a Map of every key: for each kind of key, the paper
 * numbers sorted by that key (saved with the snapshot), searched by halving. A lookup computes
 * about 17 keys at 100,000 papers, where filling Maps computed 300,000 (a second at start).
 */
export class PaperLookup {
  private constructor(
    /** Paper numbers sorted by key kind k, ties by number, at k*n up to (k+1)*n. */
    readonly orders: Uint32Array,
    private readonly size: number,
    private readonly idOf: (paper: number) => string,
    private readonly titleOf: (paper: number) => string,
  ) {}

  /** Sorts the papers by every kind of key, in steps (see runStepsPausing). */
  static *buildSteps(size: number, idOf: (paper: number) => string, titleOf: (paper: number) => string): Steps<PaperLookup> {
    const orders = new Uint32Array(KEYS.length * size);
    for (const [kind, keyOf] of KEYS.entries()) {
      const keys: string[] = new Array<string>(size);
      for (let i = 0; i < size; i++) {
        keys[i] = keyOf(idOf(i), titleOf(i));
        if (i % PAPERS_PER_STEP === PAPERS_PER_STEP - 1) yield;
      }
      const order = Array.from({ length: size }, (_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
      orders.set(order, kind * size);
      yield;
    }
    return new PaperLookup(orders, size, idOf, titleOf);
  }

  /** Over saved orders; throws when they do not fit the paper count. */
  static over(orders: Uint32Array, size: number, idOf: (paper: number) => string, titleOf: (paper: number) => string): PaperLookup {
    if (orders.length !== KEYS.length * size || orders.some((paper) => paper >= size)) throw new Error('paper lookup does not match the paper count');
    return new PaperLookup(orders, size, idOf, titleOf);
  }

  /** Numbers of the papers whose key of this kind is `key` (already in that key's form), ascending. */
  find(kind: LookupKey, key: string): number[] {
    const k = KIND[kind];
    const keyAt = (position: number) => {
      const paper = this.orders[k * this.size + position]!;
      return KEYS[k]!(this.idOf(paper), this.titleOf(paper));
    };
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keyAt(mid) < key) lo = mid + 1;
      else hi = mid;
    }
    const found: number[] = [];
    for (let at = lo; at < this.size && keyAt(at) === key; at++) found.push(this.orders[k * this.size + at]!);
    return found;
  }
}
