import { afterEach, describe, expect, it } from 'vitest';
import type { HealthReport } from '../../src/health/healthReport.js';
import { startHealthServer, type HealthServer } from '../../src/health/healthServer.js';
import { silentLogger } from '../../src/logger.js';
import { FakeDiscord } from '../fakes/discord/fakeDiscord.js';
import { freePort, spawnBot, type BotProcess } from '../helpers/botProcess.js';

const report = (status: HealthReport['status']): HealthReport => ({
  status,
  problems: status === 'ok' ? [] : ['discord is not connected'],
  platforms: {},
  papers: 3,
  lastIngestAt: null,
  lastSchedulerTickAt: null,
});

describe('health server', () => {
  let server: HealthServer | undefined;
  afterEach(() => server?.close());

  it('GET /health: 200 with the report when ok, 503 when not; other paths 404, other methods 405', async () => {
    let current = report('ok');
    server = await startHealthServer({ port: 0, host: '127.0.0.1', report: () => current, logger: silentLogger });
    const url = `http://127.0.0.1:${server.port}`;
    const ok = await fetch(`${url}/health`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual(current);
    current = report('unhealthy');
    const bad = await fetch(`${url}/health`);
    expect(bad.status).toBe(503);
    expect(((await bad.json()) as HealthReport).problems).toEqual(['discord is not connected']);
    expect((await fetch(`${url}/`)).status).toBe(404);
    expect((await fetch(`${url}/health`, { method: 'POST' })).status).toBe(405);
  });

  it('a taken port is a message to act on', async () => {
    server = await startHealthServer({ port: 0, host: '127.0.0.1', report: () => report('ok'), logger: silentLogger });
    await expect(startHealthServer({ port: server.port, host: '127.0.0.1', report: () => report('ok'), logger: silentLogger })).rejects.toThrow(`HEALTH_PORT ${server.port} is already in use`);
  });
});

describe('health endpoint of the running bot', () => {
  let bot: BotProcess | undefined;
  let discord: FakeDiscord | undefined;
  afterEach(async () => {
    await bot?.cleanUp();
    await discord?.close();
  });

  it('reports Discord connected, the papers, the ingest and the tick; 503 once Discord is gone', async () => {
    discord = await FakeDiscord.start();
    const port = await freePort();
    bot = spawnBot({ HEALTH_PORT: String(port), DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl });
    await bot.waitForLog('health endpoint listening at /health');
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    const body = (await res.json()) as HealthReport;
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', problems: [], platforms: { discord: { connected: true } }, papers: 204 });
    expect(Date.parse(body.lastIngestAt ?? '')).not.toBeNaN();
    expect(Date.parse(body.lastSchedulerTickAt ?? '')).not.toBeNaN();

    await discord.close();
    discord = undefined;
    let gone: Response | undefined;
    for (let i = 0; i < 100 && gone?.status !== 503; i++) {
      gone = await fetch(`http://127.0.0.1:${port}/health`);
      if (gone.status !== 503) await new Promise((r) => setTimeout(r, 50));
    }
    expect(gone?.status).toBe(503);
    expect(((await gone!.json()) as HealthReport).problems).toEqual(['discord is not connected']);
  }, 45_000);
});
