import type { Paper } from '../model/paper.js';
import { plain, type Block } from '../model/reply.js';
import { tldr } from '../summary/tldr.js';
import { paperLinks } from './links.js';

/** One paper's TL;DR under a heading: the key sentences of its abstract and where to read it. */
export function tldrBlocks(paper: Paper, heading: string): Block[] {
  const sentences = tldr(paper);
  return [
    { kind: 'heading', text: heading },
    { kind: 'text', text: plain(sentences.length > 0 ? sentences.map((s) => `• ${s.text}`).join('\n') : 'The digest has no abstract for this paper.') },
    { kind: 'context', text: `Sentences quoted from the abstract. Read it: ${paperLinks(paper).primary}` },
  ];
}
