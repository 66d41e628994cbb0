import { runSteps, type Steps } from '../steps.js';
import { LazyArray, type LoadResult } from './lazyArray.js';
import { tokenize, toTerm } from './terms.js';

/**
 * The inverted index as a handful of typed arrays: a sorted term list, and for every
 * (term, field) a run of document numbers with term frequencies. Nothing per term or per
 * posting is a JS object, so 100,000 papers load from a snapshot in a fraction of a second
 * (the large arrays are read from the file as queries need them, until loaded whole) and stay
 * well under a gigabyte, where a tree of Maps took tens of seconds to rebuild and gigabytes to hold.
 */
export interface PostingsData {
  /** Every index term, sorted by UTF-16 code unit (the order `<` compares in). */
  terms: readonly string[];
  fieldCount: number;
  docCount: number;
  /** Postings of (term t, field f) are positions offsets[t*F+f] up to offsets[t*F+f+1]. */
  offsets: Uint32Array;
  docs: LazyArray<Uint32Array>;
  freqs: LazyArray<Uint16Array>;
  /** Distinct tokens per (doc, field), at doc*F+f: the length BM25 normalises by. */
  fieldLengths: Uint32Array;
  avgFieldLengths: readonly number[];
}

const MAX_FREQ = 0xffff;
/** Posting rows laid out between two pauses when finishing in steps. */
const ROWS_PER_STEP = 500_000;

export class Postings {
  constructor(readonly data: PostingsData) {}

  get docCount(): number {
    return this.data.docCount;
  }

  get termCount(): number {
    return this.data.terms.length;
  }

  term(id: number): string {
    return this.data.terms[id]!;
  }

  /** The term's number, or -1 when the index does not have it. */
  lookup(term: string): number {
    const i = lowerBound(this.data.terms, term);
    return this.data.terms[i] === term ? i : -1;
  }

  /** Numbers of the terms starting with `prefix` (the term itself included): [from, to). */
  prefixRange(prefix: string): [number, number] {
    return [lowerBound(this.data.terms, prefix), lowerBound(this.data.terms, `${prefix}\uffff`)];
  }

  /** Start and end of the postings of a term in a field. */
  range(termId: number, field: number): [number, number] {
    const k = termId * this.data.fieldCount + field;
    return [this.data.offsets[k]!, this.data.offsets[k + 1]!];
  }

  /** The documents (ascending) that have the term in the field, with its count in each. */
  run(termId: number, field: number): { docs: Uint32Array; freqs: Uint16Array } {
    const [start, end] = this.range(termId, field);
    return { docs: this.data.docs.subarray(start, end), freqs: this.data.freqs.subarray(start, end) };
  }

  /** Documents with the term in any of the given fields (each counted once). */
  docFrequency(termId: number, fields: readonly number[]): number {
    // Runs are sorted by document: count the union by walking them side by side.
    const runs = fields.map((f) => this.run(termId, f).docs).filter((docs) => docs.length > 0);
    const at = runs.map(() => 0);
    let count = 0;
    for (;;) {
      let lowest = Infinity;
      runs.forEach((docs, r) => {
        if (at[r]! < docs.length && docs[at[r]!]! < lowest) lowest = docs[at[r]!]!;
      });
      if (lowest === Infinity) return count;
      count++;
      runs.forEach((docs, r) => {
        if (docs[at[r]!] === lowest) at[r]!++;
      });
    }
  }

  /**
   * Reads the postings into memory if they are still in a file (checked against their
   * checksum); both arrays are read even if the first is damaged, so the file is let go.
   */
  async load(): Promise<LoadResult> {
    const results = await Promise.allSettled([this.data.docs.load(), this.data.freqs.load()]);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
    return results.every((r) => r.status === 'fulfilled' && r.value === 'loaded') ? 'loaded' : 'retired';
  }

  /** Their index was replaced: background loads stop (see LazyArray.retire). */
  retire(): void {
    this.data.docs.retire();
    this.data.freqs.retire();
  }

  /**
   * Each document's (term, field, count) rows, grouped by document: what the builder made of
   * its text, so a rebuild can take them over for papers whose text did not change.
   */
  *forwardSteps(): Steps<ForwardRows> {
    const { fieldCount, docCount, offsets } = this.data;
    const docs = this.data.docs.all();
    const freqs = this.data.freqs.all();
    const rows = { terms: yield* touched(Uint32Array, docs.length), fields: yield* touched(Uint8Array, docs.length), freqs: yield* touched(Uint16Array, docs.length) };
    // Rows are laid out run after run, so the (term, field) of row j only moves forward.
    let key = 0;
    const starts = yield* countingSortSteps(docs.length, docCount, (j) => docs[j]!, (j, at) => {
      while (offsets[key + 1]! <= j) key++;
      rows.terms[at] = Math.floor(key / fieldCount);
      rows.fields[at] = key % fieldCount;
      rows.freqs[at] = freqs[j]!;
    });
    return { starts, ...rows };
  }

  /** What closes the file the postings (and the papers of the same snapshot) are read from, if any (see LazyArray.fileCloser). */
  fileCloser(): () => void {
    return this.data.docs.fileCloser();
  }

  /**
   * Terms within `maxDistance` edits of `word`, with their distance. Walks the sorted list as
   * if it were a trie: rows of the edit-distance table are kept for the prefix shared with the
   * previous term, and every term under a prefix that is already too far is skipped at once.
   */
  fuzzy(word: string, maxDistance: number): Map<number, number> {
    const found = new Map<number, number>();
    const { terms } = this.data;
    const width = word.length + 1;
    // Row k is for a term's first k characters; no row past word.length + maxDistance + 1 is
    // reached (every cell there is over maxDistance), however long the index's longest term.
    const rows = new Uint16Array((word.length + maxDistance + 2) * width);
    for (let j = 0; j < width; j++) rows[j] = j;
    let previous = '';
    let valid = 0; // rows 0..valid hold the table for previous.slice(0, valid)
    for (let i = 0; i < terms.length; ) {
      const term = terms[i]!;
      let depth = 0;
      const shared = Math.min(valid, term.length);
      while (depth < shared && previous.charCodeAt(depth) === term.charCodeAt(depth)) depth++;
      let tooFar = -1;
      for (let k = depth + 1; k <= term.length; k++) {
        const row = k * width;
        const above = row - width;
        const ch = term.charCodeAt(k - 1);
        rows[row] = k;
        let best = k;
        for (let j = 1; j < width; j++) {
          const cost = word.charCodeAt(j - 1) === ch ? 0 : 1;
          const v = Math.min(rows[above + j]! + 1, rows[row + j - 1]! + 1, rows[above + j - 1]! + cost);
          rows[row + j] = v;
          if (v < best) best = v;
        }
        if (best > maxDistance) {
          tooFar = k;
          break;
        }
      }
      previous = term;
      if (tooFar >= 0) {
        valid = tooFar - 1;
        i = lowerBound(terms, `${term.slice(0, tooFar)}\uffff`, i + 1);
        continue;
      }
      valid = term.length;
      const distance = rows[term.length * width + word.length]!;
      if (distance <= maxDistance) found.set(i, distance);
      i++;
    }
    return found;
  }
}

/** Rows of document d are positions starts[d] up to starts[d+1]. */
export interface ForwardRows {
  starts: Uint32Array;
  terms: Uint32Array;
  fields: Uint8Array;
  freqs: Uint16Array;
}

/** First position in `sorted` (from `from`) whose value is not below `key`. */
function lowerBound(sorted: readonly string[], key: string, from = 0): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Collects documents (each a list of field texts) and lays them out as Postings. Tokens are
 * turned into terms as they come; postings are kept as flat (term, field, doc, freq) rows and
 * sorted by term in one counting pass at the end.
 */
export class PostingsBuilder {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  /** Raw token → term number, -1 for a word that is not a term: most tokens repeat, so each is processed once. */
  private readonly tokenIds = new Map<string, number>();
  /** Per earlier index taken over from (addFrom): its term numbers → ours. */
  private readonly translations = new Map<Postings, Int32Array>();
  private keys: Uint32Array;
  private docs: Uint32Array;
  private freqs: Uint16Array;
  private count = 0;
  private readonly lengths: number[] = [];
  private readonly lengthSums: number[];
  private docCount = 0;

  /** `expectedRows`: about how many (term, field, doc) rows are coming, so the arrays are not grown again and again. */
  constructor(
    private readonly fieldCount: number,
    expectedRows = 1 << 16,
  ) {
    this.lengthSums = new Array<number>(fieldCount).fill(0);
    this.keys = new Uint32Array(expectedRows);
    this.docs = new Uint32Array(expectedRows);
    this.freqs = new Uint16Array(expectedRows);
  }

  add(fields: readonly string[]): void {
    const doc = this.docCount++;
    const perTerm = new Map<number, number>();
    for (let f = 0; f < this.fieldCount; f++) {
      const tokens = tokenize(fields[f] ?? '');
      // BM25's field length: distinct tokens, stop words and case variants included (as MiniSearch counts).
      const length = new Set(tokens).size;
      this.lengths.push(length);
      this.lengthSums[f]! += length;
      perTerm.clear();
      for (const token of tokens) {
        let id = this.tokenIds.get(token);
        if (id === undefined) this.tokenIds.set(token, (id = this.termId(token)));
        if (id >= 0) perTerm.set(id, (perTerm.get(id) ?? 0) + 1);
      }
      for (const [id, freq] of perTerm) this.push(id * this.fieldCount + f, doc, Math.min(freq, MAX_FREQ));
    }
  }

  /**
   * Adds a document with the same text as document `doc` of `previous`, taking over its rows
   * instead of tokenizing again (most of a rebuild's time).
   */
  addFrom(previous: Postings, rows: ForwardRows, doc: number): void {
    const F = this.fieldCount;
    const newDoc = this.docCount++;
    for (let f = 0; f < F; f++) {
      const length = previous.data.fieldLengths[doc * F + f]!;
      this.lengths.push(length);
      this.lengthSums[f]! += length;
    }
    let translate = this.translations.get(previous);
    if (!translate) this.translations.set(previous, (translate = new Int32Array(previous.termCount).fill(-1)));
    for (let k = rows.starts[doc]!; k < rows.starts[doc + 1]!; k++) {
      const old = rows.terms[k]!;
      let id = translate[old]!;
      if (id < 0) translate[old] = id = this.idOf(previous.term(old));
      this.push(id * F + rows.fields[k]!, newDoc, rows.freqs[k]!);
    }
  }

  finish(): Postings {
    return runSteps(this.finishSteps());
  }

  /** finish() as steps (see runStepsPausing), for building while the bot answers. */
  *finishSteps(): Steps<Postings> {
    const F = this.fieldCount;
    const order = this.names.map((_, i) => i).sort((a, b) => (this.names[a]! < this.names[b]! ? -1 : 1));
    const rank = new Uint32Array(this.names.length);
    order.forEach((id, position) => (rank[id] = position));
    const docs = yield* touched(Uint32Array, this.count);
    const freqs = yield* touched(Uint16Array, this.count);
    const sortedKey = (i: number) => rank[Math.floor(this.keys[i]! / F)]! * F + (this.keys[i]! % F);
    // Rows arrive in document order, so each run comes out sorted by document.
    const offsets = yield* countingSortSteps(this.count, this.names.length * F, sortedKey, (i, at) => {
      docs[at] = this.docs[i]!;
      freqs[at] = this.freqs[i]!;
    });
    return new Postings({
      terms: order.map((id) => this.names[id]!),
      fieldCount: F,
      docCount: this.docCount,
      offsets,
      docs: LazyArray.of(docs),
      freqs: LazyArray.of(freqs),
      fieldLengths: Uint32Array.from(this.lengths),
      avgFieldLengths: this.lengthSums.map((sum) => (this.docCount === 0 ? 0 : sum / this.docCount)),
    });
  }

  private termId(token: string): number {
    const term = toTerm(token);
    return term === null ? -1 : this.idOf(term);
  }

  private idOf(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(term, id);
      this.names.push(term);
    }
    return id;
  }

  private push(key: number, doc: number, freq: number): void {
    if (this.count === this.keys.length) {
      this.keys = grow(this.keys);
      this.docs = grow(this.docs);
      this.freqs = grow(this.freqs);
    }
    this.keys[this.count] = key;
    this.docs[this.count] = doc;
    this.freqs[this.count] = freq;
    this.count++;
  }
}

/**
 * A stable counting sort of rows 0..count-1 into buckets 0..buckets-1, pausing every
 * ROWS_PER_STEP rows: `place(row, at)` is called once per row, in row order, with its sorted
 * position. Returns where each bucket starts (bucket b is positions starts[b] up to starts[b+1]).
 */
function* countingSortSteps(count: number, buckets: number, bucketOf: (row: number) => number, place: (row: number, at: number) => void): Steps<Uint32Array> {
  const starts = new Uint32Array(buckets + 1);
  for (let i = 0; i < count; i++) {
    starts[bucketOf(i) + 1]!++;
    if (i % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
  }
  for (let b = 1; b <= buckets; b++) starts[b]! += starts[b - 1]!;
  const next = starts.slice(0, -1);
  for (let i = 0; i < count; i++) {
    place(i, next[bucketOf(i)]!++);
    if (i % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
  }
  return starts;
}

/**
 * A new zeroed array, its memory touched a few MB per step: the scattered writes that fill it
 * then cost no page faults, which at 100k papers would stall one step for half a second.
 */
function* touched<T extends Uint8Array | Uint16Array | Uint32Array>(Type: new (length: number) => T, length: number): Steps<T> {
  const array = new Type(length);
  for (let at = 0; at < length; at += ROWS_PER_STEP) {
    array.fill(0, at, at + ROWS_PER_STEP);
    yield;
  }
  return array;
}

function grow<T extends Uint32Array | Uint16Array>(a: T): T {
  const bigger = new (a.constructor as new (n: number) => T)(a.length * 2);
  bigger.set(a);
  return bigger;
}
