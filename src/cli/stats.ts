import { stat } from 'node:fs/promises';
import type { Config } from '../config.js';
import { openLibrary } from '../ingest/openLibrary.js';
import { readSnapshotFacts, snapshotPath } from '../ingest/snapshot.js';
import { plain } from '../model/reply.js';
import { type CliIO, type CliResult, EXIT_OK } from './cliIO.js';

/** `paperbot stats`: what the bot holds, which engine serves it and how large its saved index is, and how fresh it is. */
export async function statsCommand(config: Config, io: CliIO): Promise<CliResult> {
  const engine = config.SEARCH_ENGINE;
  const path = snapshotPath(config.DATA_DIR, engine);
  const [meta, bytes] = await Promise.all([
    readSnapshotFacts(config.DATA_DIR, engine),
    stat(path)
      .then((s) => s.size)
      .catch(() => undefined),
  ]);
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
    snapshot: meta ? { path, bytes, papers: meta.papers, savedAt: meta.savedAt, current: state.source === 'snapshot' } : null,
    heapMB: Math.round(process.memoryUsage().heapUsed / 1e6),
  };
  ingester.stop();
  index.close();
  // The SQLite engine answers from its file; MiniSearch from memory, its snapshot only read at start.
  const saved = engine === 'sqlite' ? 'index file' : 'snapshot';
  const lines = [
    `papers:      ${stats.papers}`,
    `digests:     ${stats.digests}${stats.from ? ` (${stats.from} to ${stats.to})` : ''}`,
    `files:       ${stats.files} in ${config.DIGESTS_DIR}${stats.errors ? `, ${stats.errors} with errors (paperbot check ${config.DIGESTS_DIR})` : ''}`,
    `last ingest: ${stats.lastIngest ?? 'unknown (no snapshot yet: start the bot or run paperbot fetch)'}`,
    `index:       ${stats.engine} engine, ${stats.papers} papers; ${stats.snapshot ? `${mb(bytes ?? 0)} ${saved} of ${stats.snapshot.papers} papers at ${path}, saved ${stats.snapshot.savedAt}${stats.snapshot.current ? '' : ' (outdated: rebuilt on next start)'}` : `no ${saved}`}; ${stats.heapMB} MB in memory`,
  ];
  return { code: EXIT_OK, reply: { visibility: 'ephemeral', blocks: [{ kind: 'text', text: plain(lines.join('\n')) }] }, json: stats };
}

function mb(bytes: number): string {
  return bytes < 1e6 ? `${Math.max(1, Math.round(bytes / 1e3))} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
