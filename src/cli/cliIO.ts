import type { Writable } from 'node:stream';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';

/** What a CLI command may touch: its streams, environment, clock and logger. */
export interface CliIO {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  logger: Logger;
}
