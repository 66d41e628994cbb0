import type { PaperIndex } from '../index/paperIndex.js';
import { toTerms } from '../index/terms.js';
import type { Paper } from '../model/paper.js';
import { sentenceRole, type SentenceRole } from '../summary/tldr.js';
import { matchConcept, questionConcepts, rankSentences, type Concept, type Passage } from './retrieve.js';

/** Search hits read per question: deep enough to count the papers on a topic honestly. */
const SEARCH_DEPTH = 100;
/** With a date filter, search deeper so the window still has enough hits. */
const FILTERED_DEPTH = 500;
const ALL = 1 - 1e-9;
/**
 * Some sentence, read with the title, must match this share of the question: a paper that
 * names each idea in a different sentence ("experts" here, "faster" there) is not about them.
 */
const MIN_FOCUS = 0.75;

/** A search hit with its sentences scored against the question. */
export interface RankedPaper {
  paper: Paper;
  /** Weighted share of the question's concepts its title and abstract mention, 0–1. */
  coverage: number;
  /** Its sentences, best first. */
  passages: Passage[];
  /** Per concept of the question: whether its title or abstract mentions it. */
  mentions: boolean[];
}

export interface Ranked {
  concepts: Concept[];
  /** In the order search (and so `find`) ranks them. */
  papers: RankedPaper[];
  /** True when the search stopped at its depth: there may be more papers than counted. */
  cut: boolean;
}

/** Search hits for the question's topic words, in find's order, each with its scored sentences. */
export function rankHits(index: PaperIndex, query: string, terms: readonly string[], filter?: (p: Paper) => boolean): Ranked {
  const concepts = questionConcepts(terms, index.acronyms());
  if (concepts.length === 0) return { concepts, papers: [], cut: false };
  const searched = index.search(query, { limit: filter ? FILTERED_DEPTH : SEARCH_DEPTH });
  const hits = searched.filter((h) => !filter || filter(h.paper)).slice(0, SEARCH_DEPTH);
  const top = hits[0]?.score ?? 0;
  const passages = rankSentences(
    hits.map((h) => ({ paper: h.paper, weight: top > 0 ? h.score / top : 1 })),
    concepts,
  );
  const byPaper = new Map<Paper, Passage[]>();
  for (const p of passages) byPaper.set(p.paper, [...(byPaper.get(p.paper) ?? []), p]);
  const papers = hits.map((h) => {
    const own = byPaper.get(h.paper) ?? [];
    const terms = new Set(toTerms(`${h.paper.title} ${h.paper.abstract}`));
    return { paper: h.paper, coverage: own[0]?.paperCoverage ?? 0, passages: own, mentions: concepts.map((c) => matchConcept(c, terms) !== undefined) };
  });
  return { concepts, papers, cut: hits.length === SEARCH_DEPTH || (filter !== undefined && searched.length === FILTERED_DEPTH) };
}

/**
 * The papers whose title and abstract mention every concept of the question, with a sentence
 * about most of them, in find's order.
 */
export function onTopic(ranked: Ranked): RankedPaper[] {
  return ranked.papers.filter(isOnTopic);
}

function isOnTopic(p: RankedPaper): boolean {
  return p.coverage >= ALL && p.passages.some((s) => s.focus >= MIN_FOCUS);
}

const ROLE_BONUS: Record<SentenceRole, number> = { proposal: 0.4, result: 0.3, other: 0, background: -0.6 };

/**
 * The sentence to quote for a paper: the one that says most of the question (on its own, and read
 * with the title), preferring what the paper does or found over the background it starts from.
 */
export function answerSentence(p: RankedPaper): Passage {
  return answerSentences(p)[0]!;
}

/** The paper's sentences in the order they are worth quoting (see answerSentence). */
export function answerSentences(p: RankedPaper): Passage[] {
  const value = (s: Passage) => s.coverage + s.focus + ROLE_BONUS[sentenceRole(s.sentence.text)];
  return p.passages
    .map((s) => ({ s, v: value(s) }))
    .sort((a, b) => b.v - a.v)
    .map((x) => x.s);
}

/** Concepts no searched paper mentions: the part of the question the digest knows nothing about. */
export function unknownConcepts(ranked: Ranked): Concept[] {
  return ranked.concepts.filter((_, i) => !ranked.papers.some((p) => p.mentions[i]));
}

/**
 * Whether the paper mentions every number-bearing concept of the question ("70B", "2-bit"):
 * a paper about a model of another size does not answer a question about this one.
 */
export function mentionsSpecifics(ranked: Ranked, p: RankedPaper): boolean {
  return ranked.concepts.every((c, i) => p.mentions[i] || !c.alternatives[0]!.some((t) => /\d/.test(t)));
}

/** How much of the question the paper's best sentence says, read with the title. */
export function bestFocus(p: RankedPaper): number {
  return Math.max(0, ...p.passages.map((s) => s.focus));
}
