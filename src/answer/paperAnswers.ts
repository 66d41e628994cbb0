import type { PaperIndex } from '../index/paperIndex.js';
import type { Paper } from '../model/paper.js';
import { tldr } from '../summary/tldr.js';
import { splitSentences } from '../text/sentences.js';
import { CitationList, type Answer, type AnswerLine } from './answer.js';
import { quoteLine } from './extractive.js';
import { paperFactLine } from './factLines.js';
import { plural } from '../text/plural.js';
import { topicTerms, type Aspect } from './intent.js';
import { questionConcepts, rankSentences } from './retrieve.js';
import { humanDate } from '../time/days.js';

/** Words that ask for the gist rather than a detail ("what is it about?", "tl;dr"). */
const GIST = /\b(?:summar\w*|tl;?dr|gist|about|main|idea|ideas|contribution\w*|key|overview|explain|describe|propose\w*|do|does|doing|point|takeaway\w*|abstract|say|says)\b/gi;
const THREAD_WORDS = /\b(?:it|its|it's|this|that|the|paper|work|one|article|study|method|model|authors?|they|their|them)\b/gi;
const MIN_COVERAGE = 0.5;
const CODE_SENTENCE = /github|gitlab|huggingface\.co|https?:\/\/|\bcode\b.*\bavailable\b|\bavailable at\b|project page|open[- ]source/i;

/**
 * Answers about one paper (asked in its thread, or naming its id). Returns undefined when the
 * question was not explicitly about the paper and its abstract does not answer it, so the
 * caller can search the whole digest instead.
 */
export function answerAboutPaper(index: PaperIndex, paper: Paper, aspect: Aspect, question: string, soft: boolean): Answer | undefined {
  const citations = new CitationList();
  const n = citations.cite(paper);
  const base = { heading: question, citations: citations.papers };
  switch (aspect) {
    case 'authors':
      return { kind: 'facts', ...base, lines: [authorsLine(paper, n)] };
    case 'date':
      return { kind: 'facts', ...base, lines: dateLines(paper, n) };
    case 'upvotes': {
      const comments = paper.numComments !== undefined ? ` and ${plural(paper.numComments, 'comment')}` : '';
      const best = paper.digests.reduce<{ date: string; rank: number } | undefined>((b, d) => (!b || d.rank < b.rank ? d : b), undefined);
      const rank = best ? `; its best position was #${best.rank} in the ${humanDate(best.date)} digest` : '';
      return { kind: 'facts', ...base, lines: [{ text: `It has ${plural(paper.upvotes, 'upvote')}${comments} in the digest${rank}.`, cites: [n] }] };
    }
    case 'code': {
      const lines: AnswerLine[] = [];
      if (paper.githubRepo) lines.push({ text: `Code: ${paper.githubRepo}`, cites: [n] });
      if (paper.projectPage) lines.push({ text: `Project page: ${paper.projectPage}`, cites: [n] });
      for (const s of splitSentences(paper.abstract)) if (CODE_SENTENCE.test(s.text)) lines.push(quoteLine({ paper, sentence: s }, n, false));
      if (lines.length === 0) lines.push({ text: 'The digest lists no code or project link for it, and its abstract mentions none.', cites: [n] });
      return { kind: 'facts', ...base, lines };
    }
    case 'similar': {
      const lines: AnswerLine[] = [{ text: 'Papers in the digest closest to it:', cites: [n] }];
      for (const hit of index.moreLike(paper, 5)) lines.push(paperFactLine(hit.paper, citations.cite(hit.paper)));
      return { kind: 'facts', ...base, lines };
    }
    case 'text':
      return fromAbstract(index, paper, question, soft);
  }
}

function fromAbstract(index: PaperIndex, paper: Paper, question: string, soft: boolean): Answer | undefined {
  const terms = topicTerms(question.replace(THREAD_WORDS, ' ').replace(GIST, ' '));
  const base = { heading: question, citations: [paper], terms: new Set<string>() };
  if (terms.length === 0) {
    if (soft && !/\b(?:summar|tl;?dr|gist|about)/i.test(question)) return undefined;
    return { kind: 'quoted', ...base, lines: tldr(paper, 3).map((s) => quoteLine({ paper, sentence: s }, 1, false)), note: 'The key sentences of its abstract in the digest [1].' };
  }
  const ranked = rankSentences([{ paper, weight: 1 }], questionConcepts(terms, index.acronyms()));
  const good = ranked.filter((p) => p.coverage >= MIN_COVERAGE).slice(0, 2);
  if (good.length > 0) {
    const matched = new Set(good.flatMap((p) => [...p.matched]));
    const lines = good.sort((a, b) => a.sentence.offset - b.sentence.offset).map((p) => quoteLine(p, 1, false));
    return { kind: 'quoted', ...base, terms: matched, lines, note: 'Quoted from its abstract in the digest [1].' };
  }
  if (soft) return undefined;
  return {
    kind: 'not_found',
    ...base,
    lines: [{ text: 'Its abstract in the digest does not say. What it does say, in short:', cites: [] }, ...tldr(paper, 2).map((s) => quoteLine({ paper, sentence: s }, 1, false))],
  };
}

function authorsLine(paper: Paper, n: number): AnswerLine {
  const org = paper.organization ? ` The paper is listed under ${paper.organization.name}.` : '';
  if (paper.authors.length > 0) {
    return { text: `${plural(paper.authors.length, 'author')}: ${paper.authors.join(', ')}.${org}`, cites: [n] };
  }
  if (paper.authorCount !== undefined) {
    return { text: `The digest lists ${plural(paper.authorCount, 'author')} but not their names.${org}`, cites: [n] };
  }
  return { text: `The digest does not name its authors.${org}`, cites: [n] };
}

function dateLines(paper: Paper, n: number): AnswerLine[] {
  const lines: AnswerLine[] = [];
  if (paper.published) {
    const inferred = paper.publishedYearInferred ? ' (the year is inferred from the digest date)' : '';
    lines.push({ text: `Published ${humanDate(paper.published)}${inferred}.`, cites: [n] });
  } else {
    lines.push({ text: 'The digest gives no publication date.', cites: [n] });
  }
  if (paper.digests.length > 0) lines.push({ text: `In the digests of ${paper.digests.map((d) => `${humanDate(d.date)} (#${d.rank})`).join(', ')}.`, cites: [n] });
  return lines;
}

/** "What does this paper propose?" asked outside any thread: a question about an unnamed paper. */
export function isAboutSomePaper(question: string): boolean {
  return (
    /\b(?:this|that) (?:paper|work|article|study)\b|^\s*(?:what|who|when|how)\b.*\b(?:it|its)\b/i.test(question) && topicTerms(question.replace(THREAD_WORDS, ' ').replace(GIST, ' ')).length === 0
  );
}
