import { describe, expect, it } from 'vitest';
import { Paper } from '../../src/model/paper.js';
import { cardFacts, FACT_SEPARATOR, paperCard } from '../../src/present/cards.js';
import { renderReply } from '../../src/render/text.js';

const paper = (over: Partial<Paper> = {}): Paper =>
  Paper.parse({ id: '2405.14906', arxivId: '2405.14906', title: 'A Paper', abstract: 'We route experts sparsely.', authors: [], upvotes: 12, digests: [], ...over });

describe('card facts line', () => {
  it('is id · date · ▲ upvotes · byline, in that order', () => {
    const facts = cardFacts(paperCard(paper({ published: '2024-05-23', organization: { handle: 'nvidia', name: 'NVIDIA' } })));
    expect(facts.map((f) => f.kind)).toEqual(['id', 'published', 'upvotes', 'byline']);
    expect(facts.map((f) => f.text).join(FACT_SEPARATOR)).toBe('2405.14906 · 2024-05-23 · ▲ 12 · NVIDIA');
  });

  it('leaves out what the digest does not say, and keeps the upvotes even at 0', () => {
    const facts = cardFacts(paperCard(paper({ upvotes: 0 })));
    expect(facts).toEqual([
      { kind: 'id', text: '2405.14906' },
      { kind: 'upvotes', text: '▲ 0' },
    ]);
  });

  it('a byline from an author count reads as a count with its noun', () => {
    expect(cardFacts(paperCard(paper({ authorCount: 1 }))).at(-1)).toEqual({ kind: 'byline', text: '1 author' });
    expect(cardFacts(paperCard(paper({ authorCount: 6 }))).at(-1)).toEqual({ kind: 'byline', text: '6 authors' });
  });

  it('is the line the text renderer prints under the title', () => {
    const card = paperCard(paper({ published: '2024-05-23', authorCount: 3 }));
    const lines = renderReply({ visibility: 'ephemeral', blocks: [{ kind: 'paper', card }] }).text.split('\n');
    expect(lines[1]).toBe('1. A Paper');
    expect(lines[2]).toBe('   2405.14906 · 2024-05-23 · ▲ 12 · 3 authors');
  });
});
