import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runConsole } from '../../../src/bots/console/consoleBot.js';
import { seedRouter } from '../../helpers/seeds.js';

/** Types the lines into a console chat the way a person would and returns the screen. */
async function chat(lines: string[], endWithEof = true): Promise<string> {
  const { router } = await seedRouter();
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.on('data', (d: Buffer) => (screen += d.toString()));
  const done = runConsole({ router, input, output, color: false, banner: 'welcome', filesDir: mkdtempSync(join(tmpdir(), 'paperbot-console-')) });
  for (const line of lines) input.write(line + '\n');
  if (endWithEof) input.end();
  await done;
  return screen;
}

describe('console chat', () => {
  it('answers /paper find with numbered papers and buttons', async () => {
    const screen = await chat(['/paper find moe routing']);
    expect(screen).toMatch(/^welcome\n/);
    expect(screen).toMatch(/Papers about “moe routing”/);
    expect(screen).toMatch(/\n1\. .*Mixture-of-Experts/);
    expect(screen).toMatch(/\[1\] Summary {2}\[2\] More like this/);
    expect(screen).not.toContain('\x1b[');
  });

  it('typing a button number presses it', async () => {
    const screen = await chat(['find moe routing', '1']);
    expect(screen).toMatch(/── thread: .*Mixture-of-Experts/);
    expect(screen).toMatch(/\nTL;DR \(t-[0-9a-f]{10}\)\n• /);
  });

  it('says so when there is no such button', async () => {
    expect(await chat(['7'])).toMatch(/There is no button 7 on the last reply/);
  });

  it('answers mistakes politely and keeps going', async () => {
    const screen = await chat(['fnd x', 'show 2405.99999', 'help']);
    expect(screen).toMatch(/Unknown command “fnd”/);
    expect(screen).toMatch(/No paper with id or title/);
    expect(screen).toMatch(/\/paper find <query>/);
  });

  it('quits on “exit” without reading further lines', async () => {
    const screen = await chat(['exit', 'help'], false);
    expect(screen).not.toMatch(/\/paper find <query>/);
  });
});
