import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCorpus } from '../../src/parser/corpus.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import { toTerms } from '../../src/index/terms.js';
import type { Paper } from '../../src/model/paper.js';
import { CORPUS_DIR } from '../helpers/fixtures.js';

/**
 * Words in more than a fifth of the papers (and at least 1,000 of them) are common: a query
 * searches its rarer words only, and common words count through titles when re-ranking. Only a
 * corpus that large has any, so this runs on the vendored sample of the real corpus (3,515 papers).
 */
let papers: Paper[];
let index: PaperIndex;
/** Each paper's title and abstract terms. */
let termsOf: Set<string>[];
beforeAll(async () => {
  const read = (name: string) => readFileSync(join(CORPUS_DIR, name), 'utf8');
  papers = parseCorpus('papers.jsonl', read('papers.jsonl'), 'days.jsonl', read('days.jsonl')).papers;
  index = PaperIndex.build(papers);
  termsOf = papers.map((p) => new Set(toTerms(`${p.title} ${p.abstract}`)));
});

/** How many papers have the word in their title or abstract. */
const papersWith = (word: string) => termsOf.filter((terms) => terms.has(toTerms(word)[0]!)).length;
const titleHas = (p: Paper, ...words: string[]) => words.every((w) => toTerms(p.title).includes(toTerms(w)[0]!));
const isCommon = (word: string) => papersWith(word) > Math.max(1000, 0.2 * papers.length);

describe('common words on a sample of the real corpus', () => {
  it('a common word next to a rarer one does not widen the results, and titles with both come first', () => {
    expect(isCommon('models')).toBe(true);
    expect(isCommon('hallucination')).toBe(false);
    const alone = index.searchPage('hallucination', { limit: 5 });
    const both = index.searchPage('models hallucination', { limit: 5 });
    // The counts a user sees are those of the rarer word, not of every paper saying "model".
    expect(both.allWords + both.someWords).toBe(alone.allWords);
    expect(papers.filter((p) => titleHas(p, 'models', 'hallucination')).length).toBeGreaterThanOrEqual(5);
    for (const hit of both.hits) expect(titleHas(hit.paper, 'models', 'hallucination'), hit.paper.title).toBe(true);
  });

  it('a query of only common words searches the rarest, with titles having them all first', () => {
    expect(isCommon('models') && isCommon('training')).toBe(true);
    expect(papersWith('training')).toBeLessThan(papersWith('models'));
    const page = index.searchPage('training models', { limit: 5 });
    const rarest = index.searchPage('training', { limit: 1 });
    expect(page.allWords + page.someWords).toBe(rarest.allWords);
    for (const hit of page.hits) expect(titleHas(hit.paper, 'models', 'training'), hit.paper.title).toBe(true);
  });
});
