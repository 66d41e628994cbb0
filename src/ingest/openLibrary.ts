import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { PaperLibrary } from '../index/library.js';
import type { Logger } from '../logger.js';
import { DigestIngester } from './ingester.js';
import { snapshotPath } from './snapshot.js';

export interface OpenOptions {
  /**
   * A long-running bot: answer from a stale snapshot at once and rebuild in the background,
   * and keep the snapshot up to date. A one-shot command waits for a current index and only
   * reads the snapshot (it may be pointed at another folder with --digests).
   */
  background?: boolean;
}

export interface OpenedLibrary {
  library: PaperLibrary;
  ingester: DigestIngester;
}

/** Time a writer gets to finish a file it writes in place (editors, cp) before it is read. */
const SETTLE_MS = 300;

/**
 * The library for DIGESTS_DIR: from the DATA_DIR snapshot when the digest files are unchanged,
 * otherwise parsed and built (see OpenOptions.background: a running bot answers from the
 * snapshot while it checks and rebuilds). File problems are logged, not fatal.
 */
export async function openLibrary(
  config: Pick<Config, 'DIGESTS_DIR' | 'DIGEST_YEAR' | 'DATA_DIR'> & Partial<Pick<Config, 'SEARCH_ENGINE'>>,
  clock: Clock,
  logger: Logger,
  options: OpenOptions = {},
): Promise<OpenedLibrary> {
  const started = performance.now();
  const background = options.background ?? false;
  const ingester = new DigestIngester({
    digestsDir: config.DIGESTS_DIR,
    digestYear: config.DIGEST_YEAR,
    engine: config.SEARCH_ENGINE,
    snapshot: { path: snapshotPath(config.DATA_DIR, config.SEARCH_ENGINE), save: background },
    settleMs: background ? SETTLE_MS : 0,
    clock,
    logger,
  });
  const fromSnapshot = await ingester.startFromSnapshot();
  // The refresh first checks whether the digest files still match the snapshot (cheap when they do).
  if (fromSnapshot && background) {
    ingester.refresh().catch((err: unknown) => logger.error({ err }, 'rebuilding the index failed; answering from the snapshot'));
  } else {
    await ingester.refresh();
  }
  const state = ingester.state();
  // Errors were logged by the ingester, once per file.
  for (const issue of state.issues) if (issue.severity !== 'error') logger.debug({ file: issue.file, line: issue.line, severity: issue.severity, problem: issue.message }, 'digest file note');
  const index = ingester.library.current();
  logger.info(
    {
      papers: index.size,
      dir: config.DIGESTS_DIR,
      digests: state.digests.length,
      problems: state.issues.filter((i) => i.severity === 'error').length,
      from: fromSnapshot ? 'snapshot' : 'digests',
      ms: Math.round(performance.now() - started),
    },
    'papers loaded',
  );
  return { library: ingester.library, ingester };
}
