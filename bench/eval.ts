/**
 * `npm run eval`: relevance of paperbot's search next to the baselines, on the graded query
 * sets. Prints nDCG@10 / MRR / recall@10 per query type and overall, and writes everything
 * (with each query's top 10) to bench/results/eval.json.
 *   npm run eval -- --queries     also list every query where paperbot trails a baseline
 *   npm run eval -- --set seeds   only one set (seeds | corpus)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadRealCorpus, loadSeedPapers, REPO_ROOT } from './corpus.js';
import { ENGINES } from './engines.js';
import { evaluate, type Evaluation } from './evaluate.js';
import { loadQuerySet, QUERY_TYPES } from './queries.js';
import { formatTable } from './table.js';

const args = process.argv.slice(2);
const showQueries = args.includes('--queries');
const setArg = args[args.indexOf('--set') + 1];
const sets = (args.includes('--set') ? [setArg] : ['seeds', 'corpus']) as ('seeds' | 'corpus')[];

const report: Record<string, Record<string, Evaluation>> = {};
for (const name of sets) {
  const set = await loadQuerySet(name);
  const papers = name === 'seeds' ? await loadSeedPapers() : await loadRealCorpus();
  const results: Record<string, Evaluation> = {};
  for (const engine of ENGINES) results[engine.name] = evaluate(engine.build(papers), set);
  report[name] = results;

  console.log(`\n${name}: ${set.queries.length} queries over ${papers.length} papers`);
  for (const metric of ['ndcg', 'mrr', 'recall'] as const) {
    const rows = [...QUERY_TYPES.filter((t) => results.paperbot!.byType[t]), 'overall' as const].map((type) => [
      type,
      String(type === 'overall' ? set.queries.length : results.paperbot!.byType[type]!.queries),
      ...ENGINES.map((e) => {
        const r = results[e.name]!;
        return (type === 'overall' ? r.overall : r.byType[type]!)[metric].toFixed(3);
      }),
    ]);
    console.log(`\n${metric === 'ndcg' ? 'nDCG@10' : metric === 'mrr' ? 'MRR' : 'recall@10'}`);
    console.log(formatTable(['type', 'n', ...ENGINES.map((e) => e.name)], rows));
  }
  if (showQueries) printLosses(results);
}

const out = join(REPO_ROOT, 'bench', 'results', 'eval.json');
await mkdir(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
await writeFile(out, JSON.stringify(report, null, 1));
console.log(`\nwritten ${out}`);

function printLosses(results: Record<string, Evaluation>): void {
  const ours = results.paperbot!.queries;
  console.log('\nqueries where paperbot trails a baseline (nDCG@10):');
  ours.forEach((q, i) => {
    const better = ENGINES.filter((e) => e.name !== 'paperbot' && results[e.name]!.queries[i]!.ndcg > q.ndcg + 1e-9);
    if (better.length === 0) return;
    const others = better.map((e) => `${e.name} ${results[e.name]!.queries[i]!.ndcg.toFixed(2)}`).join(', ');
    console.log(`  ${q.id} [${q.type}] "${q.query}": paperbot ${q.ndcg.toFixed(2)} < ${others}`);
  });
}
