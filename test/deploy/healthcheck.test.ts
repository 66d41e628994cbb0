import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthReport } from '../../src/health/healthReport.js';
import { startHealthServer, type HealthServer } from '../../src/health/healthServer.js';
import { silentLogger } from '../../src/logger.js';
import { freePort } from '../helpers/botProcess.js';
import { ROOT } from '../helpers/seeds.js';

/** The Docker HEALTHCHECK command, run as Docker runs it: exit 0 healthy, 1 otherwise. */
function healthcheck(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'deploy/healthcheck.mjs')], { env: { PATH: process.env['PATH'] ?? '', ...env } }, (err, _stdout, stderr) =>
      resolve({ code: err ? Number(err.code) : 0, stderr }),
    );
  });
}

const report = (status: HealthReport['status']): HealthReport => ({
  status,
  problems: status === 'ok' ? [] : ['slack is not connected'],
  platforms: {},
  papers: 1,
  lastIngestAt: null,
  lastSchedulerTickAt: null,
});

describe('deploy/healthcheck.mjs', () => {
  let server: HealthServer | undefined;
  afterEach(() => server?.close());

  it('exits 0 when /health answers 200 and 1 with the reason when it answers 503', async () => {
    let current = report('ok');
    server = await startHealthServer({ port: 0, host: '127.0.0.1', report: () => current, logger: silentLogger });
    expect(await healthcheck({ HEALTH_PORT: String(server.port) })).toEqual({ code: 0, stderr: '' });
    current = report('unhealthy');
    const bad = await healthcheck({ HEALTH_PORT: String(server.port) });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('slack is not connected');
  });

  it('exits 1 when nothing listens, or when HEALTH_PORT is not set', async () => {
    const down = await healthcheck({ HEALTH_PORT: String(await freePort()) });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('no answer from the health endpoint');
    expect((await healthcheck({})).stderr).toContain('HEALTH_PORT is not set');
  });
});
