import type { PaperIndex } from '../index/paperIndex.js';
import { toTerm, toTerms } from '../index/terms.js';
import type { Paper } from '../model/paper.js';
import { splitSentences, type Sentence } from '../text/sentences.js';

/** One idea of the question: matched when any alternative's terms all occur ("moe" or "mixture expert"). */
export interface Concept {
  alternatives: string[][];
}

/** A sentence of an abstract, scored against the question. */
export interface Passage {
  paper: Paper;
  sentence: Sentence;
  score: number;
  /** Share of the question's concepts (weighted by rarity) the sentence matches, 0–1. */
  coverage: number;
  /** The same share over the paper's whole title and abstract: a paper that never mentions a key idea is off topic. */
  paperCoverage: number;
  /** The share the sentence and the title match together: the sentence is about what the question is about. */
  focus: number;
  /** Question terms found in the sentence, for marking. */
  matched: Set<string>;
}

/** Papers searched per question; their sentences are then ranked one by one. */
const POOL = 20;
const CUE = /\b(we (?:propose|present|introduce|develop|show|find|demonstrate)|achiev|outperform|improv|reduc|speed ?up|faster|accelerat)/i;

/** Question words and the words abstracts use for them ("faster" → "accelerates", "speedup"). */
const SYNONYMS: readonly string[][] = [
  ['fast', 'faster', 'speed', 'speedup', 'quick', 'quicker', 'accelerate', 'latency', 'throughput'],
  ['cheap', 'cheaper', 'cost', 'costly', 'affordable'],
  ['smaller', 'compress', 'compression', 'compact', 'shrink'],
  ['better', 'improve', 'outperform', 'beat'],
  ['memory', 'footprint'],
  ['single', 'one'],
  ['save', 'saving', 'reduce', 'lower', 'less', 'fewer', 'cut', 'decrease', 'mitigate', 'alleviate', 'suppress'],
];
const SYNONYM_TERMS = SYNONYMS.map((group) => [...new Set(group.map((w) => toTerm(w)).filter((t): t is string => t !== null))]);

const acronymCache = new WeakMap<ReadonlyMap<string, string[]>, { acronym: string; terms: string[] }[]>();

/**
 * The question as concepts: an acronym and its expansion count as one idea either way round,
 * so "MoE" finds "mixture of experts" sentences and the other way about.
 */
export function questionConcepts(terms: readonly string[], acronyms: ReadonlyMap<string, string[]>): Concept[] {
  let phrases = acronymCache.get(acronyms);
  if (!phrases) {
    phrases = [...acronyms].flatMap(([acronym, list]) => list.map((p) => ({ acronym, terms: toTerms(p) })).filter((p) => p.terms.length >= 2));
    acronymCache.set(acronyms, phrases);
  }
  const concepts: Concept[] = [];
  const used = new Set<number>();
  const key = ` ${terms.join(' ')} `;
  for (const p of phrases) {
    const at = key.indexOf(` ${p.terms.join(' ')} `);
    if (at < 0) continue;
    const start = key.slice(0, at).trim().split(' ').filter(Boolean).length;
    if (p.terms.some((_, i) => used.has(start + i))) continue;
    for (let i = 0; i < p.terms.length; i++) used.add(start + i);
    concepts.push({ alternatives: [p.terms, [p.acronym]] });
  }
  terms.forEach((t, i) => {
    if (used.has(i) || concepts.some((c) => c.alternatives.some((a) => a.length === 1 && a[0] === t))) return;
    const expansions = (acronyms.get(t) ?? []).map((p) => toTerms(p)).filter((x) => x.length > 0);
    const synonyms = (SYNONYM_TERMS.find((g) => g.includes(t)) ?? []).filter((x) => x !== t).map((x) => [x]);
    concepts.push({ alternatives: [[t], ...expansions, ...synonyms] });
  });
  return concepts;
}

/** Ranks the sentences of the papers the index finds for `query`, best first. */
export function retrievePassages(index: PaperIndex, query: string, terms: readonly string[], filter?: (p: Paper) => boolean): Passage[] {
  const concepts = questionConcepts(terms, index.acronyms());
  if (concepts.length === 0) return [];
  const hits = index
    .search(query, { limit: filter ? 500 : POOL })
    .filter((h) => !filter || filter(h.paper))
    .slice(0, POOL);
  const top = hits[0]?.score ?? 0;
  return rankSentences(
    hits.map((h) => ({ paper: h.paper, weight: top > 0 ? h.score / top : 1 })),
    concepts,
  );
}

/** Ranks the sentences of given papers (weight 0–1 says how well each paper matched as a whole). */
export function rankSentences(papers: readonly { paper: Paper; weight: number }[], concepts: readonly Concept[]): Passage[] {
  const pool = papers.flatMap(({ paper, weight }) => {
    const titleTerms = new Set(toTerms(paper.title));
    return splitSentences(paper.abstract)
      .filter((s) => /[\p{L}]{3}/u.test(s.text))
      .map((sentence) => ({ paper, weight, sentence, terms: new Set(toTerms(sentence.text)), titleTerms }));
  });
  if (pool.length === 0 || concepts.length === 0) return [];
  // A concept found in few sentences of the pool says more than one found in all of them.
  const weights = concepts.map((c) => {
    const df = pool.filter((s) => matchConcept(c, s.terms)).length;
    return Math.log(1 + pool.length / (1 + df));
  });
  const total = weights.reduce((a, b) => a + b, 0);
  const paperCoverage = new Map<Paper, number>();
  for (const { paper } of papers) {
    const all = new Set([...pool.filter((s) => s.paper === paper).flatMap((s) => [...s.terms]), ...toTerms(paper.title)]);
    paperCoverage.set(paper, total > 0 ? concepts.reduce((sum, c, i) => sum + (matchConcept(c, all) ? weights[i]! : 0), 0) / total : 0);
  }
  const out: Passage[] = pool.map((s) => {
    let covered = 0;
    let titleOnly = 0;
    const matched = new Set<string>();
    concepts.forEach((c, i) => {
      const alt = matchConcept(c, s.terms);
      if (alt) {
        covered += weights[i]!;
        for (const t of alt) matched.add(t);
      } else if (matchConcept(c, s.titleTerms)) titleOnly += weights[i]!;
    });
    const coverage = total > 0 ? covered / total : 0;
    const cue = CUE.test(s.sentence.text) ? 0.05 : 0;
    const long = s.sentence.text.length > 450 ? -0.1 : 0;
    const score = (coverage + (0.3 * titleOnly) / (total || 1)) * (0.6 + 0.4 * s.weight) + cue + long;
    const focus = total > 0 ? (covered + titleOnly) / total : 0;
    return { paper: s.paper, sentence: s.sentence, score, coverage, paperCoverage: paperCoverage.get(s.paper) ?? 0, focus, matched };
  });
  return out.sort((a, b) => b.score - a.score);
}

/** The sentence terms matching an alternative of `c` whose terms all occur (a shared stem of 4+ letters counts: "fast"/"faster"). */
export function matchConcept(c: Concept, terms: ReadonlySet<string>): string[] | undefined {
  for (const alt of c.alternatives) {
    const found: string[] = [];
    for (const t of alt) {
      const hit = findTerm(terms, t);
      if (hit === undefined) break;
      found.push(hit);
    }
    if (found.length === alt.length) return found;
  }
  return undefined;
}

function findTerm(terms: ReadonlySet<string>, t: string): string | undefined {
  if (terms.has(t)) return t;
  if (t.length < 4) return undefined;
  for (const s of terms) if (s.length >= 4 && (s.startsWith(t) || t.startsWith(s))) return s;
  return undefined;
}
