import { beforeAll, describe, expect, it } from 'vitest';
import type { PaperIndex } from '../../src/index/paperIndex.js';
import { tokenize } from '../../src/index/terms.js';
import { loadSeeds, seedIndex } from '../helpers/seeds.js';

let index: PaperIndex;
/** Every word written in a seed paper, lower-cased. */
let written: Set<string>;
beforeAll(async () => {
  index = await seedIndex();
  const { papers } = await loadSeeds();
  written = new Set(papers.flatMap((p) => tokenize([p.title, p.abstract, ...p.authors, p.organization?.name ?? ''].join(' ')).map((w) => w.toLowerCase())));
});

describe('did you mean', () => {
  it.each([
    ['difusion models', 'diffusion models'],
    ['qantization', 'quantization'],
    ['halucination', 'hallucination'],
    ['trasnformer', 'transformer'],
  ])('suggests for “%s” the words papers wrote, “%s”, not index stems', (typed, expected) => {
    const suggestion = index.didYouMean(typed);
    expect(suggestion).toBe(expected);
    for (const word of suggestion!.split(' ')) expect(written, word).toContain(word);
  });

  it('replaces every misspelt word with a real word', () => {
    for (const typed of ['multimodl benchmrk', 'reinforcement lerning', 'agnet', 'retreival augmented generaton']) {
      const suggestion = index.didYouMean(typed);
      expect(suggestion, typed).toBeDefined();
      for (const word of suggestion!.split(' ')) expect(written, `${typed} → ${suggestion}`).toContain(word);
    }
  });

  it('suggests nothing when every word is known or nothing is close', () => {
    expect(index.didYouMean('diffusion models')).toBeUndefined();
    expect(index.didYouMean('zzqxv')).toBeUndefined();
  });
});
