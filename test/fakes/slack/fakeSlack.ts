import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { blockKitProblem } from './blockKitRules.js';
import { FakeFileUploads } from './fileUploads.js';

/** Identity of the fake workspace and its bot. */
export const BOT_TOKEN = 'xoxb-fake-bot-token';
export const APP_TOKEN = 'xapp-fake-app-token';
export const BOT_USER_ID = 'UBOT0001';
export const BOT_ID = 'BBOT0001';
export const TEAM_ID = 'TTEAM001';

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
}

export interface ResponseUrlPost {
  /** The path segment the test gave the response_url, e.g. the trigger it belongs to. */
  id: string;
  body: Record<string, unknown>;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: Array<{ block_id?: string; [k: string]: unknown }>;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

/**
 * Slack did the call (posted the message) and only the answer fails: HTTP `status`, or a dropped
 * connection with `drop`, after `delayMs` when given; or, with neither, the answer comes late.
 */
export interface AfterAccept {
  status?: 500 | 502 | 503;
  drop?: boolean;
  delayMs?: number;
}

/** `hang`: the call is neither carried out nor answered (the request never got through). */
export type Failure = { status: 429; retryAfter: number } | { status: 500 | 502 | 503 } | { error: string } | { hang: true };

export interface FakeUser {
  is_admin?: boolean;
  is_owner?: boolean;
}

/**
 * A Slack on 127.0.0.1 for end-to-end tests: the Web API methods the bot calls (reached through
 * Bolt's slackApiUrl), response_url endpoints, and a Socket Mode WebSocket that
 * apps.connections.open points at. It records what the bot sent and keeps channel history so
 * conversations.replies answers from what was really posted.
 */
export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  readonly messages: StoredMessage[] = [];
  readonly users = new Map<string, FakeUser>();
  /** Messages refused for breaking a Block Kit rule; a correct bot leaves this empty. */
  readonly rejections: string[] = [];
  /** Every ack the bot sent over the socket, by envelope id. */
  readonly socketAcks = new Map<string, Record<string, unknown>>();
  /** Files uploaded through the external upload flow (test/fakes/slack/fileUploads.ts). */
  readonly uploads = new FakeFileUploads(() => `http://127.0.0.1:${this.port}`);
  private readonly failures = new Map<string, Failure[]>();
  private readonly afterAccept = new Map<string, AfterAccept[]>();
  private readonly changes = new EventEmitter();
  private readonly sockets = new Set<WebSocket>();
  private readonly wss: WebSocketServer;
  private nextTs = 100;
  private nextEnvelope = 1;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {
    this.changes.setMaxListeners(100);
    this.wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/link')) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
  }

  static async start(): Promise<FakeSlack> {
    let fake: FakeSlack | undefined;
    const server = createServer((req, res) => void fake!.onRequest(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeSlack(server, (server.address() as AddressInfo).port);
    return fake;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/respond/${encodeURIComponent(id)}`;
  }

  /** The next `times` calls to `method` fail this way. */
  failNext(method: string, failure: Failure, times = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array.from({ length: times }, () => failure)]);
  }

  /** Forgets every failure not used up yet. */
  clearFailures(): void {
    this.failures.clear();
    this.afterAccept.clear();
  }

  /** The next `times` calls to `method` are carried out, then answered this way. */
  acceptThen(method: string, outcome: AfterAccept, times = 1): void {
    this.afterAccept.set(method, [...(this.afterAccept.get(method) ?? []), ...Array.from({ length: times }, () => outcome)]);
  }

  /**
   * The bot's top-level messages (thread replies left out), counted by channel and UTC day of
   * posting: what a member scrolling the channel sees once a day.
   */
  postsPerChannelDay(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.messages) {
      if (m.bot_id !== BOT_ID || (m.thread_ts && m.thread_ts !== m.ts)) continue;
      const key = `${m.channel} ${new Date(Number(m.ts) * 1000).toISOString().slice(0, 10)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  responsesTo(id: string): ResponseUrlPost[] {
    return this.responses.filter((r) => r.id === id);
  }

  /** A message someone else posted (a user's question, another thread parent). */
  seedMessage(message: StoredMessage): void {
    this.messages.push(message);
  }

  /** Resolves once `check` returns a value (re-checked on every recorded call); fails after `ms`. */
  async until<T>(check: () => T | undefined | false, what: string, ms = 5000): Promise<T> {
    const now = check();
    if (now) return now;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.changes.off('change', onChange);
        reject(new Error(`fake Slack: timed out waiting for ${what}`));
      }, ms);
      const onChange = () => {
        const value = check();
        if (!value) return;
        clearTimeout(timer);
        this.changes.off('change', onChange);
        resolve(value);
      };
      this.changes.on('change', onChange);
    });
  }

  /** Socket Mode connections open right now. */
  get openSockets(): number {
    return this.sockets.size;
  }

  /** Resolves when the bot has a Socket Mode connection open. */
  socketConnected(): Promise<true> {
    return this.until(() => this.sockets.size > 0 || false, 'a Socket Mode connection');
  }

  /**
   * Sends an envelope over Socket Mode the way Slack does and resolves with the bot's ack.
   * `retryAttempt` > 0 is Slack redelivering an event it thinks was lost.
   */
  async sendEnvelope(type: 'slash_commands' | 'interactive' | 'events_api', payload: unknown, options: { retryAttempt?: number; envelopeId?: string } = {}): Promise<Record<string, unknown>> {
    const [socket] = this.sockets;
    if (!socket) throw new Error('fake Slack: no Socket Mode connection');
    const envelopeId = options.envelopeId ?? `env-${this.nextEnvelope++}`;
    const envelope: Record<string, unknown> = { envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api' };
    if (type === 'events_api') Object.assign(envelope, { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryAttempt ? 'timeout' : '' });
    socket.send(JSON.stringify(envelope));
    return this.until(() => this.socketAcks.get(envelopeId), `the ack of ${envelopeId}`);
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
      if (msg.envelope_id) this.socketAcks.set(msg.envelope_id, msg.payload ?? {});
      this.changed();
    });
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.changed();
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'AFAKE' } }));
    this.changed();
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.uploads.handlesPath(req.url ?? '')) return this.uploads.receive(req, res);
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'POST' && url.pathname.startsWith('/respond/')) {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      const problem = body['delete_original'] === true ? undefined : blockKitProblem(body);
      this.responses.push({ id: decodeURIComponent(url.pathname.slice('/respond/'.length)), body });
      this.changed();
      // response_url answers a bad message with a 400 and a plain-text reason.
      if (problem) this.rejections.push(problem);
      if (problem) return void res.writeHead(400, { 'Content-Type': 'text/plain' }).end(problem);
      return send(res, 200, { ok: true });
    }
    if (req.method !== 'POST' || !url.pathname.startsWith('/api/')) return send(res, 404, { ok: false, error: 'not_found' });
    const method = url.pathname.slice('/api/'.length);
    const args = parseArgs(raw, req.headers['content-type']);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? (args['token'] as string | undefined);
    this.calls.push({ method, args, token });
    const failure = this.failures.get(method)?.shift();
    this.changed();
    if (failure) {
      if ('hang' in failure) return;
      if ('error' in failure) return send(res, 200, { ok: false, error: failure.error });
      if (failure.status === 429) return send(res, 429, { ok: false, error: 'ratelimited' }, { 'Retry-After': String(failure.retryAfter) });
      res.writeHead(failure.status, { 'Content-Type': 'text/plain' }).end('upstream error');
      return;
    }
    const answer = this.answer(method, args, token);
    const after = this.afterAccept.get(method)?.shift();
    if (after) return this.answerAfterAccept(res, answer, after);
    send(res, 200, answer);
  }

  private async answerAfterAccept(res: ServerResponse, answer: Record<string, unknown>, after: AfterAccept): Promise<void> {
    if (after.delayMs) await new Promise((r) => setTimeout(r, after.delayMs));
    if (after.drop) return void res.socket?.destroy();
    if (after.status) return void res.writeHead(after.status, { 'Content-Type': 'text/plain' }).end('upstream error');
    send(res, 200, answer);
  }

  private answer(method: string, args: Record<string, unknown>, token: string | undefined): Record<string, unknown> {
    if (method === 'apps.connections.open') {
      return token === APP_TOKEN ? { ok: true, url: `ws://127.0.0.1:${this.port}/link?ticket=fake` } : { ok: false, error: 'invalid_auth' };
    }
    if (token !== BOT_TOKEN) return { ok: false, error: 'invalid_auth' };
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.test/', team: 'Fake', user: 'paperbot', team_id: TEAM_ID, user_id: BOT_USER_ID, bot_id: BOT_ID };
      case 'chat.postMessage': {
        const problem = blockKitProblem(args);
        if (problem) return this.reject(problem);
        const channel = String(args['channel']);
        const ts = this.ts();
        const message: StoredMessage = { channel, ts, text: args['text'] as string, blocks: args['blocks'] as StoredMessage['blocks'], user: BOT_USER_ID, bot_id: BOT_ID };
        if (args['thread_ts']) message.thread_ts = String(args['thread_ts']);
        const metadata = args['metadata'] as StoredMessage['metadata'] | undefined;
        if (metadata) message.metadata = metadata;
        this.messages.push(message);
        return { ok: true, channel, ts, message };
      }
      case 'chat.postEphemeral': {
        const problem = blockKitProblem(args);
        if (problem) return this.reject(problem);
        return { ok: true, message_ts: this.ts() };
      }
      case 'conversations.replies': {
        const channel = String(args['channel']);
        const ts = String(args['ts']);
        const thread = this.messages.filter((m) => m.channel === channel && (m.ts === ts || m.thread_ts === ts)).sort((a, b) => Number(a.ts) - Number(b.ts));
        return thread.length > 0 ? { ok: true, messages: thread.map((m) => withMetadata(m, args)), has_more: false } : { ok: false, error: 'thread_not_found' };
      }
      case 'conversations.history':
        return this.history(args);
      case 'chat.getPermalink': {
        // Like Slack: a link to a message that exists, in the archive URL form (ts without its dot).
        const channel = String(args['channel']);
        const ts = String(args['message_ts']);
        if (!this.messages.some((m) => m.channel === channel && m.ts === ts)) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel, permalink: `https://fake.slack.test/archives/${channel}/p${ts.replace('.', '')}` };
      }
      case 'users.info': {
        const id = String(args['user']);
        const user = this.users.get(id);
        return user ? { ok: true, user: { id, team_id: TEAM_ID, ...user } } : { ok: false, error: 'user_not_found' };
      }
      default:
        return this.uploads.answer(method, args) ?? { ok: false, error: 'unknown_method' };
    }
  }

  /**
   * conversations.history: the channel's top-level messages, newest first, after `oldest` and
   * before `latest` (exclusive unless `inclusive`), `limit` per page (100 by default) with a
   * cursor; metadata only with `include_all_metadata`.
   */
  private history(args: Record<string, unknown>): Record<string, unknown> {
    const channel = String(args['channel']);
    const inclusive = args['inclusive'] === true;
    const oldest = Number(args['oldest'] ?? 0);
    const latest = args['latest'] === undefined ? Infinity : Number(args['latest']);
    const limit = Number(args['limit'] ?? 100);
    const offset = Number(args['cursor'] ?? 0);
    const inRange = (ts: number) => (inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest);
    const all = this.messages.filter((m) => m.channel === channel && (!m.thread_ts || m.thread_ts === m.ts) && inRange(Number(m.ts))).sort((a, b) => Number(b.ts) - Number(a.ts));
    const page = all.slice(offset, offset + limit);
    const more = offset + limit < all.length;
    return { ok: true, messages: page.map((m) => withMetadata(m, args)), has_more: more, response_metadata: { next_cursor: more ? String(offset + limit) : '' } };
  }

  private reject(problem: string): Record<string, unknown> {
    this.rejections.push(problem);
    return { ok: false, error: problem.split(':')[0] };
  }

  private ts(): string {
    // Slack's ts: the posting time in seconds and a per-message suffix, numerically ordered like the real thing.
    return `${Math.floor(Date.now() / 1000)}.${String(this.nextTs++).padStart(6, '0')}`;
  }

  private changed(): void {
    this.changes.emit('change');
  }
}

/** Slack returns a message's metadata only to callers that ask with `include_all_metadata`. */
function withMetadata(message: StoredMessage, args: Record<string, unknown>): StoredMessage {
  if (args['include_all_metadata'] === true || !message.metadata) return message;
  const { metadata: _metadata, ...rest } = message;
  return rest;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The Web API client sends forms whose object values (blocks) are JSON strings. */
function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    args[k] = /^[[{]/.test(v) ? parseJsonOr(v) : v === 'true' ? true : v === 'false' ? false : v;
  }
  return args;
}

function parseJsonOr(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}
