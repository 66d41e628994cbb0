import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Logs go to stderr, so stdout stays clean for `--json` and for the console chat.
 * Pretty on a terminal when pino-pretty is installed (a dev dependency), JSON lines otherwise.
 */
export function createLogger(level = 'info', pretty = process.stderr.isTTY === true): Logger {
  if (pretty && hasPinoPretty()) {
    return pino({ level, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true } } });
  }
  return pino({ level }, pino.destination({ fd: 2, sync: true }));
}

function hasPinoPretty(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/** For tests and library use: a logger that writes nothing. */
export const silentLogger: Logger = pino({ level: 'silent' });
