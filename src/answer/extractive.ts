import type { PaperIndex } from '../index/paperIndex.js';
import { toTerm, tokenize } from '../index/terms.js';
import type { Paper } from '../model/paper.js';
import { truncate } from '../text/truncate.js';
import { CitationList, type Answer, type AnswerLine } from './answer.js';
import { topicTerms } from './intent.js';
import { retrievePassages, type Passage } from './retrieve.js';

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
 * An answer quoted from the abstracts: the best sentences of the best papers, at most one or two
 * per paper, each cited. When no sentence covers enough of the question, says so instead and
 * offers the nearest papers.
 */
export function answerFromAbstracts(index: PaperIndex, question: string, filter?: { test: (p: Paper) => boolean; label: string }, heading = question): Answer {
  const { query, terms } = topicQuery(question);
  const passages = terms.length > 0 ? retrievePassages(index, query, terms, filter?.test) : [];
  const picked = pickPassages(passages);
  const scope = filter ? ` in ${filter.label}` : '';
  if (picked.length === 0) return notFound(heading, passages, scope);
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
    note: `Quoted from ${citations.papers.length === 1 ? 'an abstract' : `${citations.papers.length} abstracts`} in ${filter ? filter.label : 'the digest'}; [n] is the source.`,
    terms: matched,
  };
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

function notFound(question: string, passages: readonly Passage[], scope: string): Answer {
  const nearest: Paper[] = [];
  for (const p of passages) if (!nearest.includes(p.paper) && nearest.length < 3) nearest.push(p.paper);
  const lines: AnswerLine[] = [{ text: `The digest${scope} does not answer that: no abstract covers enough of the question.`, cites: [] }];
  if (nearest.length > 0) lines.push({ text: 'The nearest papers, in case one of them helps:', cites: [] });
  return {
    kind: 'not_found',
    heading: question,
    lines,
    citations: nearest,
    note: nearest.length > 0 ? 'These papers are close, not an answer. Try other words, or /paper find <words>.' : 'Try other words, or /paper find <words>.',
  };
}

/** "MobileDets" for "MobileDets: Searching for …", else the title cut at a word. */
export function shortTitle(paper: Paper): string {
  const colon = paper.title.indexOf(':');
  if (colon >= 3 && colon <= 40) return paper.title.slice(0, colon).trim();
  return truncate(paper.title, 60);
}
