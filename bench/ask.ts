/**
 * `npx tsx bench/ask.ts`: the figures of the `ask` command.
 * 1. The graded question set (test/answer/questions.ts) over the seed digests: citation recall,
 *    uncited or untraceable claims, "not in the digest" answers.
 * 2. On the real 9,868-paper corpus (skipped with `--seeds`): how-questions with the paper
 *    that answers each, papers cited by list questions, and extractive-answer latency
 *    (p50/p99) against Slack's 3 s acknowledgement budget.
 */
import { FixedClock } from '../src/clock.js';
import { Answerer } from '../src/answer/answerer.js';
import { renderAnswer } from '../src/answer/render.js';
import { PaperLibrary } from '../src/index/library.js';
import { PaperIndex } from '../src/index/paperIndex.js';
import { prepareDigestFacts } from '../src/answer/digestFacts.js';
import { topicQuery } from '../src/answer/extractive.js';
import { gradeReply, recall } from '../test/answer/grade.js';
import { QUESTIONS } from '../test/answer/questions.js';
import { seedLibrary } from '../test/answer/seedLibrary.js';
import { loadRealCorpus } from './corpus.js';

const ROUNDS = 5;
const SLACK_BUDGET_MS = 3000;

async function gradedSet(): Promise<void> {
  const seeds = await seedLibrary();
  const answerer = new Answerer(seeds.library, seeds.clock);
  const byKind = new Map<string, { sum: number; n: number; full: number }>();
  let claims = 0;
  let untraceable = 0;
  let uncited = 0;
  let notFoundOk = 0;
  let howFirst = 0;
  let offTopic = 0;
  const notFoundQuestions = QUESTIONS.filter((q) => q.expect === 'not_found');
  const howQuestions = QUESTIONS.filter((q) => q.form === 'how' && q.cite.length > 0);
  const misses: string[] = [];
  for (const q of QUESTIONS) {
    const reply = renderAnswer(answerer.extractive(q.question, q.thread));
    const g = gradeReply(reply, seeds.papers);
    claims += g.lines.filter((l) => l.includes('“') || l.startsWith('• ')).length;
    untraceable += g.untraceable.length;
    uncited += g.uncited.length;
    if (q.expect === 'not_found' && g.saysNotFound) notFoundOk++;
    offTopic += (q.neverCite ?? []).filter((id) => g.cited.includes(id)).length;
    if (q.cite.length === 0) continue;
    if (q.form === 'how' && g.cited[0] === q.cite[0]) howFirst++;
    const r = recall(g.cited, q.cite);
    for (const kind of ['all', q.form ?? 'other']) {
      const k = byKind.get(kind) ?? { sum: 0, n: 0, full: 0 };
      k.sum += r;
      k.n++;
      if (r === 1) k.full++;
      byKind.set(kind, k);
    }
    if (r < 1) misses.push(`  ${q.question} → cited ${g.cited.join(', ') || 'nothing'}; wanted ${q.cite.join(', ')}`);
  }
  console.log(`Graded question set (${QUESTIONS.length} questions over the seed digests, offline answers)`);
  for (const [kind, k] of byKind) console.log(`  citation recall, ${kind} (mean over ${k.n} questions): ${(k.sum / k.n).toFixed(3)}; fully cited: ${k.full}/${k.n}`);
  console.log(`  how-questions whose first citation is find's best paper: ${howFirst}/${howQuestions.length}`);
  console.log(`  claim lines: ${claims}; untraceable quotes: ${untraceable}; uncited claims: ${uncited}`);
  console.log(`  papers judged off topic that were cited: ${offTopic} of ${QUESTIONS.reduce((n, q) => n + (q.neverCite?.length ?? 0), 0)}`);
  console.log(`  "not in the digest" said for ${notFoundOk}/${notFoundQuestions.length} out-of-digest questions`);
  if (misses.length > 0) console.log(`  misses:\n${misses.join('\n')}`);
}

/** Questions over the corpus (2024-05-27 … 2026-08-21): open topics and every structural kind. */
function corpusQuestions(index: PaperIndex): string[] {
  const author = index.papers().find((p) => p.authors.length > 3 && p.organization)!;
  const [a, b] = index.papers().slice(-2);
  return [
    'which papers make mixture-of-experts inference faster?',
    'how can I reduce KV cache memory for long-context inference?',
    'what are the best methods for speculative decoding?',
    'diffusion models for video generation with camera control',
    'reinforcement learning from human feedback reward hacking',
    'how do vision-language models handle hallucination?',
    'zeroth-order fine-tuning with less memory',
    'benchmarks for LLM agents on web browsing tasks',
    'what is the capital of France?',
    'how many papers today?',
    'how many papers this week?',
    'what did NVIDIA publish this week?',
    'papers from Alibaba',
    `papers by ${author.authors[1]}`,
    'what came out on Aug 20?',
    'most upvoted this week',
    `compare ${a!.id} and ${b!.id}`,
    `what does ${a!.id} propose?`,
  ];
}

/**
 * How-questions on the corpus and the paper that answers each (judged by reading the abstracts
 * of find's first hits): the answer's first citation should be it.
 */
const CORPUS_HOW: [string, string][] = [
  ['how can I fine-tune a 100B model on one GPU?', '2604.05091'],
  ['how can I fine-tune a 100B parameter model on a single consumer GPU?', '2604.05091'],
  ['how can I train a 100B model on a single GPU?', '2604.05091'],
  ['how can I serve a 70B model on cheap GPUs?', '2608.14614'],
  ['how can I reduce hallucination in vision-language models?', '2504.13169'],
  ['how can I compress the kv cache?', '2408.00167'],
];
const CORPUS_LISTS = [
  'which papers are about mixture of experts?',
  'what approaches exist for speculative decoding?',
  'what methods reduce hallucination in vision-language models?',
  'which papers are about protein folding?',
  'what methods exist for kv cache quantization?',
];

function corpusAnswers(answerer: Answerer): void {
  console.log('\nHow-questions on the real corpus: is the first citation the paper that answers?');
  let right = 0;
  for (const [q, id] of CORPUS_HOW) {
    const answer = answerer.extractive(q);
    // A "not in the digest" answer lists nearest papers, not an answer.
    const cited = answer.kind === 'not_found' ? [] : answer.citations.map((p) => p.id);
    if (cited[0] === id) right++;
    console.log(`  ${cited[0] === id ? 'yes' : 'no '}  ${q} → ${cited.join(', ') || 'nothing'} (wanted ${id} first)`);
  }
  console.log(`  ${right}/${CORPUS_HOW.length} first citations right`);
  console.log('List questions on the real corpus: papers cited');
  for (const q of CORPUS_LISTS) {
    const answer = answerer.extractive(q);
    console.log(`  ${String(answer.kind === 'not_found' ? 0 : answer.citations.length).padStart(3)}  ${q}`);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function corpusLatency(): Promise<void> {
  const started = performance.now();
  const papers = await loadRealCorpus();
  const index = PaperIndex.build(papers);
  const buildMs = performance.now() - started;
  const clock = new FixedClock(new Date('2026-08-24T09:00:00Z'));
  const factsStarted = performance.now();
  await prepareDigestFacts(index);
  const factsMs = performance.now() - factsStarted;
  const answerer = new Answerer(new PaperLibrary(index), clock);
  corpusAnswers(answerer);
  const questions = corpusQuestions(index);
  const first = performance.now();
  answerer.extractive(questions[0]!);
  const coldMs = performance.now() - first;
  const times: number[] = [];
  const perQuestion = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const q of questions) {
      const t = performance.now();
      answerer.extractive(q);
      const ms = performance.now() - t;
      times.push(ms);
      perQuestion.set(q, [...(perQuestion.get(q) ?? []), ms]);
    }
  }
  times.sort((x, y) => x - y);
  // Open questions spend most of their time in the shared index's search: measure it alone.
  const open = questions.slice(0, 9);
  const openTimes = open.flatMap((q) => perQuestion.get(q)!).sort((x, y) => x - y);
  const searchTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const q of open) {
      const t = performance.now();
      index.search(topicQuery(q).query, { limit: 20 });
      searchTimes.push(performance.now() - t);
    }
  }
  searchTimes.sort((x, y) => x - y);
  console.log(`\nExtractive latency on the real corpus (${index.size.toLocaleString('en-US')} papers; load + index ${Math.round(buildMs)} ms)`);
  console.log(`  per-index organisation table read once (days and authors are asked per question): ${factsMs.toFixed(0)} ms; first answer after that: ${coldMs.toFixed(0)} ms`);
  console.log(
    `  open questions: p50 ${percentile(openTimes, 50).toFixed(1)} ms · p99 ${percentile(openTimes, 99).toFixed(1)} ms; of which PaperIndex.search alone: p50 ${percentile(searchTimes, 50).toFixed(1)} ms · p99 ${percentile(searchTimes, 99).toFixed(1)} ms`,
  );
  console.log(
    `  ${times.length} answers (${questions.length} questions × ${ROUNDS}): p50 ${percentile(times, 50).toFixed(1)} ms · p99 ${percentile(times, 99).toFixed(1)} ms · max ${times.at(-1)!.toFixed(1)} ms (Slack budget ${SLACK_BUDGET_MS} ms)`,
  );
  for (const [q, ms] of perQuestion) {
    const sorted = [...ms].sort((x, y) => x - y);
    console.log(`  ${percentile(sorted, 50).toFixed(1).padStart(7)} ms  ${q}`);
  }
}

await gradedSet();
if (!process.argv.includes('--seeds')) await corpusLatency();
