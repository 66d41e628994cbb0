import { systemClock } from '../clock.js';
import { loadDotEnv, logLevelOr } from '../config.js';
import { createLogger } from '../logger.js';
import { runCli } from './main.js';

// The CLI is for scripts: quiet unless LOG_LEVEL asks otherwise, and logs never touch stdout.
loadDotEnv();
const logger = createLogger(logLevelOr('warn'));
runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, clock: systemClock, logger })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err: unknown) => {
    process.stderr.write(`paperbot: unexpected failure: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
