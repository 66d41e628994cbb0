import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/answer/answer.js';
import { renderAnswer } from '../../src/answer/render.js';
import type { Paper } from '../../src/model/paper.js';
import { markedToPlain } from '../../src/model/reply.js';

const paper = (i: number): Paper => ({ id: `t-${String(i).padStart(10, '0')}`, title: `Paper ${i}`, abstract: 'A long sentence about the topic. '.repeat(10), authors: [], digests: [], upvotes: 0 });

describe('rendering an answer', () => {
  it('splits a long list into text blocks a chat platform accepts, keeping every line in order', () => {
    const papers = Array.from({ length: 10 }, (_, i) => paper(i + 1));
    const answer: Answer = {
      kind: 'listed',
      heading: 'which papers are about the topic?',
      lines: [{ text: '10 papers match:', cites: [] }, ...papers.map((p, i) => ({ lead: p.title, quote: { text: p.abstract.trim().slice(0, 320), paperId: p.id, offset: 0 }, cites: [i + 1] }))],
      citations: papers,
    };
    const texts = renderAnswer(answer).blocks.flatMap((b) => (b.kind === 'text' ? [markedToPlain(b.text)] : []));
    expect(texts.length).toBeGreaterThan(1);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(2400);
    const lines = texts.join('\n').split('\n');
    expect(lines).toHaveLength(11);
    expect(lines.slice(1).map((l) => /\[(\d+)\]$/.exec(l)?.[1])).toEqual(papers.map((_, i) => String(i + 1)));
  });
});
