import type { PaperLibrary } from '../index/library.js';
import { UsageError } from '../model/errors.js';
import type { Block, Button, Reply } from '../model/reply.js';
import { plain } from '../model/reply.js';
import { cardBlocks } from './cards.js';
import type { Command } from './command.js';
import { intFlag } from './options.js';
import { commandText } from './parseCommand.js';
import { paperByReference } from './resolvePaper.js';

export const FIND_USAGE = 'find <query> [--limit 1-10] [--page N] [--share]';

export function findCommand(library: PaperLibrary): Command {
  return {
    name: 'find',
    aliases: ['search', 'f'],
    usage: FIND_USAGE,
    summary: 'Search the digests by topic, title words, acronym or organisation.',
    examples: ['find moe routing', 'find kv cache compression --limit 3', 'find nvidia --share'],
    run(command) {
      const query = command.args.trim();
      if (!query) throw new UsageError(`What should I look for? Usage: \`${FIND_USAGE}\`, e.g. \`find moe routing\`.`);
      const limit = intFlag(command, 'limit', 5, 1, 10);
      const page = intFlag(command, 'page', 1, 1, 1000);
      const share = command.flags['share'] === true;
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
        if (suggestion) blocks.push({ kind: 'actions', buttons: [{ label: `Search “${suggestion}”`, command: commandText('find', suggestion) }] });
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
      if (page < pages) footer.push({ label: 'Next page', command: commandText('find', query, { limit, page: page + 1, ...(share ? { share: true } : {}) }) });
      if (!share) footer.push({ label: 'Share to channel', command: commandText('find', query, { limit, page, share: true }) });
      if (footer.length > 0) blocks.push({ kind: 'actions', buttons: footer });
      return { visibility, blocks } satisfies Reply;
    },
  };
}
