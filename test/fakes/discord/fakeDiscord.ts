import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { isMultipart, readUpload, type UploadedFile } from './attachments.js';

/** Discord payloads are loosely typed JSON here: the fake only shapes what discord.js reads. */
// biome-ignore lint/suspicious/noExplicitAny: discord.js reads these untyped; unknown would need a cast at every read
export type Json = Record<string, any>;

export interface RecordedRequest {
  method: string;
  /** Path below /api/v10, e.g. `/channels/2/messages`. */
  path: string;
  query: URLSearchParams;
  body: Json | undefined;
  headers: IncomingHttpHeaders;
  status: number;
  /** With an `accept` fault: whether the work was done before the answer failed. */
  accepted?: boolean;
}

export interface Fault {
  method?: string;
  path: RegExp;
  /** Omitted with `delayMs`: the request is only slowed down, then answered normally. */
  status?: number;
  body?: Json;
  headers?: Record<string, string>;
  delayMs?: number;
  /** How many matching requests fail (or are slowed) before the route works normally again. */
  times: number;
  /**
   * The request is carried out, then answered with `status`: Discord accepted it but its answer
   * was lost on the way back (a 502 from the edge, a timeout), so a retry finds it already done.
   */
  afterHandling?: boolean;
  /**
   * Discord does the work (posts the message) and only the answer fails: `status`, or a dropped
   * connection with `drop`, after `delayMs` when given. The ambiguous failure a sender cannot see through.
   */
  accept?: boolean;
  /** The connection is cut instead of answered. */
  drop?: boolean;
  /** How many matching requests go through untouched before the fault applies. */
  skip?: number;
}

/** A message sent with `nonce` and `enforce_nonce`, remembered for Discord's dedupe window. */
interface NonceRecord {
  messageId: string;
  at: number;
}

interface InteractionState {
  id: string;
  token: string;
  channelId: string;
  dispatchedAt: number;
  acknowledged: boolean;
  originalId?: string;
  /** The message whose button was pressed (component interactions). */
  sourceId?: string;
}

/** Discord answers "Unknown interaction" when the first response comes later than this. */
const INTERACTION_DEADLINE_MS = 3000;
const EPHEMERAL = 64;
const DIRECT_MESSAGES = 1 << 12;
const GUILD_MESSAGE_REACTIONS = 1 << 10;

/**
 * A small Discord on 127.0.0.1: the REST routes paperbot uses under `/api/v10` and a JSON gateway
 * (HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME with replay). It keeps channels,
 * messages and threads in memory and records every request so tests assert what users see.
 */
export class FakeDiscord {
  readonly token = 'fake-bot-token';
  readonly applicationId = '900000000000000002';
  readonly guildId = '100000000000000001';
  readonly channelId = '200000000000000001';
  readonly botUser = { id: '900000000000000001', username: 'paperbot', discriminator: '0', global_name: 'paperbot', avatar: null, bot: true };
  readonly requests: RecordedRequest[] = [];
  /** Frames the bot sent on the gateway (op codes and payloads). */
  readonly gatewayFrames: Json[] = [];
  readonly messages = new Map<string, Json>();
  /** Files uploaded with messages (test/fakes/discord/attachments.ts), by attachment id. */
  readonly uploads = new Map<string, UploadedFile>();
  readonly channels = new Map<string, Json>();
  /** Close codes of ended gateway connections, oldest first (1000: the bot closed normally). */
  readonly gatewayCloses: number[] = [];
  /** Callbacks refused because they came after Discord's 3-second deadline. */
  readonly lateInteractions: string[] = [];
  connections = 0;
  /** The intents the bot identified with: Discord sends no event the bot did not ask for. */
  intents = 0;
  /**
   * How long a repeated nonce returns the first message. Discord documents "the past few
   * minutes" (Create Message, enforce_nonce); tests shrink it to act out a longer gap.
   */
  nonceWindowMs = 5 * 60_000;

  private readonly faults: Fault[] = [];
  private readonly interactions = new Map<string, InteractionState>();
  private readonly nonces = new Map<string, NonceRecord>();
  private readonly events: Json[] = [];
  private socket: WebSocket | undefined;
  private sessionId = '';
  private seq = 0;
  private nextId = 1_400_000_000_000_000_000n;
  private readonly wss: WebSocketServer;

  private constructor(
    private readonly server: Server,
    readonly heartbeatIntervalMs: number,
  ) {
    this.wss = new WebSocketServer({ server, path: '/gateway' });
    this.wss.on('connection', (ws) => this.onConnection(ws));
    this.channels.set(this.channelId, { id: this.channelId, type: 0, guild_id: this.guildId, name: 'papers', position: 0, permission_overwrites: [], parent_id: null, nsfw: false });
  }

  static async start(options: { heartbeatIntervalMs?: number } = {}): Promise<FakeDiscord> {
    let fake: FakeDiscord | undefined;
    const server = createServer((req, res) => void fake!.onHttp(req, res));
    fake = new FakeDiscord(server, options.heartbeatIntervalMs ?? 1000);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The discord.js `rest.api` option. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  snowflake(): string {
    return String(this.nextId++);
  }

  fail(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  /** Forgets every fault not used up yet. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Requests to paths matching `path` (and method, when given), oldest first. */
  requestsTo(path: RegExp, method?: string): RecordedRequest[] {
    return this.requests.filter((r) => path.test(r.path) && (!method || r.method === method));
  }

  async waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 8000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > until) throw new Error(`fake Discord: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  // ---- gateway ----

  /** Sends a dispatch now, or replays it on RESUME when the bot is disconnected. */
  dispatch(t: string, d: Json): void {
    const frame = { op: 0, t, s: ++this.seq, d };
    this.events.push(frame);
    if (this.socket?.readyState === 1) this.socket.send(JSON.stringify(frame));
  }

  /** Cuts the gateway connection without a close frame, as a network failure would. */
  dropConnection(): void {
    this.socket?.terminate();
    this.socket = undefined;
  }

  private onConnection(ws: WebSocket): void {
    this.connections++;
    this.socket = ws;
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs } }));
    ws.on('close', (code) => this.gatewayCloses.push(code));
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as Json;
      this.gatewayFrames.push(frame);
      if (frame.op === 1) ws.send(JSON.stringify({ op: 11 }));
      else if (frame.op === 2) this.onIdentify(ws, frame.d);
      else if (frame.op === 6) this.onResume(ws, frame.d);
    });
  }

  private onIdentify(ws: WebSocket, d: Json): void {
    this.intents = Number(d.intents ?? 0);
    if (d.token !== this.token) {
      ws.close(4004, 'Authentication failed.');
      return;
    }
    this.sessionId = `session-${this.snowflake()}`;
    this.events.length = 0;
    this.seq = 0;
    this.dispatch('READY', {
      v: 10,
      user: this.botUser,
      guilds: [{ id: this.guildId, unavailable: true }],
      session_id: this.sessionId,
      resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway`,
      shard: [0, 1],
      application: { id: this.applicationId, flags: 0 },
    });
    this.dispatch('GUILD_CREATE', this.guildPayload());
  }

  private onResume(ws: WebSocket, d: Json): void {
    if (d.session_id !== this.sessionId || d.token !== this.token) {
      ws.send(JSON.stringify({ op: 9, d: false }));
      return;
    }
    for (const frame of this.events.filter((e) => e.s > d.seq)) ws.send(JSON.stringify(frame));
    this.dispatch('RESUMED', {});
  }

  private guildPayload(): Json {
    return {
      id: this.guildId,
      name: 'Paper Club',
      icon: null,
      owner_id: '300000000000000009',
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      premium_tier: 0,
      nsfw_level: 0,
      preferred_locale: 'en-US',
      features: [],
      emojis: [],
      stickers: [],
      roles: [{ id: this.guildId, name: '@everyone', permissions: String((1n << 10n) | (1n << 11n)), position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
      members: [],
      channels: [...this.channels.values()].filter((c) => c.type === 0),
      threads: [...this.channels.values()].filter((c) => c.type === 11 && !c.thread_metadata.archived),
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      member_count: 2,
      large: false,
      unavailable: false,
      joined_at: '2025-01-01T00:00:00.000Z',
      system_channel_id: null,
      premium_progress_bar_enabled: false,
    };
  }

  // ---- what users do ----

  user(id = '300000000000000001', name = 'ada'): Json {
    return { id, username: name, discriminator: '0', global_name: name, avatar: null };
  }

  member(user: Json, permissions: bigint): Json {
    return { user, roles: [], joined_at: '2025-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0, permissions: String(permissions) };
  }

  /** Types `/paper <sub> options…`; returns the interaction token. */
  slashCommand(subcommand: string, options: Json[] = [], extra: { permissions?: bigint; channelId?: string; type?: 2 | 4 } = {}): string {
    return this.interaction(extra.type ?? 2, { id: '800000000000000001', name: 'paper', type: 1, options: [{ name: subcommand, type: 1, options }] }, extra);
  }

  /** Types into an autocompleted option (`focused`). */
  autocomplete(subcommand: string, options: Json[]): string {
    return this.slashCommand(subcommand, options, { type: 4 });
  }

  /** Presses a button on a message the bot posted. */
  pressButton(messageId: string, customId: string, extra: { permissions?: bigint } = {}): string {
    const message = this.messages.get(messageId);
    if (!message) throw new Error(`fake Discord: no message ${messageId}`);
    return this.interaction(3, { custom_id: customId, component_type: 2 }, { ...extra, channelId: message.channel_id, message });
  }

  /** A user posts a message (optionally mentioning the bot) in a channel or thread. */
  userMessage(content: string, options: { channelId?: string; mentionBot?: boolean } = {}): string {
    const id = this.snowflake();
    const author = this.user();
    this.dispatch('MESSAGE_CREATE', {
      ...messageDefaults(),
      id,
      channel_id: options.channelId ?? this.channelId,
      guild_id: this.guildId,
      author,
      member: { roles: [], joined_at: '2025-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 },
      content,
      mentions: options.mentionBot ? [this.botUser] : [],
    });
    return id;
  }

  /**
   * A user DMs the bot. Like Discord, the event reaches the bot only with the DirectMessages
   * intent, carries no guild, and names a DM channel the bot has not been told about before.
   * Returns whether it was delivered.
   */
  directMessage(content: string, user = this.user('300000000000000002', 'grace')): boolean {
    const channelId = `7${user.id.slice(1)}`;
    if (!this.channels.has(channelId)) this.channels.set(channelId, { id: channelId, type: 1, recipients: [user], last_message_id: null, flags: 0 });
    if (!(this.intents & DIRECT_MESSAGES)) return false;
    this.dispatch('MESSAGE_CREATE', {
      ...messageDefaults(),
      id: this.snowflake(),
      channel_id: channelId,
      // Discord names the channel's type on every MESSAGE_CREATE; discord.js needs it for an uncached DM.
      channel_type: 1,
      author: user,
      content,
    });
    return true;
  }

  /**
   * A member adds (or with `remove` takes back) an emoji reaction on a message, as Discord
   * dispatches it (https://discord.com/developers/docs/events/gateway-events#message-reaction-add):
   * only with the GuildMessageReactions intent, naming the message by id alone (the bot may never
   * have seen it), with the member on an add and without it on a remove. Adding the same emoji
   * twice changes nothing and sends nothing, as on Discord. Returns whether an event was sent.
   */
  react(messageId: string, emoji: string, options: { user?: Json; remove?: boolean } = {}): boolean {
    const message = this.messages.get(messageId);
    if (!message) throw new Error(`fake Discord: no message ${messageId}`);
    const user = options.user ?? this.user();
    const reactions = (message.reactions ??= []) as Array<{ emoji: { id: null; name: string }; users: string[] }>;
    let reaction = reactions.find((r) => r.emoji.name === emoji);
    if (options.remove) {
      if (!reaction?.users.includes(user.id)) return false;
      reaction.users = reaction.users.filter((id) => id !== user.id);
    } else {
      if (!reaction) reactions.push((reaction = { emoji: { id: null, name: emoji }, users: [] }));
      if (reaction.users.includes(user.id)) return false;
      reaction.users.push(user.id);
    }
    if (!(this.intents & GUILD_MESSAGE_REACTIONS)) return false;
    const common = { user_id: user.id, channel_id: message.channel_id, message_id: messageId, guild_id: this.guildId, emoji: { id: null, name: emoji }, burst: false, type: 0 };
    if (options.remove) this.dispatch('MESSAGE_REACTION_REMOVE', common);
    else
      this.dispatch('MESSAGE_REACTION_ADD', {
        ...common,
        member: { user, roles: [], joined_at: '2025-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 },
        message_author_id: message.author.id,
        burst_colors: [],
      });
    return true;
  }

  /** The DM channel the bot shares with a user (see directMessage). */
  dmChannelId(user = this.user('300000000000000002', 'grace')): string {
    return `7${user.id.slice(1)}`;
  }

  private interaction(type: number, data: Json, extra: { permissions?: bigint; channelId?: string; message?: Json }): string {
    const id = this.snowflake();
    const token = `itoken-${id}`;
    const channelId = extra.channelId ?? this.channelId;
    const channel = this.channels.get(channelId)!;
    this.interactions.set(token, { id, token, channelId, dispatchedAt: Date.now(), acknowledged: false, sourceId: extra.message?.id });
    this.dispatch('INTERACTION_CREATE', {
      id,
      application_id: this.applicationId,
      type,
      data,
      guild_id: this.guildId,
      channel_id: channelId,
      channel: { ...channel },
      member: this.member(this.user(), extra.permissions ?? (1n << 10n) | (1n << 11n)),
      token,
      version: 1,
      app_permissions: String((1n << 11n) | (1n << 14n) | (1n << 35n) | (1n << 38n)),
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { 0: this.guildId },
      context: 0,
      ...(extra.message ? { message: extra.message } : {}),
    });
    return token;
  }

  // ---- what users see ----

  /** The interaction's own reply (after edits), if any. */
  original(token: string): Json | undefined {
    const id = this.interactions.get(token)?.originalId;
    return id ? this.messages.get(id) : undefined;
  }

  /** Every interaction callback body for this token (deferrals, replies, autocomplete results). */
  callbacks(token: string): Json[] {
    const state = this.interactions.get(token);
    if (!state) return [];
    return this.requests.filter((r) => r.path === `/interactions/${state.id}/${token}/callback` && r.status < 300).map((r) => r.body!);
  }

  /** Messages posted into a channel or thread, oldest first (ephemeral ones are not in a channel). */
  channelMessages(channelId: string): Json[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId && !(m.flags & EPHEMERAL));
  }

  threads(): Json[] {
    return [...this.channels.values()].filter((c) => c.type === 11);
  }

  // ---- REST ----

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const raw = await readRawBody(req);
    let body: Json | undefined;
    if (isMultipart(req.headers)) {
      const upload = await readUpload(req.headers, raw, () => this.snowflake());
      if ('tooLarge' in upload) {
        res.writeHead(413, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Request entity too large', code: 40005 }));
        return;
      }
      if ('invalid' in upload) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `Invalid Form Body: ${upload.invalid}`, code: 50035 }));
        return;
      }
      body = upload.body;
      for (const file of upload.files) this.uploads.set(file.id, file);
    } else {
      const text = raw.toString('utf8');
      body = text ? (JSON.parse(text) as Json) : undefined;
    }
    const record: RecordedRequest = { method: req.method ?? 'GET', path, query: url.searchParams, body, headers: req.headers, status: 0 };
    this.requests.push(record);
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      // Like Discord, a 204 carries no body and no content type (discord.js parses JSON by content type).
      res.writeHead(status, { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    let fault = this.faults.find((f) => f.times > 0 && f.path.test(path) && (!f.method || f.method === record.method));
    if (fault?.skip) {
      fault.skip--;
      fault = undefined;
    }
    if (fault?.accept && req.headers.authorization === `Bot ${this.token}`) {
      fault.times--;
      await this.acceptThenFail(fault, record, path, body, url.searchParams, res, send);
      return;
    }
    if (fault) {
      fault.times--;
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.drop) {
        record.status = -1;
        res.socket?.destroy();
        return;
      }
      if (fault.status && !fault.afterHandling) {
        send(fault.status, fault.body ?? { message: `fake failure ${fault.status}`, code: 0 }, fault.headers);
        return;
      }
    }
    if (!path.startsWith('/interactions/') && !path.startsWith('/webhooks/') && req.headers.authorization !== `Bot ${this.token}`) {
      send(401, { message: '401: Unauthorized', code: 0 });
      return;
    }
    const route = this.route(record.method, path, body, url.searchParams);
    if (fault?.afterHandling && fault.status) {
      send(fault.status, fault.body ?? { message: `fake failure ${fault.status}`, code: 0 }, fault.headers);
      return;
    }
    send(route.status, route.body);
  }

  /** Routes the request as usual (the message is posted), then answers with the fault instead. */
  private async acceptThenFail(
    fault: Fault,
    record: RecordedRequest,
    path: string,
    body: Json | undefined,
    query: URLSearchParams,
    res: ServerResponse,
    send: (status: number, payload?: unknown) => void,
  ): Promise<void> {
    const route = this.route(record.method, path, body, query);
    record.accepted = route.status < 300;
    if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault.drop) {
      record.status = -1;
      res.socket?.destroy();
      return;
    }
    if (fault.status) send(fault.status, fault.body ?? { message: `fake failure ${fault.status}`, code: 0 });
    else send(route.status, route.body);
  }

  private route(method: string, path: string, body: Json | undefined, query: URLSearchParams): { status: number; body?: unknown } {
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      return ok({ url: `ws://127.0.0.1:${this.port}/gateway`, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } });
    }
    if (method === 'GET' && path === '/users/@me') return ok(this.botUser);
    if (method === 'PUT' && (m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path))) {
      if (m[1] !== this.applicationId) return notFound(10002, 'Unknown Application');
      return ok((body as unknown as Json[]).map((c) => ({ ...c, id: this.snowflake(), application_id: this.applicationId, ...(m![2] ? { guild_id: m![2] } : {}), version: '1' })));
    }
    if (method === 'POST' && (m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path))) return this.callback(m[2]!, body!, query);
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/.exec(path))) return this.webhook(method, m[2]!, m[3], body);
    if (method === 'GET' && (m = /^\/guilds\/(\d+)\/threads\/active$/.exec(path))) {
      return ok({ threads: this.threads().filter((t) => t.guild_id === m![1] && !t.thread_metadata.archived), members: [] });
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(path)) && method === 'POST') return this.startThread(m[1]!, m[2]!, body!);
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path)) && method === 'GET') {
      const message = this.messages.get(m[2]!);
      return message && message.channel_id === m[1] && !(message.flags & EPHEMERAL) ? ok(message) : notFound(10008, 'Unknown Message');
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path))) {
      if (!this.channels.has(m[1]!)) return notFound(10003, 'Unknown Channel');
      if (method === 'POST') {
        const problem = invalidMessage(body!);
        return problem ? invalidForm(problem) : this.createMessage(m[1]!, body!);
      }
      if (method === 'GET') return this.listMessages(m[1]!, query);
    }
    if ((m = /^\/channels\/(\d+)$/.exec(path)) && method === 'GET') {
      const channel = this.channels.get(m[1]!);
      return channel ? ok(channel) : notFound(10003, 'Unknown Channel');
    }
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  private callback(token: string, body: Json, query: URLSearchParams): { status: number; body?: unknown } {
    const state = this.interactions.get(token);
    if (!state) return notFound(10062, 'Unknown interaction');
    if (state.acknowledged) return { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } };
    if (Date.now() - state.dispatchedAt > INTERACTION_DEADLINE_MS) {
      this.lateInteractions.push(token);
      return notFound(10062, 'Unknown interaction');
    }
    const problem = body.type === 4 || body.type === 7 ? invalidMessage(body.data ?? {}) : undefined;
    if (problem) return invalidForm(problem);
    state.acknowledged = true;
    let message: Json | undefined;
    switch (body.type) {
      case 4:
      case 5:
        message = this.postMessage(state.channelId, { ...(body.data ?? {}), ...(body.type === 5 ? { content: '', loading: true } : {}) }, token);
        state.originalId = message.id;
        break;
      case 6:
      case 7:
        state.originalId = state.sourceId;
        if (body.type === 7 && state.sourceId) message = this.editMessage(state.sourceId, body.data ?? {});
        break;
      case 8:
        break;
      default:
        return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
    }
    if (query.get('with_response') !== 'true') return { status: 204 };
    return ok({
      interaction: { id: state.id, type: 2, response_message_id: message?.id, response_message_loading: body.type === 5, response_message_ephemeral: Boolean((message?.flags ?? 0) & EPHEMERAL) },
      resource: message ? { type: body.type, message } : { type: body.type },
    });
  }

  private webhook(method: string, token: string, messageId: string | undefined, body: Json | undefined): { status: number; body?: unknown } {
    const state = this.interactions.get(token);
    if (!state) return notFound(10015, 'Unknown Webhook');
    const id = messageId === '@original' ? state.originalId : messageId;
    const problem = method === 'POST' || method === 'PATCH' ? invalidMessage(body ?? {}) : undefined;
    if (problem) return invalidForm(problem);
    if (messageId === undefined && method === 'POST') {
      if (!state.acknowledged) return notFound(10015, 'Unknown Webhook');
      return ok(this.postMessage(state.channelId, body!, token));
    }
    const message = id ? this.messages.get(id) : undefined;
    if (!message) return notFound(10008, 'Unknown Message');
    if (method === 'GET') return ok(message);
    if (method === 'PATCH') return ok(this.editMessage(message.id, { ...body!, loading: false }));
    if (method === 'DELETE') {
      this.messages.delete(message.id);
      return { status: 204 };
    }
    return { status: 405 };
  }

  /**
   * Create Message with Discord's dedupe: with `enforce_nonce`, a nonce (at most 25 characters)
   * seen from the same author within the window returns the first message instead of a new one.
   * The nonce is echoed in this answer only; listed messages do not carry it.
   */
  private createMessage(channelId: string, body: Json): { status: number; body: unknown } {
    const nonce = body.nonce as string | number | undefined;
    if (typeof nonce === 'string' && nonce.length > 25) return invalidForm('nonce: Must be 25 or fewer in length.');
    if (nonce === undefined || !body.enforce_nonce) return ok(this.postMessage(channelId, body));
    const key = `${this.botUser.id}:${nonce}`;
    const seen = this.nonces.get(key);
    const first = seen && Date.now() - seen.at <= this.nonceWindowMs ? this.messages.get(seen.messageId) : undefined;
    if (first) return ok({ ...first, nonce });
    const message = this.postMessage(channelId, body);
    this.nonces.set(key, { messageId: message.id, at: Date.now() });
    return ok({ ...message, nonce });
  }

  /** Get Channel Messages: newest first, `limit` 1–100 (50 by default), one of `before` / `after` / `around`. */
  private listMessages(channelId: string, query: URLSearchParams): { status: number; body: unknown } {
    const limit = Number(query.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return invalidForm('limit: int value should be between 1 and 100.');
    const newestFirst = this.channelMessages(channelId).reverse();
    const before = query.get('before');
    const after = query.get('after');
    const around = query.get('around');
    if (before) return ok(newestFirst.filter((m) => BigInt(m.id) < BigInt(before)).slice(0, limit));
    if (after) return ok(newestFirst.filter((m) => BigInt(m.id) > BigInt(after)).slice(-limit));
    if (around) {
      const older = newestFirst.filter((m) => BigInt(m.id) <= BigInt(around)).slice(0, Math.ceil(limit / 2));
      const newer = newestFirst.filter((m) => BigInt(m.id) > BigInt(around)).slice(-Math.floor(limit / 2));
      return ok([...newer, ...older]);
    }
    return ok(newestFirst.slice(0, limit));
  }

  /**
   * The bot's messages in text channels (threads and interaction answers left out), counted by
   * channel and UTC day of posting: what a member scrolling the channel sees once a day.
   */
  postsPerChannelDay(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.messages.values()) {
      if (m.author.id !== this.botUser.id || m.interaction_token || this.channels.get(m.channel_id)?.type !== 0) continue;
      const key = `${m.channel_id} ${String(m.timestamp).slice(0, 10)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  /** Adds a text channel to the guild (seen by the bot on its next GUILD_CREATE). */
  addChannel(id: string, name: string): void {
    this.channels.set(id, { id, type: 0, guild_id: this.guildId, name, position: this.channels.size, permission_overwrites: [], parent_id: null, nsfw: false });
  }

  private postMessage(channelId: string, body: Json, interactionToken?: string): Json {
    const id = this.snowflake();
    const channel = this.channels.get(channelId);
    if (channel?.type === 11) channel.message_count++;
    const message: Json = {
      ...messageDefaults(),
      id,
      channel_id: channelId,
      guild_id: this.guildId,
      author: this.botUser,
      content: body.content ?? '',
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      flags: body.flags ?? 0,
      allowed_mentions: body.allowed_mentions,
      message_reference: body.message_reference,
      attachments: body.attachments ?? [],
      type: interactionToken ? 20 : body.message_reference ? 19 : 0,
      ...(interactionToken ? { application_id: this.applicationId, webhook_id: this.applicationId, interaction_token: interactionToken } : {}),
      ...(body.loading ? { loading: true } : {}),
    };
    this.messages.set(id, message);
    return message;
  }

  private editMessage(id: string, body: Json): Json {
    const message = this.messages.get(id)!;
    for (const key of ['content', 'embeds', 'components', 'allowed_mentions', 'flags', 'attachments'] as const) if (key in body) message[key] = body[key];
    if (body.loading === false) delete message.loading;
    message.edited_timestamp = new Date().toISOString();
    return message;
  }

  private startThread(channelId: string, messageId: string, body: Json): { status: number; body?: unknown } {
    const message = this.messages.get(messageId);
    if (!message || message.channel_id !== channelId || message.flags & EPHEMERAL) return notFound(10008, 'Unknown Message');
    if (this.channels.has(messageId)) return { status: 400, body: { message: 'A thread has already been created for this message', code: 160004 } };
    if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 100) return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
    // A thread started from a message has the message's id.
    const thread = {
      id: messageId,
      type: 11,
      guild_id: this.guildId,
      parent_id: channelId,
      owner_id: this.botUser.id,
      name: body.name,
      last_message_id: null,
      message_count: 0,
      member_count: 1,
      rate_limit_per_user: 0,
      flags: 0,
      thread_metadata: { archived: false, auto_archive_duration: body.auto_archive_duration ?? 1440, archive_timestamp: new Date().toISOString(), locked: false },
    };
    this.channels.set(thread.id, thread);
    message.thread = thread;
    this.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
    return ok(thread);
  }
}

/**
 * Discord's form validation for message payloads: over any limit it answers 400 Invalid Form
 * Body instead of posting, so every end-to-end test also checks the limits.
 */
export function invalidMessage(body: Json): string | undefined {
  const embeds = (body.embeds ?? []) as Json[];
  const rows = (body.components ?? []) as Json[];
  const ids = rows.flatMap((r) => (r.components as Json[]).map((c) => c.custom_id as string));
  const length = (e: Json) =>
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text?.length ?? 0) +
    (e.author?.name?.length ?? 0) +
    ((e.fields ?? []) as Json[]).reduce((n, f) => n + f.name.length + f.value.length, 0);
  if ((body.content ?? '').length > 2000) return 'content: Must be 2000 or fewer in length.';
  if (embeds.length > 10) return 'embeds: Must be 10 or fewer in length.';
  for (const e of embeds) {
    if ((e.title ?? '').length > 256) return 'embeds.title: Must be 256 or fewer in length.';
    if ((e.description ?? '').length > 4096) return 'embeds.description: Must be 4096 or fewer in length.';
    if ((e.footer?.text ?? '').length > 2048) return 'embeds.footer.text: Must be 2048 or fewer in length.';
    const fields = (e.fields ?? []) as Json[];
    if (fields.length > 25) return 'embeds.fields: Must be 25 or fewer in length.';
    for (const f of fields) if (!f.name || f.name.length > 256 || !f.value || f.value.length > 1024) return 'embeds.fields: invalid field.';
  }
  if (embeds.reduce((n, e) => n + length(e), 0) > 6000) return 'embeds: Embed size exceeds maximum size of 6000';
  if (rows.length > 5 || rows.some((r) => r.components.length > 5)) return 'components: at most 5 rows of 5.';
  if (ids.some((id) => !id || id.length > 100)) return 'components.custom_id: Must be between 1 and 100 in length.';
  if (new Set(ids).size !== ids.length) return 'components.custom_id: Component custom id cannot be duplicated';
  if (!body.content && embeds.length === 0) return 'Cannot send an empty message';
  return undefined;
}

function invalidForm(problem: string): { status: number; body: unknown } {
  return { status: 400, body: { message: `Invalid Form Body: ${problem}`, code: 50035 } };
}

function ok(body: unknown): { status: number; body: unknown } {
  return { status: 200, body };
}

function notFound(code: number, message: string): { status: number; body: unknown } {
  return { status: 404, body: { message, code } };
}

async function readRawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The fields every message object has, as Discord sends them for a plain new message. */
function messageDefaults(): Json {
  return {
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    components: [],
    pinned: false,
    type: 0,
    flags: 0,
  };
}
