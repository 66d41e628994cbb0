import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FixedClock } from '../../src/clock.js';
import { CommandRouter } from '../../src/commands/router.js';
import { coreCommands } from '../../src/coreCommands.js';
import { PaperLibrary } from '../../src/index/library.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import { loadDigests, type LoadResult } from '../../src/parser/loadDigests.js';
import { ROOT } from './fixtures.js';

/** Shared fixtures: the real seed digests and the vendored corpus sample, read the way the bot reads them. */
export { CORPUS_DIR, RAW_DIR, ROOT } from './fixtures.js';
export const SEEDS_DIR = join(ROOT, 'seeds');

/** The day these tests pretend it is: after every seed digest. */
export const TODAY = '2026-11-23';
export const fixedClock = () => new FixedClock(new Date(`${TODAY}T12:00:00Z`));

export function seedFiles(): string[] {
  return readdirSync(SEEDS_DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort();
}

export function readSeed(name: string): string {
  return readFileSync(join(SEEDS_DIR, name), 'utf8');
}

let cached: Promise<LoadResult> | undefined;
export function loadSeeds(): Promise<LoadResult> {
  cached ??= loadDigests([SEEDS_DIR], { today: TODAY });
  return cached;
}

export async function seedIndex(): Promise<PaperIndex> {
  const load = await loadSeeds();
  return PaperIndex.build(
    load.papers,
    load.digests.map((d) => d.date),
  );
}

export async function seedRouter(): Promise<{ router: CommandRouter; library: PaperLibrary; index: PaperIndex }> {
  const index = await seedIndex();
  const library = new PaperLibrary(index);
  return { router: new CommandRouter(coreCommands({ library, clock: fixedClock() })), library, index };
}
