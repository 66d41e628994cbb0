import type { Paper } from '../model/paper.js';
import type { Steps } from '../steps.js';
import { BatchedWork } from './batchedWork.js';
import type { LazyArray, LoadResult } from './lazyArray.js';
import { StringTable } from './stringTable.js';

/** The papers of an index by number (the number the postings use), as a snapshot saves them. */
export interface EncodedPapers {
  /** Id then title of every paper, UTF-8, back to back. */
  keys: Uint8Array;
  /** String k of `keys` (paper k/2's id for even k, title for odd) is bytes keyOffsets[k] up to keyOffsets[k+1]. */
  keyOffsets: Uint32Array;
  /** Paper i is bytes offsets[i] up to offsets[i+1] of the records. */
  offsets: Uint32Array;
  /** One JSON record per paper, back to back. */
  records: Uint8Array;
}

/**
 * Papers by number. Built from parsed papers, or over a snapshot: then only ids and titles
 * (what search and re-ranking need) are read at start, and a paper's record is read and decoded
 * when it is first shown, so a bot with 100,000 papers answers before it has read them all.
 */
export class PaperStore {
  private readonly decoded: (Paper | undefined)[];
  /** The encoded records; let go once every paper is decoded (the objects are all that is needed then). */
  private source: { offsets: Uint32Array; records: LazyArray<Uint8Array> } | undefined;
  /** Decodes every paper not decoded yet. */
  private readonly decoding: BatchedWork | undefined;
  /** Kept when the records are let go: they failed their checksum. */
  private damage: Error | undefined;
  private retired = false;

  private constructor(
    /** Id and title of paper i at 2i and 2i+1. */
    private readonly keys: StringTable,
    papers: (Paper | undefined)[],
    source?: { offsets: Uint32Array; records: LazyArray<Uint8Array> },
  ) {
    this.decoded = papers;
    this.source = source;
    if (source) {
      const { records } = source;
      this.decoding = new BatchedWork(
        papers.length,
        (from, to) => {
          for (let i = from; i < to; i++) if (!this.decoded[i]) this.decodeRecord(i);
        },
        {
          batch: 500,
          onDone: () => {
            this.damage = records.damage;
            this.source = undefined;
          },
          stopped: () => this.retired,
        },
      );
    }
  }

  static *ofSteps(papers: readonly Paper[]): Steps<PaperStore> {
    const keys = yield* StringTable.ofSteps(papers.flatMap((p) => [p.id, p.title]));
    return new PaperStore(keys, [...papers]);
  }

  /** Over encoded papers; throws when the parts do not fit together. */
  static decode(encoded: Omit<EncodedPapers, 'records'> & { records: LazyArray<Uint8Array> }): PaperStore {
    const keys = StringTable.over(encoded.keys, encoded.keyOffsets);
    const { offsets, records } = encoded;
    const n = offsets.length - 1;
    if (keys.length !== 2 * n || offsets[n] !== records.length) throw new Error('paper records do not match the paper count');
    return new PaperStore(keys, new Array<Paper | undefined>(n), { offsets, records });
  }

  /** The snapshot encoding, in steps of a few thousand papers (see runStepsPausing). */
  *encodeSteps(): Steps<EncodedPapers> {
    const papers = this.all();
    const chunks: Buffer[] = [];
    const offsets = new Uint32Array(this.size + 1);
    for (let i = 0; i < papers.length; i++) {
      if (i > 0 && i % 2000 === 0) yield;
      const chunk = Buffer.from(JSON.stringify(papers[i]), 'utf8');
      chunks.push(chunk);
      offsets[i + 1] = offsets[i]! + chunk.length;
    }
    // Copied in steps too: one Buffer.concat of 150 MB (100,000 papers) held answers up for 0.5-1 s.
    const records = Buffer.allocUnsafe(offsets[papers.length]!);
    for (const [i, chunk] of chunks.entries()) {
      if (i > 0 && i % 2000 === 0) yield;
      chunk.copy(records, offsets[i]!);
    }
    const keys = this.keys.encode();
    return { keys: keys.bytes, keyOffsets: keys.offsets, offsets, records };
  }

  get size(): number {
    return this.decoded.length;
  }

  id(i: number): string {
    return this.keys.get(2 * i);
  }

  title(i: number): string {
    return this.keys.get(2 * i + 1);
  }

  get(i: number): Paper {
    return this.decoded[i] ?? this.decodeRecord(i);
  }

  /** Every paper in index order; reads and decodes whatever has not been yet. */
  all(): readonly Paper[] {
    if (this.source) {
      this.source.records.all();
      this.decoding!.finish();
    }
    return this.decoded as Paper[];
  }

  /** Whether every paper is an object already: all() costs nothing then. */
  get inMemory(): boolean {
    return !this.source;
  }

  /**
   * Reads the records (checked against their checksum) and decodes every paper, yielding
   * between steps so answers are not held up; rejects when the records are damaged.
   */
  async warm(): Promise<LoadResult> {
    if (this.damage) throw this.damage;
    if (!this.source) return 'loaded';
    if ((await this.source.records.load()) === 'retired') return 'retired';
    return (await this.decoding!.background()) === 'done' ? 'loaded' : 'retired';
  }

  /** Its index was replaced: reading and decoding in the background stop. */
  retire(): void {
    this.retired = true;
    this.source?.records.retire();
  }

  private decodeRecord(i: number): Paper {
    const { offsets, records } = this.source!;
    const record = records.subarray(offsets[i]!, offsets[i + 1]!);
    let paper: Paper;
    try {
      paper = JSON.parse(Buffer.from(record.buffer, record.byteOffset, record.byteLength).toString('utf8')) as Paper;
    } catch {
      // A damaged record (its checksum is checked when all are read, and the index rebuilt):
      // show what is known for certain rather than fail every search that finds it.
      paper = { id: this.id(i), title: this.title(i), abstract: '', authors: [], upvotes: 0, digests: [] };
    }
    this.decoded[i] = paper;
    return paper;
  }
}
