import type { PaperLibrary } from '../index/library.js';
import type { Block } from '../model/reply.js';
import { plain } from '../model/reply.js';
import { paperButtons, paperCard } from '../present/cards.js';
import type { Command, CommandDeclaration } from './command.js';
import { PAPER_OPTION, usageText } from './options.js';
import { resolvePaper } from './resolvePaper.js';
import { humanDate } from '../time/days.js';

/** Authors named in full; a long list ends "and N more". */
const MAX_AUTHORS = 10;

export const SHOW: CommandDeclaration = {
  name: 'show',
  aliases: ['paper', 'get'],
  summary: 'One paper in full: abstract, authors, links and the digests it appeared in.',
  examples: ['show t-91e2b2567c', 'show kinetics test-time scaling'],
  options: [{ ...PAPER_OPTION, required: true }],
  visibility: 'ephemeral',
};

export function showCommand(library: PaperLibrary): Command {
  return {
    ...SHOW,
    run(command, context) {
      const paper = resolvePaper(library.current(), command.args, usageText(SHOW, context.platform));
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
