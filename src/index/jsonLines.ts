import { setImmediate as pause } from 'node:timers/promises';

/**
 * Saved indexes are JSON Lines (one value per line) so that a running bot can read one while it
 * answers: parsing a line at a time with a pause every so many lines, where one JSON.parse of the
 * whole would hold every answer up for a second.
 */

export function toJsonLines(values: Iterable<unknown>): Buffer {
  const lines: string[] = [];
  for (const v of values) lines.push(JSON.stringify(v));
  return Buffer.from(lines.join('\n'), 'utf8');
}

/** The values of JSON Lines bytes, parsed one line at a time as they are asked for. Throws on a line that is not JSON. */
export function* jsonLines(bytes: Uint8Array): Generator<unknown, void, undefined> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let start = 0; start < buf.length; ) {
    const newline = buf.indexOf(0x0a, start);
    const end = newline < 0 ? buf.length : newline;
    yield JSON.parse(buf.toString('utf8', start, end));
    start = end + 1;
  }
}

/** The values of JSON Lines bytes; with `perPause`, a pause to the event loop after every that many lines. Throws on a line that is not JSON. */
export async function parseJsonLines(bytes: Uint8Array, perPause?: number): Promise<unknown[]> {
  const values: unknown[] = [];
  for (const value of jsonLines(bytes)) {
    values.push(value);
    if (perPause && values.length % perPause === 0) await pause();
  }
  return values;
}
