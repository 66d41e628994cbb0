import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ROOT } from '../helpers/seeds.js';

export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

/**
 * The real bot as `npm start` runs it (src/main.ts under tsx), in a child process whose JSON log
 * lines (stderr) are kept, so a test can wait for what the log says and kill it with SIGKILL.
 * It is started as `node --import tsx` rather than through npx, so the process killed is the bot
 * itself and not a launcher that would leave the bot running.
 */
export class BotProcess {
  readonly logs: LogLine[] = [];
  readonly stderr: string[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;

  constructor(env: Record<string, string>) {
    // No .env from the checkout: only what the test sets.
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DISCORD|SLACK|HF|LLM|DIGEST|DATA_DIR|LOG_LEVEL)/.test(k)));
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let rest = '';
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          this.stderr.push(line);
        }
      }
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves with the first log line `match` accepts; fails after `ms` or when the process ends first. */
  async waitForLog(match: (line: LogLine) => boolean, what: string, ms = 60_000): Promise<LogLine> {
    const until = Date.now() + ms;
    let ended = false;
    void this.exited.then(() => (ended = true));
    for (;;) {
      const line = this.logs.find(match);
      if (line) return line;
      if (ended) throw new Error(`bot exited before ${what}:\n${this.stderr.join('\n')}`);
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}; log so far:\n${this.logs.map((l) => l.msg).join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGKILL, as a power cut or the OOM killer would end it: no shutdown code runs. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Ends the bot the same way when a test is over (nothing is left running). */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) await this.kill();
  }
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
