import type { Writable } from 'node:stream';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Reply } from '../model/reply.js';

/** What a CLI command may touch: its streams, environment, clock and logger. */
export interface CliIO {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  logger: Logger;
}

/** Exit codes: 0 success (zero hits too), 2 bad usage or unreadable input, 1 an unexpected failure. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** What a CLI command gives back for main to print: the reply a person reads, or the JSON a script reads. */
export interface CliResult {
  code: number;
  /** Printed as text on stdout, or on stderr when it is an error reply. */
  reply: Reply;
  /** What `--json` prints instead of the reply. */
  json?: unknown;
  /** A summary line for stderr beside the result (`check` counts what it found). */
  note?: string;
}
