import { createHmac } from 'node:crypto';

/** Slack's request signature: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}"). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  secret: string;
  /** Seconds since the epoch; Slack's clock, not the test's FixedClock. Defaults to now. */
  timestamp?: number;
  /** Overrides the computed signature (forgeries). */
  signature?: string;
  /** Slack's X-Slack-Retry-Num header: the same request again. */
  retryNum?: number;
  contentType?: 'application/x-www-form-urlencoded' | 'application/json';
}

/** Posts a body to the bot exactly as Slack would, signed with the signing secret. */
export async function signedPost(url: string, body: string, options: SignedPostOptions): Promise<{ status: number; text: string }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'Content-Type': options.contentType ?? 'application/x-www-form-urlencoded',
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': options.signature ?? slackSignature(options.secret, timestamp, body),
  };
  if (options.retryNum !== undefined) {
    headers['X-Slack-Retry-Num'] = String(options.retryNum);
    headers['X-Slack-Retry-Reason'] = 'http_timeout';
  }
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}
