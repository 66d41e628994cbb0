import { loadConfig } from '../config.js';
import { formatIssue } from '../model/paper.js';
import { plain } from '../model/reply.js';
import { loadDigests } from '../parser/loadDigests.js';
import { countForm, plural } from '../text/plural.js';
import { isoDay } from '../time/days.js';
import { type CliIO, type CliResult, EXIT_OK, EXIT_USAGE } from './cliIO.js';

/** `paperbot check <file|dir>...`: every problem as file:line on stdout, the counts on stderr; exit 2 when a file has errors. */
export async function checkCommand(paths: string[], io: CliIO): Promise<CliResult> {
  const config = loadConfig(io.env);
  const result = await loadDigests(paths, { today: isoDay(io.clock.now()), digestYear: config.DIGEST_YEAR });
  const errors = result.issues.filter((i) => i.severity === 'error').length;
  const warnings = result.issues.length - errors;
  // Entry dates without a year are not problems, but they are guesses: say how many.
  const guessed = result.inferred.length;
  // Pages with no printed year to go by are dated by the clock alone: the weakest guess, said apart.
  const clockDated = result.clockDated.length;
  const byClock = clockDated > 0 ? `; ${plural(clockDated, 'page')} ${countForm(clockDated, 'prints', 'print')} no year at all, dated from today's clock (set DIGEST_YEAR if wrong)` : '';
  return {
    code: errors > 0 ? EXIT_USAGE : EXIT_OK,
    reply: { visibility: 'ephemeral', blocks: result.issues.map((issue) => ({ kind: 'text', text: plain(formatIssue(issue)) })) },
    json: {
      files: result.files.length,
      digests: result.digests.length,
      papers: result.papers.length,
      errors,
      warnings,
      datesWithoutYear: guessed,
      pagesDatedByClock: clockDated,
      issues: result.issues,
    },
    note: `${plural(result.files.length, 'file')}, ${plural(result.digests.length, 'digest')}, ${plural(result.papers.length, 'distinct paper')}; ${plural(errors, 'error')}, ${plural(warnings, 'warning')}; ${plural(guessed, 'date')} without a year, year inferred${byClock}`,
  };
}
