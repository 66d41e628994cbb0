import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formBody, slashCommand } from '../../fakes/slack/payloads.js';
import { signedPost } from '../../fakes/slack/signedRequest.js';
import { SIGNING_SECRET, startHarness, type Harness } from './harness.js';

const MAX = 64 * 1024;
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ mode: 'http', slack: { bodyLimits: { maxBytes: MAX, bodyTimeoutMs: 300 } } });
});
afterAll(() => h?.stop());

/** Sends `total` bytes in 64 KiB chunks and reports the answer and how much was written before it came. */
function upload(total: number, headers: Record<string, string>): Promise<{ status: number; body: string; writtenBeforeAnswer: number }> {
  const url = new URL(h.url);
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (res) => {
      answered = true;
      const at = written;
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, writtenBeforeAnswer: at }));
    });
    // The server closing the socket mid-upload is the expected outcome, not a test failure.
    req.on('error', (err) => (answered ? undefined : reject(err)));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = () => {
      while (!answered && written < total) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

const refusals = () => h.logs.filter((l) => l.msg === 'slack http request refused');

describe('Slack HTTP mode reads no more than a Slack payload', () => {
  it('a 48 MB unsigned body announced by Content-Length gets 413 before it is sent, and reaches no command', async () => {
    const total = 48 * 1024 * 1024;
    const before = h.routed.length;
    const res = await upload(total, { 'Content-Type': 'application/json', 'Content-Length': String(total) });
    expect(res.status).toBe(413);
    expect(res.writtenBeforeAnswer).toBeLessThan(total);
    expect(refusals().at(-1)).toMatchObject({ status: 413, bytes: total });
    expect(h.routed.length).toBe(before);
  });

  it('a chunked body with no length is cut off at the limit with 413', async () => {
    const total = 16 * 1024 * 1024;
    const res = await upload(total, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    expect(res.status).toBe(413);
    expect(res.writtenBeforeAnswer).toBeLessThan(total);
    const logged = refusals().at(-1)!;
    expect(logged['status']).toBe(413);
    expect(logged['bytes']).toBeGreaterThan(MAX);
    expect(logged['bytes']).toBeLessThan(total);
  });

  it('a sender that stops halfway gets 408 and its socket back, not a held connection', async () => {
    const url = new URL(h.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': '1000' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"type":"event_callback",');
    });
    expect(status).toBe(408);
    expect(refusals().at(-1)).toMatchObject({ status: 408 });
  });

  it('a badly signed body is refused with 401 before anything parses it', async () => {
    const before = h.routed.length;
    const garbage = await signedPost(h.url, '{not json at all', { secret: SIGNING_SECRET, signature: 'v0=deadbeef', contentType: 'application/json' });
    expect(garbage.status).toBe(401);
    const unsigned = await fetch(h.url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'command=%2Fpaper&text=find+moe' });
    expect(unsigned.status).toBe(401);
    expect(h.logs.some((l) => l.level >= 50)).toBe(false);
    expect(h.routed.length).toBe(before);
  });

  it('a signed Slack payload under the limit is still answered', async () => {
    const body = formBody(slashCommand({ text: 'help', trigger: 'limits-ok', channel: 'CLIMITS', responseUrl: h.fake.responseUrl('limits-ok') }));
    const timestamp = Math.floor(Date.now() / 1000);
    expect((await signedPost(h.url, body, { secret: SIGNING_SECRET, timestamp })).status).toBe(200);
    await h.fake.until(() => h.fake.responsesTo('limits-ok')[0], 'the help answer');
  });
});
