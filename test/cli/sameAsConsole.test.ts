import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runConsole } from '../../src/bots/console/consoleBot.js';
import { runCliCaptured } from '../helpers/cli.js';
import { SEEDS_DIR, fixedClock, seedIndex, seedRouter } from '../helpers/seeds.js';

/** What the console chat shows for one typed line, without its banner and the blank line after each answer. */
async function consoleScreen(line: string): Promise<string> {
  const { router } = await seedRouter();
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.on('data', (d: Buffer) => (screen += d.toString()));
  const done = runConsole({ router, input, output, color: false, filesDir: mkdtempSync(join(tmpdir(), 'paperbot-console-')) });
  input.end(line + '\n');
  await done;
  expect(screen.endsWith('\n\n')).toBe(true);
  return screen.slice(0, -1);
}

describe('the CLI and the console chat', () => {
  it('print the same text for the same command', async () => {
    const paper = (await seedIndex()).papers()[0]!;
    const commands = [
      ['find', 'moe routing', '--limit', '3'],
      ['show', paper.id],
      ['trending', 'week', '--limit', '4'],
      ['summary', paper.id],
      ['like', paper.id],
    ];
    for (const words of commands) {
      const cli = await runCliCaptured(words, { DIGESTS_DIR: SEEDS_DIR }, fixedClock());
      expect(cli.code).toBe(0);
      expect(cli.err).toBe('');
      expect(cli.out.split('\n').length).toBeGreaterThan(2);
      expect(cli.out).toBe(await consoleScreen(`/paper ${words.join(' ')}`));
    }
  });

  it('print the same words for the same mistake, the CLI on stderr with exit 2', async () => {
    const cli = await runCliCaptured(['show', 'no such paper anywhere'], { DIGESTS_DIR: SEEDS_DIR }, fixedClock());
    expect(cli.code).toBe(2);
    expect(cli.out).toBe('');
    expect(cli.err).toMatch(/^No paper with id or title “no such paper anywhere”/);
    expect(cli.err).toBe(await consoleScreen('/paper show no such paper anywhere'));
  });
});
