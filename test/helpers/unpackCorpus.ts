import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CORPUS_DIR, FIXTURE_CORPUS_DIR } from './fixtures.js';

/** vitest global setup: the vendored corpus sample, unpacked once per run where tests read it (CORPUS_DIR). */
export default function unpackCorpus(): void {
  mkdirSync(CORPUS_DIR, { recursive: true });
  for (const name of ['papers.jsonl', 'days.jsonl']) {
    const text = gunzipSync(readFileSync(join(FIXTURE_CORPUS_DIR, `${name}.gz`)));
    const target = join(CORPUS_DIR, name);
    const current = (() => {
      try {
        return readFileSync(target);
      } catch {
        return undefined;
      }
    })();
    if (current?.equals(text)) continue;
    // Renamed into place: a second run starting meanwhile never reads half a file.
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, target);
  }
}
