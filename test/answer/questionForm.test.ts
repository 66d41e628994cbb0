import { describe, expect, it } from 'vitest';
import { questionForm } from '../../src/answer/questionForm.js';

describe('question forms', () => {
  it.each([
    'which papers are about mixture of experts?',
    'what methods compress the KV cache?',
    'what are the papers about long-context inference?',
    'what approaches exist for CUDA kernel generation?',
    'Which recent papers study scaling laws?',
    'are there any papers on weed segmentation?',
    'is there work on depth estimation?',
    'list the papers on speculative decoding',
    'papers about protein folding',
    'recent papers on speculative decoding',
    'new methods for video generation',
  ])('“%s” asks for a list', (q) => expect(questionForm(q)).toBe('list'));

  it.each(['how can I compress the kv cache?', 'How do we train on 10,000 GPUs?', 'how to quantize a diffusion transformer', "what's the best way to fine-tune on one GPU?"])('“%s” asks how', (q) =>
    expect(questionForm(q)).toBe('how'),
  );

  it.each(['what does KIVI do for the KV cache?', 'which paper proposes ExFlow?', 'what model does KIVI use?', 'how does ZeRO remove memory redundancies?', 'what explains neural scaling laws?'])(
    '“%s” is neither: one paper or one fact',
    (q) => expect(questionForm(q)).toBe('open'),
  );
});
