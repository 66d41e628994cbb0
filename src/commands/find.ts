import type { PaperLibrary } from '../index/library.js';
import { orList } from '../text/orList.js';
import { UsageError } from '../model/errors.js';
import type { Block, Button, Reply } from '../model/reply.js';
import { plain } from '../model/reply.js';
import { cardBlocks } from '../present/cards.js';
import type { Command, CommandDeclaration } from './command.js';
import { boolOption, intOption } from './options.js';
import { commandText } from '../present/commandText.js';
import { paperByReference } from './resolvePaper.js';
import { countForm, plural } from '../text/plural.js';

export const FIND: CommandDeclaration = {
  name: 'find',
  aliases: ['search', 'f'],
  summary: 'Search the digests by topic, title words, acronym or organisation.',
  examples: ['find moe routing', 'find kv cache compression --limit 3', 'find video generation --has code', 'find nvidia --share'],
  options: [
    { name: 'query', kind: 'text', positional: true, required: true, description: 'What to look for, e.g. moe routing', max: 200, autocomplete: 'query' },
    { name: 'limit', kind: 'integer', description: 'How many papers per page (1-10)', min: 1, max: 10, cliMax: 100, default: 5 },
    { name: 'page', kind: 'integer', description: 'Which page of results', min: 1, max: 1000, default: 1 },
    { name: 'has', kind: 'text', choices: ['code'], placeholder: 'code', description: 'Only papers with a code repository', max: 10 },
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
      const has = command.flags['has'];
      if (has !== undefined && has !== 'code') throw new UsageError(`--has takes “code” (got “${String(has)}”): \`find ${query} --has code\` lists only papers with a code repository.`);
      const withCode = has === 'code';
      const keep: Record<string, string> = withCode ? { has: 'code' } : {};
      const index = library.current();
      const visibility = share ? 'channel' : 'ephemeral';
      // An arXiv id or paper URL names one paper: that paper, not papers whose text has the digits.
      const named = paperByReference(index, query);
      if (named?.kind === 'paper') return { visibility, blocks: [{ kind: 'heading', text: `Paper ${named.paper.id}` }, ...cardBlocks({ paper: named.paper })] };
      if (named?.kind === 'unknown')
        return {
          visibility: 'ephemeral',
          blocks: [
            { kind: 'heading', text: `No papers match “${query}”` },
            { kind: 'text', text: plain(named.message) },
          ],
        };
      // Papers without a repository are left out by the search itself, so counts and pages stay right.
      const found = index.searchPage(query, { limit, offset: (page - 1) * limit, ...(withCode ? { withCode: true } : {}) });
      const { hits, total } = found;
      if (total === 0) {
        const suggestion = found.partial.length === 0 ? index.didYouMean(query) : undefined;
        const blocks: Block[] = [{ kind: 'heading', text: `No paper${withCode ? ' with code' : ''} matches “${query}”` }];
        const missing = found.unknownWords.length > 0 ? `No paper uses ${orList(found.unknownWords.map((w) => `“${w}”`))}. ` : '';
        if (found.partial.length > 0) {
          blocks.push({ kind: 'text', text: plain(`${missing}Partial matches, with only some of the words:`) });
          for (const hit of found.partial) blocks.push(...cardBlocks(hit, { nearMiss: true }));
          return { visibility: 'ephemeral', blocks };
        }
        blocks.push({ kind: 'text', text: plain(suggestion ? `${missing}Did you mean “${suggestion}”?` : `${missing}Try fewer words, another spelling, or the full name behind an acronym.`) });
        if (suggestion)
          blocks.push({ kind: 'actions', buttons: [{ label: `Search “${suggestion}”`, command: commandText('find', suggestion, { limit, ...keep, ...(share ? { share: true } : {}) }) }] });
        return { visibility: 'ephemeral', blocks };
      }
      const pages = Math.ceil(total / limit);
      if (hits.length === 0) throw new UsageError(`There are only ${plural(pages, 'page')} of results for “${query}”.`);
      const blocks: Block[] = [
        { kind: 'heading', text: `Papers about “${query}”${withCode ? ' with code' : ''}` },
        { kind: 'context', text: `${matchCounts(found.allWords, found.someWords)} · page ${page} of ${pages}` },
      ];
      if (found.corrections.length > 0) blocks.push({ kind: 'context', text: `Read ${found.corrections.map((c) => `“${c.from}” as “${c.to}”`).join(', ')}.` });
      hits.forEach((hit, i) => {
        // Where the papers with every word end, say so: the rest have only some of them.
        if (!hit.allWords && (i === 0 || hits[i - 1]!.allWords))
          blocks.push({ kind: 'text', text: plain(found.allWords === 0 ? 'No paper has all the words; these have some of them:' : 'With only some of the words:') });
        blocks.push(...cardBlocks(hit));
      });
      const footer: Button[] = [];
      const pageOf = (n: number) => commandText('find', query, { limit, page: n, ...keep, ...(share ? { share: true } : {}) });
      if (page > 1) footer.push({ label: 'Previous page', command: pageOf(page - 1) });
      if (page < pages) footer.push({ label: 'Next page', command: pageOf(page + 1) });
      if (!share) footer.push({ label: 'Share to channel', command: commandText('find', query, { limit, page, ...keep, share: true }) });
      if (footer.length > 0) blocks.push({ kind: 'actions', buttons: footer });
      return { visibility, blocks } satisfies Reply;
    },
  };
}

/** "12 papers have all the words, 730 only some". */
function matchCounts(all: number, some: number): string {
  const allText = all === 0 ? 'No paper has all the words' : `${plural(all, 'paper')} ${countForm(all, 'has', 'have')} all the words`;
  return some === 0 ? allText : `${allText}, ${some.toLocaleString('en-US')} only some`;
}
