import { stat } from 'node:fs/promises';
import type { Config } from '../config.js';
import { openLibrary } from '../ingest/openLibrary.js';
import { readSnapshotMeta, snapshotPath } from '../ingest/snapshot.js';
import { plain } from '../model/reply.js';
import { type CliIO, type CliResult, EXIT_OK } from './cliIO.js';

/** `paperbot stats`: what the bot holds and how fresh it is. */
export async function statsCommand(config: Config, io: CliIO): Promise<CliResult> {
  const path = snapshotPath(config.DATA_DIR);
  const [meta, bytes] = await Promise.all([readSnapshotMeta(path).catch(() => undefined), stat(path).then((s) => s.size).catch(() => undefined)]);
  const { library, ingester } = await openLibrary(config, io.clock, io.logger);
  const index = library.current();
  const state = ingester.state();
  const dates = index.digestDates();
  const stats = {
    papers: index.size,
    digests: state.digests.length,
    from: dates[0] ?? null,
    to: dates.at(-1) ?? null,
    files: state.files.length,
    errors: state.issues.filter((i) => i.severity === 'error').length,
    lastIngest: meta?.lastIngestAt || null,
    engine: index.engineName,
    snapshot: meta ? { path, bytes, savedAt: meta.savedAt, current: state.source === 'snapshot' } : null,
    heapMB: Math.round(process.memoryUsage().heapUsed / 1e6),
  };
  const lines = [
    `papers:      ${stats.papers}`,
    `digests:     ${stats.digests}${stats.from ? ` (${stats.from} to ${stats.to})` : ''}`,
    `files:       ${stats.files} in ${config.DIGESTS_DIR}${stats.errors ? `, ${stats.errors} with errors (paperbot check ${config.DIGESTS_DIR})` : ''}`,
    `last ingest: ${stats.lastIngest ?? 'unknown (no snapshot yet: start the bot or run paperbot fetch)'}`,
    `index:       ${stats.engine} engine; ${stats.snapshot ? `${mb(bytes ?? 0)} snapshot at ${path}, saved ${stats.snapshot.savedAt}${stats.snapshot.current ? '' : ' (outdated: rebuilt on next start)'}` : 'no snapshot'}; ${stats.heapMB} MB in memory`,
  ];
  return { code: EXIT_OK, reply: { visibility: 'ephemeral', blocks: [{ kind: 'text', text: plain(lines.join('\n')) }] }, json: stats };
}

function mb(bytes: number): string {
  return bytes < 1e6 ? `${Math.max(1, Math.round(bytes / 1e3))} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
