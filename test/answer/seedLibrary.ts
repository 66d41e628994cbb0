import { FixedClock } from '../../src/clock.js';
import { PaperLibrary } from '../../src/index/library.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import type { Paper } from '../../src/model/paper.js';
import { loadDigests } from '../../src/parser/loadDigests.js';
import { TODAY } from './questions.js';

/** The real seed digests, indexed as the app does, with the clock at the graded set's "today". */
export async function seedLibrary(transform?: (papers: Paper[]) => Paper[]): Promise<{ library: PaperLibrary; clock: FixedClock; papers: Map<string, Paper> }> {
  const clock = new FixedClock(new Date(TODAY));
  const load = await loadDigests(['seeds'], { today: TODAY.slice(0, 10) });
  const list = transform ? transform(load.papers) : load.papers;
  const index = PaperIndex.build(
    list,
    load.digests.map((d) => d.date),
  );
  return { library: new PaperLibrary(index), clock, papers: new Map(list.map((p) => [p.id, p])) };
}
