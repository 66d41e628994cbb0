import type { PaperLibrary } from '../index/library.js';
import { UsageError } from '../model/errors.js';
import type { Block, Button, Reply } from '../model/reply.js';
import { plain } from '../model/reply.js';
import { cardBlocks } from './cards.js';
import type { Command, CommandDeclaration } from './command.js';
import { boolOption, intOption } from './options.js';
import { commandText } from './parseCommand.js';
import { paperByReference } from './resolvePaper.js';

export const FIND: CommandDeclaration = {
  name: 'find',
  aliases: ['search', 'f'],
  summary: 'Search the digests by topic, title words, acronym or organisation.',
  examples: ['find moe routing', 'find kv cache compression --limit 3', 'find nvidia --share'],
  options: [
    { name: 'query', kind: 'text', positional: true, required: true, description: 'What to look for, e.g. moe routing', max: 200, autocomplete: 'query' },
    { name: 'limit', kind: 'integer', description: 'How many papers per page (1-10)', min: 1, max: 10, default: 5 },
    { name: 'page', kind: 'integer', description: 'Which page of results', min: 1, max: 1000, default: 1 },
    { name: 'share', kind: 'boolean', description: 'Post the results for the whole channel' },
  ],
  visibility: 'ephemeral',
};

export function findCommand(library: PaperLibrary): Command {
  return {
    ...FIND,
    run(command) {
      const query = command.args.trim();
      const limit = intOption(command, 'limit');
      const page = intOption(command, 'page');
      const share = boolOption(command, 'share');
      const index = library.current();
      const visibility = share ? 'channel' : 'ephemeral';
      // An arXiv id or paper URL names one paper: that paper, not papers whose text has the digits.
      const named = paperByReference(index, query);
      if (named?.kind === 'paper') return { visibility, blocks: [{ kind: 'heading', text: `Paper ${named.paper.id}` }, ...cardBlocks({ paper: named.paper })] };
      if (named?.kind === 'unknown') return { visibility: 'ephemeral', blocks: [{ kind: 'heading', text: `No papers match “${query}”` }, { kind: 'text', text: plain(named.message) }] };
      const { hits, total } = index.searchPage(query, { limit, offset: (page - 1) * limit });
      if (total === 0) {
        const suggestion = index.didYouMean(query);
        const blocks: Block[] = [{ kind: 'heading', text: `No papers match “${query}”` }];
        blocks.push({ kind: 'text', text: plain(suggestion ? `Did you mean “${suggestion}”?` : 'Try fewer words, another spelling, or the full name behind an acronym.') });
        if (suggestion) blocks.push({ kind: 'actions', buttons: [{ label: `Search “${suggestion}”`, command: commandText('find', suggestion, { limit, ...(share ? { share: true } : {}) }) }] });
        return { visibility: 'ephemeral', blocks };
      }
      const pages = Math.ceil(total / limit);
      if (hits.length === 0) throw new UsageError(`There are only ${pages} page${pages === 1 ? '' : 's'} of results for “${query}”.`);
      const blocks: Block[] = [
        { kind: 'heading', text: `Papers about “${query}”` },
        { kind: 'context', text: `${total} match${total === 1 ? '' : 'es'} · page ${page} of ${pages}` },
      ];
      for (const hit of hits) blocks.push(...cardBlocks(hit));
      const footer: Button[] = [];
      const pageOf = (n: number) => commandText('find', query, { limit, page: n, ...(share ? { share: true } : {}) });
      if (page > 1) footer.push({ label: 'Previous page', command: pageOf(page - 1) });
      if (page < pages) footer.push({ label: 'Next page', command: pageOf(page + 1) });
      if (!share) footer.push({ label: 'Share to channel', command: commandText('find', query, { limit, page, share: true }) });
      if (footer.length > 0) blocks.push({ kind: 'actions', buttons: footer });
      return { visibility, blocks } satisfies Reply;
    },
  };
}
