import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the vendored test data is (test/fixtures/hf-daily-papers, see its SOURCE.md): tests
 * never need anything outside the repository.
 */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURE_CORPUS_DIR = join(ROOT, 'test', 'fixtures', 'hf-daily-papers');
/** Untouched Hugging Face API days (see SOURCE.md for which and why). */
export const RAW_DIR = join(FIXTURE_CORPUS_DIR, 'raw');
/**
 * The corpus sample unpacked as the bot reads a corpus (papers.jsonl + days.jsonl); the
 * vitest global setup (test/helpers/unpackCorpus.ts) writes it before any test runs.
 */
export const CORPUS_DIR = join(ROOT, 'node_modules', '.cache', 'paperbot-test', 'hf-daily-papers');
