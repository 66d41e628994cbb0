import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, SEEDS_DIR } from './seeds.js';

export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

export interface BotProcess {
  child: ChildProcess;
  /** Everything the bot printed on stdout (the console chat). */
  stdout(): string;
  /** Its pino lines from stderr, parsed. */
  logs: LogLine[];
  /** stderr lines that are not JSON (start-up errors). */
  otherStderr: string[];
  waitForLog(msg: string | RegExp, timeoutMs?: number): Promise<LogLine>;
  waitForStdout(text: string, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or the signal that ended it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills it if still running and removes its data folder. */
  cleanUp(): Promise<void>;
}

/**
 * The real bot as `npm start` runs it (src/main.ts through tsx), in its own process with a fresh
 * DATA_DIR and a working directory without a `.env`, so only `env` configures it.
 */
export function spawnBot(env: Record<string, string>): BotProcess {
  const dataDir = mkdtempSync(join(tmpdir(), 'paperbot-process-'));
  const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const child = spawn(process.execPath, ['--import', tsx, join(ROOT, 'src/main.ts')], {
    cwd: dataDir,
    env: { PATH: process.env['PATH'] ?? '', DIGESTS_DIR: SEEDS_DIR, DATA_DIR: join(dataDir, 'data'), LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let errTail = '';
  const logs: LogLine[] = [];
  const otherStderr: string[] = [];
  const waiters = new Set<() => void>();
  const changed = () => {
    for (const w of waiters) w();
  };
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    changed();
  });
  child.stderr!.on('data', (d: Buffer) => {
    const lines = (errTail + d.toString('utf8')).split('\n');
    errTail = lines.pop() ?? '';
    for (const line of lines.filter((l) => l.trim())) {
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        otherStderr.push(line);
      }
    }
    changed();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let done = false;
  void exited.then(() => {
    done = true;
    changed();
  });

  const waitUntil = <T>(probe: () => T | undefined, what: string, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value !== undefined) finish(() => resolve(value));
        else if (done) finish(() => reject(new Error(`bot exited before ${what}; stderr: ${otherStderr.join('\n')}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`timed out waiting for ${what}`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });

  return {
    child,
    stdout: () => out,
    logs,
    otherStderr,
    waitForLog: (msg, timeoutMs = 15_000) => waitUntil(() => logs.find((l) => (typeof msg === 'string' ? l.msg === msg : msg.test(l.msg))), `log "${String(msg)}"`, timeoutMs),
    waitForStdout: (text, timeoutMs = 15_000) => waitUntil(() => (out.includes(text) ? true : undefined), `"${text}" on stdout`, timeoutMs).then(() => undefined),
    exited,
    async cleanUp() {
      if (!done) child.kill('SIGKILL');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
