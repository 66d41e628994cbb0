import type { Clock } from '../clock.js';

/** What the health endpoint reads, as small getters (no access to the rest of the bot). */
export interface HealthSources {
  clock: Clock;
  /** When the process started: the scheduler gets this long for its first tick. */
  startedAt: Date;
  platforms: ReadonlyArray<{ name: string; connected: () => boolean }>;
  /** Papers in the index; undefined until the first index is loaded. */
  papers: () => number | undefined;
  lastIngestAt: () => string | undefined;
  lastSchedulerTickAt: () => Date | undefined;
  stopping: () => boolean;
}

export interface HealthReport {
  status: 'ok' | 'unhealthy' | 'stopping';
  /** Why it is unhealthy; empty when ok. */
  problems: string[];
  platforms: Record<string, { connected: boolean }>;
  papers: number | null;
  lastIngestAt: string | null;
  lastSchedulerTickAt: string | null;
}

/** The scheduler ticks every 30 s; this long without a tick means it is stuck. */
export const STALE_TICK_MS = 5 * 60_000;

/**
 * Unhealthy means a restart could help: a platform is disconnected, no index is loaded, or the
 * scheduler has not ticked for STALE_TICK_MS. No papers, or no ingest for days, is reported but
 * healthy: that is the digests folder's state, not the process's.
 */
export function healthReport(sources: HealthSources): HealthReport {
  const now = sources.clock.now().getTime();
  const problems: string[] = [];
  const platforms: HealthReport['platforms'] = {};
  for (const { name, connected } of sources.platforms) {
    platforms[name] = { connected: connected() };
    if (!platforms[name].connected) problems.push(`${name} is not connected`);
  }
  const papers = sources.papers();
  if (papers === undefined) problems.push('no index loaded yet');
  const tick = sources.lastSchedulerTickAt();
  const since = tick ?? sources.startedAt;
  if (now - since.getTime() > STALE_TICK_MS) problems.push(`the scheduler has not ticked for ${Math.round((now - since.getTime()) / 1000)} s`);
  const status = sources.stopping() ? 'stopping' : problems.length > 0 ? 'unhealthy' : 'ok';
  return { status, problems, platforms, papers: papers ?? null, lastIngestAt: sources.lastIngestAt() ?? null, lastSchedulerTickAt: tick?.toISOString() ?? null };
}
