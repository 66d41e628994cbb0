import type { IncomingMessage, RequestListener, Server } from 'node:http';
import { isValidSlackRequest } from '@slack/bolt';
import type { Logger } from '../../logger.js';

export interface BodyLimits {
  /** Slack's own payloads stay far below 1 MB; anything bigger is not from Slack. */
  maxBytes: number;
  /** A body still arriving after this long is dropped: a slow sender cannot hold a socket. */
  bodyTimeoutMs: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = { maxBytes: 1024 * 1024, bodyTimeoutMs: 10_000 };

/** Bolt reads `rawBody` instead of the stream when it is already set. */
type Buffered = IncomingMessage & { rawBody?: Buffer };

/**
 * Stands in front of Bolt's HTTP receiver: a body over the limit gets 413 before more of it is
 * read (at once when Content-Length says so), a body that trickles in gets 408, and an unsigned
 * or wrongly signed body gets 401 before anything parses it. Only then does Bolt see the request,
 * with the body it would otherwise have read whole into memory.
 */
export function guardedListener(next: RequestListener, signingSecret: string, limits: BodyLimits, logger: Logger): RequestListener {
  return (req, res) => {
    if (req.method !== 'POST') return next(req, res);
    const refuse = (status: number, error: string, fields: Record<string, unknown> = {}) => {
      logger.warn({ status, path: req.url, remote: req.socket.remoteAddress, ...fields }, 'slack http request refused');
      // Closing the connection is what stops the sender: the rest of the body is never read.
      res.writeHead(status, { 'Content-Type': 'application/json', Connection: 'close' }).end(JSON.stringify({ error }), () => req.destroy());
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBytes) return refuse(413, 'request body too large', { bytes: declared });

    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const timer = setTimeout(() => finish(() => refuse(408, 'request body too slow', { bytes: size })), limits.bodyTimeoutMs);
    const finish = (then: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.removeListener('data', onData);
      then();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) finish(() => refuse(413, 'request body too large', { bytes: size }));
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('error', () => finish(() => undefined));
    req.on('end', () =>
      finish(() => {
        const body = Buffer.concat(chunks);
        if (!signedBySlack(req, body, signingSecret, logger)) return refuse(401, 'invalid signature');
        (req as Buffered).rawBody = body;
        next(req, res);
      }),
    );
  };
}

/** Slack's SSL check carries no signature; Bolt answers it and drops everything else in it. */
const SSL_CHECK = /^ssl_check=1(&token=[^&]*)?$/;

function signedBySlack(req: IncomingMessage, body: Buffer, signingSecret: string, logger: Logger): boolean {
  const text = body.toString('utf8');
  if (req.headers['content-type'] === 'application/x-www-form-urlencoded' && SSL_CHECK.test(text)) return true;
  const signature = req.headers['x-slack-signature'];
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  if (typeof signature !== 'string' || !Number.isFinite(timestamp)) return false;
  return isValidSlackRequest({ signingSecret, body: text, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp }, logger: quiet(logger) });
}

/** Bolt's verifier logs every mismatch at info; the refusal above is logged once instead. */
function quiet(logger: Logger): Parameters<typeof isValidSlackRequest>[0]['logger'] {
  const child = logger.child({ component: 'bolt' });
  const log = (...msg: unknown[]) => child.debug(msg.map(String).join(' '));
  return { debug: log, info: log, warn: log, error: log, setLevel: () => undefined, getLevel: () => 'debug' as never, setName: () => undefined };
}

/** Headers that never finish arriving are cut off by Node itself. */
export function limitSlowHeaders(server: Server, limits: BodyLimits): void {
  server.headersTimeout = limits.bodyTimeoutMs;
  server.requestTimeout = limits.bodyTimeoutMs * 2;
}
