import { describe, expect, it } from 'vitest';
import { arxivIdOf, looksLikeId, titleId } from '../../src/parser/ids.js';

describe('arXiv ids as users type them', () => {
  it.each([
    ['2511.05271', '2511.05271'],
    ['2511.05271v2', '2511.05271'],
    ['arXiv:2511.05271v3', '2511.05271'],
    ['https://arxiv.org/abs/2511.05271', '2511.05271'],
    ['https://arxiv.org/abs/2511.05271v2', '2511.05271'],
    ['http://arxiv.org/pdf/2511.05271v1.pdf', '2511.05271'],
    ['arxiv.org/pdf/2511.05271', '2511.05271'],
    ['https://www.arxiv.org/html/2511.05271v1', '2511.05271'],
    ['https://huggingface.co/papers/2511.05271', '2511.05271'],
    ['https://huggingface.co/papers/2511.05271?utm=x#community', '2511.05271'],
    ['<https://hf.co/papers/2405.14906>', '2405.14906'],
    ['  2405.1490  ', '2405.1490'],
  ])('%s → %s', (typed, id) => {
    expect(arxivIdOf(typed)).toBe(id);
  });

  it.each(['t-91e2b2567c', 'kinetics test-time scaling', '2511.05271 and more', 'https://example.com/abs/2511.05271', 'https://huggingface.co/datasets/2511.05271', '25110.5271', ''])(
    '%s is no arXiv id',
    (typed) => {
      expect(arxivIdOf(typed)).toBeUndefined();
    },
  );
});

describe('what looks like an id rather than title words', () => {
  it('ids, id-shaped words and URLs do; several words do not', () => {
    for (const typed of ['2511.05271', '2511.05271v2', 't-91e2b2567', titleId('A title'), 'https://arxiv.org/abs/2511.05271', 'arxiv:2511', 'gpt4']) expect(looksLikeId(typed), typed).toBe(true);
    for (const typed of ['kinetics test-time scaling', 'tensorbleu', 'mixture-of-experts', 'nonexistent-id', '']) expect(looksLikeId(typed), typed).toBe(false);
  });
});
