import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from '../../../src/commands/command.js';
import { CommandRouter } from '../../../src/commands/router.js';
import { PaperLibrary } from '../../../src/index/library.js';
import { startHarness, visibleText, type Harness } from './harness.js';

const EPHEMERAL = 64;
const str = (name: string, value: string) => ({ name, type: 3, value });
const finished = (h: Harness, token: string) =>
  h.fake.waitFor(() => {
    const m = h.fake.original(token);
    return m && !m.loading ? m : undefined;
  }, `the reply to ${token}`);

describe('Discord API failures', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness({ heartbeatIntervalMs: 100 })));
  afterAll(() => h?.stop());

  it('a 429 with retry-after is waited out by the REST queue and the user still gets the reply', async () => {
    h.fake.fail({
      method: 'POST',
      path: /^\/interactions\/\d+\/[^/]+\/callback$/,
      status: 429,
      headers: { 'retry-after': '0.2', 'x-ratelimit-scope': 'user' },
      body: { message: 'You are being rate limited.', retry_after: 0.2, global: false },
      times: 1,
    });
    const token = h.fake.slashCommand('help');
    const msg = await finished(h, token);
    expect(visibleText(msg)).toMatch(/\/paper find/);
    expect(
      h.fake
        .requestsTo(/\/callback$/)
        .filter((r) => r.path.includes(token))
        .map((r) => r.status),
    ).toEqual([429, 200]);
    expect(h.logs.some((l) => l.msg === 'discord rate limit: request queued')).toBe(true);
  });

  it('a 500 that outlasts the retries is logged, the user is told privately, and the bot keeps working', async () => {
    // The REST client retries a 5xx 3 times; the 4 failures use up the thread post.
    const paper = h.app.library.current().papers()[0]!;
    h.fake.fail({ method: 'POST', path: /^\/channels\/\d+\/messages\/\d+\/threads$/, status: 500, times: 4 });
    h.fake.fail({ method: 'POST', path: /^\/webhooks\/\d+\/[^/]+$/, status: 500, times: 4 });
    const token = h.fake.slashCommand('summary', [str('id', paper.id)]);
    await h.fake.waitFor(() => h.logs.find((l) => l.msg === 'could not open a paper thread; replying in the channel'), 'thread failure log');
    await h.fake.waitFor(() => h.logs.find((l) => l.msg === 'discord interaction failed'), 'interaction failure log');
    const notes = await h.fake.waitFor(() => {
      const found = h.fake.requestsTo(/^\/webhooks\//, 'POST').filter((r) => r.path.includes(token) && r.status === 200);
      return found.length > 0 ? found : undefined;
    }, 'the private error note');
    expect(notes.at(-1)!.body!.flags).toBe(EPHEMERAL);
    expect(JSON.stringify(notes.at(-1)!.body)).toMatch(/something went wrong talking to Discord/);
    const next = await finished(h, h.fake.slashCommand('help'));
    expect(visibleText(next)).toMatch(/\/paper find/);
  });

  it("a thread lookup slower than Discord's 3-second deadline is covered by a deferral", async () => {
    const paper = h.app.library.current().papers()[2]!;
    h.fake.fail({ method: 'GET', path: /^\/guilds\/\d+\/threads\/active$/, delayMs: 3100, times: 1 });
    const token = h.fake.slashCommand('summary', [str('id', paper.id)]);
    const starter = await finished(h, token);
    expect(h.fake.callbacks(token)[0]).toEqual({ type: 5, data: { flags: 0 } });
    await h.fake.waitFor(() => h.fake.threads().find((t) => t.id === starter.id), 'thread');
    expect(h.fake.lateInteractions).toEqual([]);
  });

  it('a dropped gateway connection resumes the session and events sent meanwhile are answered', async () => {
    await h.fake.waitFor(() => h.fake.gatewayFrames.some((f) => f.op === 1), 'a heartbeat');
    const identifies = h.fake.gatewayFrames.filter((f) => f.op === 2).length;
    h.fake.dropConnection();
    const token = h.fake.slashCommand('help');
    const msg = await finished(h, token);
    expect(visibleText(msg)).toMatch(/\/paper find/);
    const resume = h.fake.gatewayFrames.find((f) => f.op === 6)!;
    expect(resume.d.session_id).toMatch(/^session-/);
    expect(h.fake.gatewayFrames.filter((f) => f.op === 2)).toHaveLength(identifies);
    expect(h.fake.connections).toBe(2);
    await h.fake.waitFor(() => h.logs.find((l) => l.msg === 'discord gateway resumed'), 'resume log');
  });
});

describe('slow commands are deferred within the deadline', () => {
  let h: Harness;
  const slow = (command: Command): Command => ({
    ...command,
    run: async (c, ctx) => {
      await new Promise((r) => setTimeout(r, 300));
      return command.run(c, ctx);
    },
  });
  beforeAll(async () => {
    h = await startHarness({
      bot: { deferAfterMs: 50 },
      app: (base) => ({
        ...base,
        router: new CommandRouter(
          base.router
            .list()
            .filter((c) => c.name !== 'help')
            .map(slow),
          base.logger,
        ),
      }),
    });
  });
  afterAll(() => h?.stop());

  it('defers privately for find, then edits the placeholder into the results', async () => {
    const token = h.fake.slashCommand('find', [str('query', 'kv cache')]);
    const msg = await finished(h, token);
    expect(h.fake.callbacks(token)[0]).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect(msg.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(msg.embeds.length).toBeGreaterThan(0);
    expect(h.fake.lateInteractions).toEqual([]);
  });

  it('defers publicly for summary; an error reply replaces the public placeholder with a private note', async () => {
    const token = h.fake.slashCommand('summary', [str('id', '9999.99999')]);
    const note = await h.fake.waitFor(() => h.fake.requestsTo(/^\/webhooks\//, 'POST').find((r) => r.path.includes(token)), 'follow-up');
    expect(h.fake.callbacks(token)[0]).toEqual({ type: 5, data: { flags: 0 } });
    expect(note.body!.flags).toBe(EPHEMERAL);
    expect(JSON.stringify(note.body)).toMatch(/No paper with id or title “9999\.99999”/);
    await h.fake.waitFor(() => h.fake.requestsTo(/messages\/@original$/, 'DELETE').find((r) => r.path.includes(token)), 'placeholder deleted');
  });

  it('a deferral Discord accepted but answered with a 502 is edited into the answer, not lost', async () => {
    h.fake.fail({ method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/, status: 502, afterHandling: true, times: 1 });
    const token = h.fake.slashCommand('find', [str('query', 'kv cache')]);
    const msg = await finished(h, token);
    const callbacks = h.fake.requestsTo(/\/callback$/).filter((r) => r.path.includes(token));
    expect(callbacks.map((r) => r.status)).toEqual([502, 400]);
    expect(msg.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(msg.content).toContain('Papers about “kv cache”');
    expect(h.fake.requestsTo(/^\/webhooks\//, 'POST').filter((r) => r.path.includes(token))).toEqual([]);
    expect(h.logs.some((l) => l.msg === 'discord deferral reached Discord but its answer was lost; editing it')).toBe(true);
  });

  it('a button update Discord accepted but answered with a 502 stays the update', async () => {
    const first = await finished(h, h.fake.slashCommand('find', [str('query', 'diffusion'), { name: 'limit', type: 4, value: 2 }]));
    const next = (first.components as { components: { label: string; custom_id: string }[] }[]).flatMap((r) => r.components).find((b) => b.label === 'Next page')!;
    h.fake.fail({ method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/, status: 502, afterHandling: true, times: 1 });
    const token = h.fake.pressButton(first.id, next.custom_id);
    await h.fake.waitFor(() => h.fake.messages.get(first.id)!.content.includes('page 2 of'), 'page 2 in place');
    await h.fake.waitFor(() => h.fake.requestsTo(/\/callback$/).filter((r) => r.path.includes(token)).length === 2, 'the retried callback');
    expect(
      h.fake
        .requestsTo(/^\/webhooks\//)
        .filter((r) => r.path.includes(token))
        .map((r) => `${r.method} ${r.status}`),
    ).toEqual(['PATCH 200']);
  });

  it('a deferred summary still opens its thread from the edited placeholder', async () => {
    const paper = h.app.library.current().papers()[1]!;
    const token = h.fake.slashCommand('summary', [str('id', paper.id)]);
    const starter = await finished(h, token);
    const thread = await h.fake.waitFor(() => h.fake.threads().find((t) => t.id === starter.id), 'thread');
    await h.fake.waitFor(() => h.fake.channelMessages(thread.id)[0], 'TL;DR');
    expect(h.fake.callbacks(token)[0]!.type).toBe(5);
  });
});

describe('an answer Discord accepted but whose response was lost', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(() => h?.stop());

  it('a reply that went through before a 502 is not sent again, and a TL;DR still gets its thread', async () => {
    h.fake.fail({ method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/, status: 502, afterHandling: true, times: 1 });
    const paper = h.app.library.current().papers()[3]!;
    const token = h.fake.slashCommand('summary', [str('id', paper.id)]);
    const starter = await finished(h, token);
    const thread = await h.fake.waitFor(() => h.fake.threads().find((t) => t.id === starter.id), 'thread');
    await h.fake.waitFor(() => h.fake.channelMessages(thread.id)[0], 'TL;DR in the thread');
    expect(h.fake.channelMessages(h.fake.channelId).filter((m) => m.interaction_token === token)).toHaveLength(1);
    expect(h.logs.some((l) => l.msg === 'discord interaction failed')).toBe(false);
  });
});

describe('index not ready', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ app: (base) => ({ ...base, library: new PaperLibrary(), suggest: () => [], router: notReadyRouter(base.router) }) });
  });
  afterAll(() => h?.stop());

  it('answers privately that the index is loading, and autocomplete offers nothing instead of failing', async () => {
    const msg = await finished(h, h.fake.slashCommand('find', [str('query', 'moe')]));
    expect(msg.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(visibleText(msg)).toMatch(/still loading/);
    const token = h.fake.autocomplete('show', [{ name: 'id', type: 3, value: 'moe', focused: true }]);
    const callback = await h.fake.waitFor(() => h.fake.callbacks(token)[0], 'autocomplete');
    expect(callback).toEqual({ type: 8, data: { choices: [] } });
  });
});

/** The real commands over an index that has not loaded yet. */
function notReadyRouter(router: CommandRouter): CommandRouter {
  const empty = new PaperLibrary();
  const find = router.find('find')!;
  return new CommandRouter([
    {
      ...find,
      run: (c, ctx) => {
        empty.current();
        return find.run(c, ctx);
      },
    },
  ]);
}
