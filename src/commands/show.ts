import type { PaperLibrary } from '../index/library.js';
import type { Block } from '../model/reply.js';
import { plain } from '../model/reply.js';
import { humanDate, paperButtons, paperCard } from './cards.js';
import type { Command, CommandDeclaration } from './command.js';
import { PAPER_OPTION, usageText } from './options.js';
import { resolvePaper } from './resolvePaper.js';

export const SHOW: CommandDeclaration = {
  name: 'show',
  aliases: ['paper', 'get'],
  summary: 'One paper in full: abstract, authors, links and the digests it appeared in.',
  examples: ['show 2511.05271', 'show kinetics test-time scaling'],
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
      if (paper.authors.length > 0) facts.push(`Authors: ${paper.authors.join(', ')}`);
      if (paper.digests.length > 0) facts.push(`In digests: ${paper.digests.map((d) => `${humanDate(d.date)} (#${d.rank})`).join(', ')}`);
      if (paper.publishedYearInferred) facts.push('Published year inferred from the digest date.');
      if (paper.githubRepo) facts.push(`Code: ${paper.githubRepo}`);
      if (facts.length > 0) blocks.push({ kind: 'context', text: facts.join('\n') });
      blocks.push({ kind: 'actions', buttons: paperButtons(paper) });
      return { visibility: 'ephemeral', blocks };
    },
  };
}
