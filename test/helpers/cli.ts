import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/main.js';
import type { Clock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';

/** Runs the CLI in-process with captured stdout and stderr, as a script calling it would see them. */
export async function runCliCaptured(args: string[], env: NodeJS.ProcessEnv, clock: Clock): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(args, { stdout, stderr, env, clock, logger: silentLogger });
  return { code, out, err };
}
