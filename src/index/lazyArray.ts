import { closeSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { IndexReplacedError } from '../model/errors.js';
import { pause } from '../steps.js';

type View = Uint8Array | Uint16Array | Uint32Array;
type ViewType<T extends View> = { new (buffer: ArrayBuffer, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

/** An open file shared by several lazy arrays; closed when the last of them has been read whole. */
export class SharedFile {
  private users = 0;
  private closed = false;

  constructor(private readonly fd: number) {}

  use(): void {
    this.users++;
  }

  release(): void {
    if (--this.users <= 0) this.close();
  }

  /** Closes now, whoever still uses it (a load that failed half-way). */
  close(): void {
    if (!this.closed) {
      this.closed = true;
      closeSync(this.fd);
    }
  }

  /**
   * `length` bytes at `position` into `bytes` from `offset`. Throws IndexReplacedError once
   * closed: the OS hands the descriptor number to the next file opened, so reading it then
   * would return that file's bytes.
   */
  read(bytes: Buffer, offset: number, length: number, position: number): void {
    if (this.closed) throw new IndexReplacedError();
    readInto(this.fd, bytes, offset, length, position);
  }
}

export class DamagedDataError extends Error {}

/** Bytes read per step while loading a whole array in the background: small, so an answer never waits long behind one. */
const CHUNK = 1024 * 1024;

/** How a background load ended: everything read, or given up because its index was replaced. */
export type LoadResult = 'loaded' | 'retired';

/**
 * A typed array that is either in memory or still in a file. Parts are read as they are asked
 * for; `load` reads the whole array in steps between other work, checks it against the
 * checksum it was saved with, and from then on every part is a view of memory. Data that fail
 * the check are still served (the bot keeps answering) but `load` rejects, so the owner can
 * replace them.
 */
export class LazyArray<T extends View> {
  private memory: T | undefined;
  private loading: Promise<LoadResult> | undefined;
  private damaged: DamagedDataError | undefined;
  private retired = false;

  private constructor(
    private readonly type: ViewType<T>,
    readonly length: number,
    memory?: T,
    private readonly file?: { shared: SharedFile; position: number; crc: number },
  ) {
    this.memory = memory;
    file?.shared.use();
  }

  static of<T extends View>(array: T): LazyArray<T> {
    return new LazyArray(array.constructor as unknown as ViewType<T>, array.length, array);
  }

  /** `length` elements at `position` of the file, whose bytes have CRC-32 `crc`. */
  static inFile<T extends View>(type: ViewType<T>, shared: SharedFile, position: number, length: number, crc: number): LazyArray<T> {
    return new LazyArray(type, length, undefined, { shared, position, crc });
  }

  subarray(start: number, end: number): T {
    if (this.memory) return this.memory.subarray(start, end) as T;
    const bytes = this.read(start * this.type.BYTES_PER_ELEMENT, (end - start) * this.type.BYTES_PER_ELEMENT);
    return new this.type(bytes.buffer as ArrayBuffer, bytes.byteOffset, end - start);
  }

  /** The whole array in memory (reading the rest of it now if need be). */
  all(): T {
    if (!this.memory) this.finish(this.read(0, this.length * this.type.BYTES_PER_ELEMENT));
    return this.memory!;
  }

  /** Set once the array, read whole, failed its checksum. */
  get damage(): DamagedDataError | undefined {
    return this.damaged;
  }

  /** Its index was replaced: a background load stops at its next step, and none starts. Parts are still read when asked for. */
  retire(): void {
    this.retired = true;
  }

  /**
   * What closes the file this array (and the others of its snapshot) is read from; reads of
   * what is still in it throw IndexReplacedError afterwards. It holds the file, not this array,
   * so a timer waiting to call it keeps no index in memory.
   */
  fileCloser(): () => void {
    const shared = this.file?.shared;
    return () => shared?.close();
  }

  /**
   * Reads the whole array in steps, yielding between them; rejects with DamagedDataError.
   * Every caller gets the same answer: 'retired' when retire() stopped it with the array still
   * (partly) in the file.
   */
  load(): Promise<LoadResult> {
    if (this.damaged) return Promise.reject(this.damaged);
    if (this.memory) return Promise.resolve('loaded');
    if (this.retired) return Promise.resolve('retired');
    this.loading ??= (async (): Promise<LoadResult> => {
      const { shared, position } = this.file!;
      const bytes = Buffer.allocUnsafeSlow(this.length * this.type.BYTES_PER_ELEMENT);
      for (let done = 0; done < bytes.length && !this.memory; ) {
        if (this.retired) {
          this.loading = undefined;
          return 'retired';
        }
        const n = Math.min(CHUNK, bytes.length - done);
        shared.read(bytes, done, n, position + done);
        done += n;
        await pause();
      }
      if (!this.memory) this.finish(bytes);
      if (this.damaged) throw this.damaged;
      return 'loaded';
    })();
    return this.loading;
  }

  /** `length` bytes from `offset` bytes into the array, read from the file into a buffer of their own. */
  private read(offset: number, length: number): Buffer {
    const bytes = Buffer.allocUnsafeSlow(length);
    this.file!.shared.read(bytes, 0, length, this.file!.position + offset);
    return bytes;
  }

  private finish(bytes: Buffer): void {
    const { shared, crc } = this.file!;
    shared.release();
    this.memory = new this.type(bytes.buffer as ArrayBuffer, bytes.byteOffset, this.length);
    if (crc32(bytes) !== crc) this.damaged = new DamagedDataError('altered or damaged (checksum does not match)');
  }
}

/** `length` bytes at `position`, in a buffer of their own (aligned for typed-array views). */
export function readBytes(fd: number, position: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafeSlow(length);
  readInto(fd, bytes, 0, length, position);
  return bytes;
}

function readInto(fd: number, bytes: Buffer, offset: number, length: number, position: number): void {
  for (let done = 0; done < length; ) {
    const n = readSync(fd, bytes, offset + done, length - done, position + done);
    if (n === 0) throw new DamagedDataError('truncated while reading');
    done += n;
  }
}
