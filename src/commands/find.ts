import type { PaperLibrary } from '../index/library.js';
import { UsageError } from '../model/errors.js';
import type { Block, Button, Reply } from '../model/reply.js';
import { plain } from '../model/reply.js';
import { cardBlocks } from './cards.js';
import type { Command } from './command.js';
import { intFlag } from './options.js';
import { commandText } from './parseCommand.js';

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
      const found = index.searchPage(query, { limit, offset: (page - 1) * limit });
      const { hits, total } = found;
      const visibility = share ? 'channel' : 'ephemeral';
      if (total === 0) {
        const suggestion = found.partial.length === 0 ? index.didYouMean(query) : undefined;
        const blocks: Block[] = [{ kind: 'heading', text: `No paper matches “${query}”` }];
        const missing = found.unknownWords.length > 0 ? `No paper uses ${quoteList(found.unknownWords)}. ` : '';
        if (found.partial.length > 0) {
          blocks.push({ kind: 'text', text: plain(`${missing}Partial matches, with only some of the words:`) });
          for (const hit of found.partial) blocks.push(...cardBlocks(hit));
          return { visibility: 'ephemeral', blocks };
        }
        blocks.push({ kind: 'text', text: plain(suggestion ? `${missing}Did you mean “${suggestion}”?` : `${missing}Try fewer words, another spelling, or the full name behind an acronym.`) });
        if (suggestion) blocks.push({ kind: 'actions', buttons: [{ label: `Search “${suggestion}”`, command: commandText('find', suggestion) }] });
        return { visibility: 'ephemeral', blocks };
      }
      const pages = Math.ceil(total / limit);
      if (hits.length === 0) throw new UsageError(`There are only ${pages} page${pages === 1 ? '' : 's'} of results for “${query}”.`);
      const blocks: Block[] = [
        { kind: 'heading', text: `Papers about “${query}”` },
        { kind: 'context', text: `${matchCounts(found.allWords, found.someWords)} · page ${page} of ${pages}` },
      ];
      if (found.corrections.length > 0) blocks.push({ kind: 'context', text: `Read ${found.corrections.map((c) => `“${c.from}” as “${c.to}”`).join(', ')}.` });
      hits.forEach((hit, i) => {
        // Where the papers with every word end, say so: the rest have only some of them.
        if (!hit.allWords && (i === 0 || hits[i - 1]!.allWords)) blocks.push({ kind: 'text', text: plain(found.allWords === 0 ? 'No paper has all the words; these have some of them:' : 'With only some of the words:') });
        blocks.push(...cardBlocks(hit));
      });
      const footer: Button[] = [];
      if (page < pages) footer.push({ label: 'Next page', command: commandText('find', query, { limit, page: page + 1, ...(share ? { share: true } : {}) }) });
      if (!share) footer.push({ label: 'Share to channel', command: commandText('find', query, { limit, page, share: true }) });
      if (footer.length > 0) blocks.push({ kind: 'actions', buttons: footer });
      return { visibility, blocks } satisfies Reply;
    },
  };
}

/** "12 papers have all the words, 730 only some". */
function matchCounts(all: number, some: number): string {
  const papers = (n: number) => `${n} paper${n === 1 ? '' : 's'}`;
  const allText = all === 0 ? 'No paper has all the words' : `${papers(all)} ${all === 1 ? 'has' : 'have'} all the words`;
  return some === 0 ? allText : `${allText}, ${some} only some`;
}

/** “banana”, “bread” and “cake”. */
function quoteList(words: readonly string[]): string {
  const quoted = words.map((w) => `“${w}”`);
  return quoted.length === 1 ? quoted[0]! : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}
