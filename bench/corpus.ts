import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Paper } from '../src/model/paper.js';
import { parseCorpus } from '../src/parser/corpus.js';
import { loadDigests } from '../src/parser/loadDigests.js';
import { prng } from '../test/helpers/prng.js';

/**
 * The corpora the evaluation and the benchmarks run on: the seed digests, the real
 * 9,868-paper corpus, and synthetic corpora of any size built from the real one.
 * Paths are resolved from the repo root so the scripts work from any working directory.
 * The full corpus is not in the repository: it is read from PAPERBOT_CORPUS, by default
 * ../shared/data/hf-daily-papers (papers.jsonl + days.jsonl), or any folder of Hugging Face
 * API days saved by `paperbot fetch` (see README, "Benchmarks").
 */

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SEEDS_DIR = join(REPO_ROOT, 'seeds');
export const CORPUS_DIR = resolve(process.env['PAPERBOT_CORPUS'] ?? join(REPO_ROOT, '..', 'shared', 'data', 'hf-daily-papers'));

/** Fixed "today" and digest year so the seed pages parse identically on every run and machine. */
const SEED_PARSE = { today: '2025-12-31', digestYear: 2025 } as const;

/** The 204 papers of the seed digest pages (ids are `t-…` title hashes). */
export async function loadSeedPapers(): Promise<Paper[]> {
  const load = await loadDigests([SEEDS_DIR], SEED_PARSE);
  return load.papers;
}

/** The real corpus: papers.jsonl with digest appearances from days.jsonl. */
export async function loadRealCorpus(): Promise<Paper[]> {
  const papersFile = join(CORPUS_DIR, 'papers.jsonl');
  const daysFile = join(CORPUS_DIR, 'days.jsonl');
  if (!existsSync(CORPUS_DIR)) {
    throw new Error(`no corpus at ${CORPUS_DIR}: fetch one with \`DIGESTS_DIR=corpus npx paperbot fetch --since 2025-12-01\` (at most 366 days a run) and run with PAPERBOT_CORPUS=corpus`);
  }
  if (!existsSync(papersFile)) return (await loadDigests([CORPUS_DIR], SEED_PARSE)).papers;
  const [papersRaw, daysRaw] = await Promise.all([readFile(papersFile, 'utf8'), readFile(daysFile, 'utf8')]);
  return parseCorpus('papers.jsonl', papersRaw, 'days.jsonl', daysRaw).papers;
}

/**
 * A deterministic corpus of `n` papers that reads like the real one, for measuring at sizes
 * the real data does not reach. The first min(n, real.length) papers are the real ones
 * unchanged (so real queries still have their answers); each further paper i is made of
 * - a title: the first half of one real title (split at a word) + the second half of another;
 * - an abstract: 4–9 sentences drawn from the abstracts of real papers;
 * - authors, organisation and upvotes of one real paper, keywords of another;
 * - id `syn-<i>`, and one digest appearance on one of the real digest days, taken in turn, so
 *   the synthetic papers spread evenly over the real date range (trending sees busier days).
 * Word and sentence statistics (vocabulary, lengths, term frequencies) therefore follow the
 * real corpus, which is what index size, build time and query latency depend on.
 */
export function syntheticCorpus(real: readonly Paper[], n: number, seed = 1): Paper[] {
  if (real.length === 0) throw new Error('syntheticCorpus needs at least one real paper');
  const out: Paper[] = real.slice(0, n);
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const sentences = real.flatMap((p) => splitSentences(p.abstract));
  const days = [...new Set(real.flatMap((p) => p.digests.map((d) => d.date)))].sort();
  if (days.length === 0) days.push('2025-01-06');
  for (let i = out.length; i < n; i++) {
    const a = pick(real);
    const b = pick(real);
    const source = pick(real);
    const aWords = a.title.split(' ');
    const bWords = b.title.split(' ');
    const title = [...aWords.slice(0, Math.max(1, Math.ceil(aWords.length / 2))), ...bWords.slice(Math.floor(bWords.length / 2))].join(' ');
    const count = 4 + Math.floor(random() * 6);
    const abstract = Array.from({ length: count }, () => pick(sentences)).join(' ');
    const date = days[i % days.length]!;
    const paper: Paper = {
      id: `syn-${i}`,
      title,
      abstract,
      authors: source.authors,
      upvotes: source.upvotes,
      digests: [{ date, file: `synthetic#${date}`, rank: Math.floor(i / days.length) + 1 }],
    };
    if (source.organization) paper.organization = source.organization;
    if (b.keywords) paper.keywords = b.keywords;
    out.push(paper);
  }
  return out;
}

function splitSentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Z])/).filter((s) => s.length > 20);
}
