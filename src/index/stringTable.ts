import type { Steps } from '../steps.js';

/** Strings written between two pauses. */
const STRINGS_PER_STEP = 20_000;

/**
 * Strings by number, kept as one UTF-8 buffer with offsets until asked for: a snapshot of
 * 100,000 papers holds 200,000 ids and titles, and making them all JS strings at start-up
 * costs more than everything else the first answer needs.
 */
export class StringTable {
  private constructor(
    private readonly bytes: Buffer,
    /** String i is bytes offsets[i] up to offsets[i+1]. */
    private readonly offsets: Uint32Array,
  ) {}

  /** In steps (see runStepsPausing): 200,000 ids and titles at once held answers up for a third of a second. */
  static *ofSteps(strings: readonly string[]): Steps<StringTable> {
    const offsets = new Uint32Array(strings.length + 1);
    for (const [i, s] of strings.entries()) {
      if (i > 0 && i % STRINGS_PER_STEP === 0) yield;
      offsets[i + 1] = offsets[i]! + Buffer.byteLength(s, 'utf8');
    }
    const bytes = Buffer.allocUnsafe(offsets[strings.length]!);
    for (const [i, s] of strings.entries()) {
      if (i > 0 && i % STRINGS_PER_STEP === 0) yield;
      bytes.write(s, offsets[i]!, 'utf8');
    }
    return new StringTable(bytes, offsets);
  }

  /** Over saved bytes and offsets; throws when they do not fit together. */
  static over(bytes: Uint8Array, offsets: Uint32Array): StringTable {
    if (offsets.length === 0 || offsets[0] !== 0 || offsets[offsets.length - 1] !== bytes.length) throw new Error('string offsets do not match their bytes');
    return new StringTable(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), offsets);
  }

  get length(): number {
    return this.offsets.length - 1;
  }

  get(i: number): string {
    return this.bytes.toString('utf8', this.offsets[i], this.offsets[i + 1]);
  }

  encode(): { bytes: Uint8Array; offsets: Uint32Array } {
    return { bytes: this.bytes, offsets: this.offsets };
  }
}
