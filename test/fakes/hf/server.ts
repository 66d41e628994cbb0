import { readFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import { RAW_DIR } from '../../helpers/fixtures.js';

/** The real saved API responses, vendored under test/fixtures. */
export { RAW_DIR };

/** What the fake answers for one request of a day. */
export type Behaviour =
  | { kind: 'raw' }
  | { kind: 'body'; body: string; status?: number }
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'hang' }
  /** The connection is dropped before any answer. */
  | { kind: 'reset' };

/**
 * A fake Hugging Face daily-papers API on 127.0.0.1. `GET /api/daily_papers?date=D` answers
 * the real saved response for D (or `[]`, a day without papers) unless a script is set for D:
 * the n-th request of D gets the n-th behaviour, the last one repeating.
 */
export class FakeHfServer {
  readonly requests: string[] = [];
  private readonly scripts = new Map<string, Behaviour[]>();
  private readonly seen = new Map<string, number>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly server = createServer((req, res) => void this.handle(req.url ?? '', res));
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  script(date: string, ...behaviours: Behaviour[]): void {
    this.scripts.set(date, behaviours);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(url: string, res: ServerResponse): Promise<void> {
    const parsed = new URL(url, 'http://127.0.0.1');
    this.requests.push(`${parsed.pathname}${parsed.search}`);
    const date = parsed.searchParams.get('date') ?? '';
    if (parsed.pathname !== '/api/daily_papers' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad request"}');
      return;
    }
    const n = this.seen.get(date) ?? 0;
    this.seen.set(date, n + 1);
    const script = this.scripts.get(date);
    const behaviour: Behaviour = script ? (script[Math.min(n, script.length - 1)] ?? { kind: 'raw' }) : { kind: 'raw' };
    switch (behaviour.kind) {
      case 'raw': {
        const body = await readFile(join(RAW_DIR, `${date}.json`), 'utf8').catch(() => '[]');
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
        return;
      }
      case 'body':
        res.writeHead(behaviour.status ?? 200, { 'content-type': 'application/json' }).end(behaviour.body);
        return;
      case 'status':
        res.writeHead(behaviour.status, behaviour.retryAfter ? { 'retry-after': behaviour.retryAfter } : {}).end(`{"error":"status ${behaviour.status}"}`);
        return;
      case 'hang':
        this.hanging.add(res);
        return;
      case 'reset':
        res.socket?.destroy();
        return;
    }
  }
}

/** A 127.0.0.1 address where nothing listens: every request is refused. */
export async function refusedUrl(): Promise<string> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
