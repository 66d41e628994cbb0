import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/text/sentences.js';
import { truncate } from '../../src/text/truncate.js';
import { loadSeeds } from '../helpers/seeds.js';

describe('splitSentences', () => {
  it('keeps numbers, abbreviations and lower-case continuations inside a sentence', () => {
    const text = 'Flex achieves 1.55x and 2.11x speedup over Fairseq, e.g. on BERT and GPT models. It also scales (see Fig. 3). Results vs. baselines improve. Done!';
    expect(splitSentences(text).map((s) => s.text)).toEqual([
      'Flex achieves 1.55x and 2.11x speedup over Fairseq, e.g. on BERT and GPT models.',
      'It also scales (see Fig. 3).',
      'Results vs. baselines improve.',
      'Done!',
    ]);
  });

  it('gives offsets that point back into the text, for every seed abstract', async () => {
    for (const paper of (await loadSeeds()).papers) {
      const sentences = splitSentences(paper.abstract);
      for (const s of sentences) expect(paper.abstract.slice(s.offset, s.offset + s.text.length)).toBe(s.text);
      // Nothing is lost: the sentences cover the whole abstract but for spaces.
      expect(
        sentences
          .map((s) => s.text)
          .join('')
          .replace(/\s/g, ''),
      ).toBe(paper.abstract.replace(/\s/g, ''));
    }
  });
});

describe('truncate', () => {
  it('leaves short text alone and cuts long text at a word with an ellipsis', () => {
    expect(truncate('short text', 20)).toBe('short text');
    const cut = truncate('the quick brown fox jumps over the lazy dog', 20);
    expect(cut).toBe('the quick brown…');
    expect(cut.length).toBeLessThanOrEqual(20);
  });

  it('never exceeds the limit, even for one long word, and never splits an emoji', () => {
    const cut = truncate('x'.repeat(50), 10);
    expect(cut).toHaveLength(10);
    expect(cut.endsWith('…')).toBe(true);
    expect(truncate('ab😀cdefgh', 4)).toBe('ab…');
  });
});
