import { beforeAll, expect, it } from 'vitest';
import { replyAnswerer } from '../../src/answer/replyAnswerer.js';
import { askCommand } from '../../src/commands/ask.js';
import type { Command } from '../../src/commands/command.js';
import { parseCommandText } from '../../src/commands/parseCommand.js';
import type { Paper } from '../../src/model/paper.js';
import { gradeReply } from './grade.js';
import { seedLibrary } from './seedLibrary.js';

/** The same list question in the ways people type it lists the same papers. */
let ask: Command;
let papers: Map<string, Paper>;
beforeAll(async () => {
  const seeds = await seedLibrary();
  papers = seeds.papers;
  ask = askCommand(replyAnswerer(seeds.library, seeds.clock));
});
const cited = async (q: string) => gradeReply(await ask.run(parseCommandText(`ask ${q}`), { platform: 'console' }), papers).cited;

it('"list all papers on X" and "show me some papers on X" list what "which papers are about X" lists', async () => {
  const base = await cited('which papers are about diffusion models?');
  expect(base.length).toBeGreaterThan(3);
  for (const q of ['list all papers on diffusion models', 'show me some papers on diffusion models', 'any papers on diffusion models?']) {
    expect(await cited(q), q).toEqual(base);
  }
});
