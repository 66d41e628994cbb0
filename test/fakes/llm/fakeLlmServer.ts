import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the fake answers next: a reply text, a raw body, an HTTP status, and an optional delay. */
export interface FakeResponse {
  content?: string;
  raw?: string;
  status?: number;
  delayMs?: number;
}

/**
 * An OpenAI-compatible `/v1/chat/completions` endpoint on 127.0.0.1 that records every request
 * and answers with whatever the test set, so the LLM path is tested without any network.
 */
export class FakeLlmServer {
  readonly requests: RecordedRequest[] = [];
  next: FakeResponse = { content: 'NO_ANSWER' };
  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
        const { content, raw, status = 200, delayMs = 0 } = this.next;
        const timer = setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(raw ?? JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
        }, delayMs);
        res.on('close', () => clearTimeout(timer));
      });
    });
  }

  static async start(): Promise<FakeLlmServer> {
    const fake = new FakeLlmServer();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** Base URL as LLM_BASE_URL would hold it. */
  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
