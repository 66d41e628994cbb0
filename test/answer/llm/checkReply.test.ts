import { describe, expect, it } from 'vitest';
import { checkReply } from '../../../src/answer/llm/checkReply.js';

describe('checking an LLM reply against the passages given', () => {
  it('accepts sentences that each cite a given passage, and separates the markers', () => {
    expect(checkReply('ExFlow is faster [2]. DeepSpeed-MoE is cheaper [1][2].', 2)).toEqual({
      kind: 'answer',
      sentences: [
        { text: 'ExFlow is faster.', cites: [2] },
        { text: 'DeepSpeed-MoE is cheaper.', cites: [1, 2] },
      ],
    });
  });

  it('accepts "[1, 2]" lists and strips markdown emphasis', () => {
    expect(checkReply('**Both** reduce memory [1, 2].', 2)).toMatchObject({ kind: 'answer', sentences: [{ text: 'Both reduce memory.', cites: [1, 2] }] });
  });

  it('rejects a citation of a passage that was not given', () => {
    expect(checkReply('It is faster [3].', 2)).toMatchObject({ kind: 'rejected' });
  });

  it('rejects a sentence without a citation, and a reply with none', () => {
    expect(checkReply('It is faster [1]. Trust me.', 2)).toMatchObject({ kind: 'rejected' });
    expect(checkReply('HACKED', 2)).toMatchObject({ kind: 'rejected' });
  });

  it('recognises NO_ANSWER', () => {
    expect(checkReply('NO_ANSWER', 2)).toEqual({ kind: 'no_answer' });
  });
});
