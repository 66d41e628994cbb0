import type { PaperIndex } from '../index/paperIndex.js';
import { orList } from '../text/orList.js';
import { toTerm, tokenize } from '../index/terms.js';
import type { Paper } from '../model/paper.js';
import { sentenceRole } from '../summary/tldr.js';
import { truncate } from '../text/truncate.js';
import { CitationList, type Answer, type AnswerLine } from './answer.js';
import { moreLine } from './factLines.js';
import { countForm, plural } from '../text/plural.js';
import { topicTerms } from './intent.js';
import type { QuestionForm } from './questionForm.js';
import { answerSentence, answerSentences, bestFocus, mentionsSpecifics, onTopic, rankHits, unknownConcepts, type Ranked, type RankedPaper } from './relevant.js';
import { retrievePassages, type Concept, type Passage } from './retrieve.js';

/** Below this share of the question's concepts, a sentence does not answer it. */
const MIN_COVERAGE = 0.5;
/**
 * A paper whose title and abstract together miss more of the question than the best paper does
 * is not quoted, however well one of its sentences matches.
 */
const PAPER_COVERAGE_SHARE = 0.85;
const MAX_PAPERS = 4;
const MAX_QUOTES = 5;
const MAX_QUOTE_CHARS = 320;
/** A paper naming no more than this share of the question's ideas is not near it: it is not offered. */
const NEAR_COVERAGE = 0.5;
/** A list answer shows one page, as `find` does at its largest page size. */
const LIST_PAGE = 10;
/** A how-answer that covers only part of the question comes from this many of find's first hits. */
const PARTIAL_DEPTH = 10;
/** Papers quoted after the one that answers a how-question best. */
const HOW_ALSO = 2;
/** A paper answers a how-question when its best sentence, read with its title, says this share of what the best one says. */
const HOW_SENTENCE_SHARE = 0.6;

export interface AbstractsOptions {
  filter?: { test: (p: Paper) => boolean; label: string };
  heading?: string;
  form?: QuestionForm;
}

/** The question's topic words as a search query (framing words like "tell me" dropped). */
export function topicQuery(text: string): { query: string; terms: string[] } {
  const terms = [...new Set(topicTerms(text))];
  const wanted = new Set(terms);
  const query = tokenize(text)
    .filter((w) => {
      const t = toTerm(w);
      return t !== null && wanted.has(t);
    })
    .join(' ');
  return { query, terms };
}

/**
 * An answer quoted from the abstracts. A list question lists every paper search ranks on its
 * topic; a how-question quotes the paper search ranks first among those that answer it; other
 * questions get the best sentences of the best papers. When nothing covers enough of the
 * question, says so instead and offers the nearest papers.
 */
export function answerFromAbstracts(index: PaperIndex, question: string, options: AbstractsOptions = {}): Answer {
  const { filter, heading = question, form = 'open' } = options;
  const { query, terms } = topicQuery(question);
  const scope = filter ? ` in ${filter.label}` : '';
  if (form !== 'open') {
    const ranked = terms.length > 0 ? rankHits(index, query, terms, filter?.test) : { concepts: [], papers: [], cut: false };
    const answer = form === 'list' ? listAnswer(ranked, question, heading, query, filter?.label) : howAnswer(ranked, heading, filter?.label);
    if (answer) return answer;
    // Nearest: the papers naming most of the question, in find's order among equals.
    const nearest = ranked.papers.filter((p) => mentioned(p) > NEAR_COVERAGE).sort((a, b) => mentioned(b) - mentioned(a));
    return notFound(
      heading,
      nearest.map((p) => p.paper),
      scope,
      missingWords(question, unknownConcepts(ranked)),
    );
  }
  const passages = terms.length > 0 ? retrievePassages(index, query, terms, filter?.test) : [];
  const picked = pickPassages(passages);
  if (picked.length === 0)
    return notFound(
      heading,
      passages.filter((p) => p.paperCoverage > NEAR_COVERAGE).map((p) => p.paper),
      scope,
      [],
    );
  const citations = new CitationList();
  const matched = new Set<string>();
  for (const p of picked) {
    citations.cite(p.paper);
    for (const t of p.matched) matched.add(t);
  }
  const lines = picked
    .map((p) => ({ p, n: citations.cite(p.paper) }))
    .sort((a, b) => a.n - b.n || a.p.sentence.offset - b.p.sentence.offset)
    .map(({ p, n }) => quoteLine(p, n));
  return {
    kind: 'quoted',
    heading,
    lines,
    citations: citations.papers,
    note: quotedNote(citations.papers.length, filter?.label),
    terms: matched,
  };
}

/** Every paper on the topic, as search ranks them, one page of them each with its best sentence. */
function listAnswer(ranked: Ranked, question: string, heading: string, query: string, scope: string | undefined): Answer | undefined {
  const relevant = onTopic(ranked);
  if (relevant.length === 0) return undefined;
  const shown = relevant.slice(0, LIST_PAGE);
  const citations = new CitationList();
  const terms = new Set<string>();
  const quotes = shown.map((r) => {
    const best = answerSentence(r);
    for (const t of best.matched) terms.add(t);
    return quoteLine(best, citations.cite(r.paper));
  });
  const topic = `‘${topicPhrase(question)}’`;
  const where = scope ?? 'the digest';
  const rest = relevant.length > shown.length ? `; the first ${shown.length}` : '';
  // Search stopped at its depth: say how many of the papers it read match, not how many exist.
  const head = ranked.cut
    ? `Of the ${ranked.papers.length} papers /paper find ranks first for ${topic} in ${where}, ${relevant.length} ${countForm(relevant.length, 'matches', 'match')} it in title or abstract${rest}:`
    : `${plural(relevant.length, 'paper')} in ${where} ${countForm(relevant.length, 'matches', 'match')} ${topic} in title or abstract${rest ? `${rest} as /paper find ranks them` : relevant.length > 1 ? ', as /paper find ranks them' : ''}:`;
  const lines: AnswerLine[] = [{ text: head, cites: [] }, ...quotes, ...moreLine(relevant.length, shown.length, `See them all with /paper find ${query}.`)];
  return { kind: 'listed', heading, lines, citations: citations.papers, note: quotedNote(citations.papers.length, scope, citations.papers.length > 1 ? 'one sentence each' : undefined), terms };
}

/**
 * The paper search ranks first among those that answer the question, quoted, then up to two
 * more that answer it too. Papers that cover the whole question come before partial ones, and a
 * partial one must still name the question's specifics (sizes, bit widths).
 */
function howAnswer(ranked: Ranked, heading: string, scope: string | undefined): Answer | undefined {
  const complete = onTopic(ranked);
  // Without a complete answer: among find's first hits, the papers that name the question's
  // specifics and say enough of it, naming the most of its ideas (counted, not weighed, so one
  // rare word cannot carry an off-topic paper), in find's order.
  const partial = ranked.papers.slice(0, PARTIAL_DEPTH).filter((p) => p.passages.length > 0 && mentionsSpecifics(ranked, p) && bestFocus(p) >= MIN_COVERAGE);
  const most = Math.max(0, ...partial.map(mentioned));
  const candidates = complete.length > 0 ? complete : most > NEAR_COVERAGE ? partial.filter((p) => mentioned(p) === most) : [];
  const best = Math.max(0, ...candidates.map(bestFocus));
  if (best < MIN_COVERAGE) return undefined;
  const bar = Math.max(MIN_COVERAGE, HOW_SENTENCE_SHARE * best);
  const answering = candidates.filter((c) => bestFocus(c) >= bar);
  const [first, ...rest] = answering;
  if (!first) return undefined;
  const [top, ...others] = answerSentences(first);
  const picked: Passage[] = [top!];
  const second = others.find((p) => p.focus >= bar && p.coverage >= MIN_COVERAGE && sentenceRole(p.sentence.text) !== 'background');
  if (second) picked.push(second);
  for (const r of rest.slice(0, HOW_ALSO)) picked.push(answerSentence(r));
  const citations = new CitationList();
  const terms = new Set(picked.flatMap((p) => [...p.matched]));
  const lines: AnswerLine[] = picked
    .map((p) => ({ p, n: citations.cite(p.paper) }))
    .sort((a, b) => a.n - b.n || a.p.sentence.offset - b.p.sentence.offset)
    .map(({ p, n }) => quoteLine(p, n));
  if (complete.length === 0) lines.unshift({ text: `No abstract in ${scope ?? 'the digest'} covers the whole question; the closest:`, cites: [] });
  const detail = citations.papers.length > 1 ? '[1] is the one /paper find ranks first among those that answer it' : undefined;
  return { kind: 'quoted', heading, lines, citations: citations.papers, note: quotedNote(citations.papers.length, scope, detail), terms };
}

export function quoteLine(p: Pick<Passage, 'paper' | 'sentence'>, n: number, withLead = true): AnswerLine {
  const line: AnswerLine = { quote: { text: truncate(p.sentence.text, MAX_QUOTE_CHARS), paperId: p.paper.id, offset: p.sentence.offset }, cites: [n] };
  if (withLead) line.lead = shortTitle(p.paper);
  return line;
}

/** One or two sentences per paper from the best few papers, strongest first. */
export function pickPassages(ranked: readonly Passage[]): Passage[] {
  const paperFloor = Math.max(MIN_COVERAGE, PAPER_COVERAGE_SHARE * Math.max(0, ...ranked.map((p) => p.paperCoverage)));
  const best = ranked.find((p) => p.paperCoverage >= paperFloor);
  if (!best || best.coverage < MIN_COVERAGE) return [];
  const floor = Math.max(MIN_COVERAGE, best.coverage * 0.6);
  const good = ranked.filter((p) => p.coverage >= floor && p.paperCoverage >= paperFloor && p.score >= best.score * 0.5);
  const picked: Passage[] = [];
  const perPaper = new Map<string, number>();
  for (const p of good) {
    if (perPaper.has(p.paper.id) || perPaper.size >= MAX_PAPERS) continue;
    perPaper.set(p.paper.id, 1);
    picked.push(p);
  }
  // Few papers: a second sentence of each says more than a weaker paper would.
  for (const p of good) {
    if (picked.length >= Math.min(MAX_QUOTES, 3) || picked.includes(p) || perPaper.get(p.paper.id) !== 1) continue;
    perPaper.set(p.paper.id, 2);
    picked.push(p);
  }
  return picked;
}

function quotedNote(papers: number, scope: string | undefined, detail?: string): string {
  return `Quoted from ${papers === 1 ? 'an abstract' : plural(papers, 'abstract')} in ${scope ?? 'the digest'}${detail ? ` (${detail})` : ''}; [n] is the source.`;
}

/** The share of the question's ideas the paper's title and abstract name. */
function mentioned(p: RankedPaper): number {
  return p.mentions.length > 0 ? p.mentions.filter(Boolean).length / p.mentions.length : 0;
}

/** Says the digest does not answer, why, and offers up to three of the `near` papers, nearest first. */
function notFound(question: string, near: readonly Paper[], scope: string, missing: readonly string[]): Answer {
  const nearest = [...new Set(near)].slice(0, 3);
  const why = missing.length > 0 ? `none of the papers closest to it mentions ${orList(missing.map((w) => `‘${w}’`))}` : 'no abstract covers enough of the question';
  const lines: AnswerLine[] = [{ text: `The digest${scope} does not answer that: ${why}.`, cites: [] }];
  lines.push({ text: nearest.length > 0 ? 'The nearest papers, in case one of them helps:' : `No paper${scope || ' in the digest'} comes close.`, cites: [] });
  return {
    kind: 'not_found',
    heading: question,
    lines,
    citations: nearest,
    note: nearest.length > 0 ? 'These papers are close, not an answer. Try other words, or /paper find <words>.' : 'Try other words, or /paper find <words>.',
  };
}

/** The question from its first topic word to its last, as typed: “mixture-of-experts inference”. */
function topicPhrase(question: string): string {
  const wanted = new Set(topicTerms(question));
  let from = -1;
  let to = -1;
  for (const m of question.matchAll(/[\p{L}\p{N}]+/gu)) {
    const t = toTerm(m[0]);
    if (t === null || !wanted.has(t)) continue;
    if (from < 0) from = m.index;
    to = m.index + m[0].length;
  }
  return from < 0 ? question.trim() : question.slice(from, to);
}

/** The question's own words for concepts, for saying which ones the digest lacks. */
function missingWords(question: string, concepts: readonly Concept[]): string[] {
  const words = new Map<string, string>();
  for (const w of tokenize(question)) {
    const t = toTerm(w);
    if (t !== null && !words.has(t)) words.set(t, w);
  }
  return concepts.map((c) => c.alternatives[0]!.map((t) => words.get(t) ?? t).join(' '));
}

/** "MobileDets" for "MobileDets: Searching for …", else the title cut at a word. */
export function shortTitle(paper: Paper): string {
  const colon = paper.title.indexOf(':');
  if (colon >= 3 && colon <= 40) return paper.title.slice(0, colon).trim();
  return truncate(paper.title, 60);
}
