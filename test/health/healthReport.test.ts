import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { healthReport, STALE_TICK_MS, type HealthSources } from '../../src/health/healthReport.js';

const START = new Date('2026-11-23T09:00:00Z');
const at = (ms: number) => new Date(START.getTime() + ms);

function sources(over: Partial<HealthSources> & { now?: Date } = {}): HealthSources {
  return {
    clock: new FixedClock(over.now ?? at(60_000)),
    startedAt: START,
    platforms: [
      { name: 'discord', connected: () => true },
      { name: 'slack', connected: () => true },
    ],
    papers: () => 204,
    lastIngestAt: () => '2026-11-23T09:00:01.000Z',
    lastSchedulerTickAt: () => at(30_000),
    stopping: () => false,
    ...over,
  };
}

describe('healthReport', () => {
  it('ok: every platform connected, an index, a recent tick; reports what the operator wants to see', () => {
    expect(healthReport(sources())).toEqual({
      status: 'ok',
      problems: [],
      platforms: { discord: { connected: true }, slack: { connected: true } },
      papers: 204,
      lastIngestAt: '2026-11-23T09:00:01.000Z',
      lastSchedulerTickAt: '2026-11-23T09:00:30.000Z',
    });
  });

  it('unhealthy when a platform is disconnected, naming it', () => {
    const report = healthReport(
      sources({
        platforms: [
          { name: 'discord', connected: () => false },
          { name: 'slack', connected: () => true },
        ],
      }),
    );
    expect(report.status).toBe('unhealthy');
    expect(report.problems).toEqual(['discord is not connected']);
    expect(report.platforms['discord']).toEqual({ connected: false });
  });

  it('unhealthy before the first index is loaded', () => {
    const report = healthReport(sources({ papers: () => undefined }));
    expect(report).toMatchObject({ status: 'unhealthy', papers: null, problems: ['no index loaded yet'] });
  });

  it('an empty digests folder (0 papers) and no ingest yet are reported, not unhealthy', () => {
    const report = healthReport(sources({ papers: () => 0, lastIngestAt: () => undefined }));
    expect(report).toMatchObject({ status: 'ok', papers: 0, lastIngestAt: null });
  });

  it('unhealthy when the scheduler has not ticked for longer than STALE_TICK_MS, or never since start', () => {
    const stuck = healthReport(sources({ now: at(30_000 + STALE_TICK_MS + 1000), lastSchedulerTickAt: () => at(30_000) }));
    expect(stuck.status).toBe('unhealthy');
    expect(stuck.problems).toEqual([`the scheduler has not ticked for ${STALE_TICK_MS / 1000 + 1} s`]);
    expect(healthReport(sources({ now: at(60_000), lastSchedulerTickAt: () => undefined })).status).toBe('ok');
    expect(healthReport(sources({ now: at(STALE_TICK_MS + 1000), lastSchedulerTickAt: () => undefined })).status).toBe('unhealthy');
  });

  it('stopping while shutting down, even when everything else is fine', () => {
    expect(healthReport(sources({ stopping: () => true })).status).toBe('stopping');
  });
});
