import type { PaperLibrary } from '../index/library.js';
import type { Block } from '../model/reply.js';
import { plain } from '../model/reply.js';
import { humanDate, paperButtons, paperCard } from './cards.js';
import type { Command } from './command.js';
import { resolvePaper } from './resolvePaper.js';

const USAGE = 'show <id or title words>';
/** Authors named in full; a long list ends "and N more". */
const MAX_AUTHORS = 10;

export function showCommand(library: PaperLibrary): Command {
  return {
    name: 'show',
    aliases: ['paper', 'get'],
    usage: USAGE,
    summary: 'One paper in full: abstract, authors, links and the digests it appeared in.',
    examples: ['show t-91e2b2567c', 'show kinetics test-time scaling'],
    run(command) {
      const paper = resolvePaper(library.current(), command.args, USAGE);
      const card = paperCard(paper, plain(paper.abstract || '(no abstract in the digest)'));
      const blocks: Block[] = [{ kind: 'paper', card }];
      const facts: string[] = [];
      if (paper.authors.length > 0) facts.push(`Authors: ${authorList(paper.authors)}`);
      if (paper.digests.length > 0) facts.push(`In digests: ${paper.digests.map((d) => `${humanDate(d.date)} (#${d.rank})`).join(', ')}`);
      if (paper.publishedYearInferred) facts.push('Published year inferred from the digest date.');
      if (paper.githubRepo) facts.push(`Code: ${paper.githubRepo}`);
      if (facts.length > 0) blocks.push({ kind: 'context', text: facts.join('\n') });
      blocks.push({ kind: 'actions', buttons: paperButtons(paper) });
      return { visibility: 'ephemeral', blocks };
    },
  };
}

function authorList(authors: readonly string[]): string {
  const named = authors.slice(0, MAX_AUTHORS).join(', ');
  return authors.length > MAX_AUTHORS ? `${named} and ${authors.length - MAX_AUTHORS} more` : named;
}
