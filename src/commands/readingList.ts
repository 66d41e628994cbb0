import type { Clock } from '../clock.js';
import { bibtexFile } from '../export/bibtex.js';
import { markdownFile } from '../export/markdown.js';
import type { PaperLibrary } from '../index/library.js';
import { NotFoundError, UsageError } from '../model/errors.js';
import { savedRecordOf, type SavedPaperRecord } from '../model/savedPaper.js';
import { plain, type Attachment, type Block, type Button, type PaperCard, type Reply } from '../model/reply.js';
import type { ReadingList, SavedPaper } from '../store/savedRepo.js';
import type { Store } from '../store/store.js';
import { paperCard } from '../present/cards.js';
import { channelOf } from './channelAccess.js';
import type { Command, CommandContext, CommandDeclaration, ParsedCommand } from './command.js';
import { boolOption, exampleText, intOption, PAPER_OPTION, usageText } from './options.js';
import { commandText } from '../present/commandText.js';
import { resolvePaper } from './resolvePaper.js';
import { recordSave } from './signals.js';
import { paperLinks } from '../present/links.js';
import { plural } from '../text/plural.js';

export interface ReadingListServices {
  store: Store;
  library: PaperLibrary;
  clock: Clock;
}

const CHANNEL_OPTION = { name: 'channel', kind: 'boolean', description: "This channel's shared list instead of your own" } as const;
const LISTS = ['mine', 'channel'] as const;
const FORMATS = ['bibtex', 'markdown'] as const;
/** Papers a page of `saved` shows. */
const PAGE_SIZE = 5;
/** A list longer than this is a library, not a reading list; it also keeps every export within the platforms' file limits. */
export const MAX_SAVED = 2000;

export const SAVE: CommandDeclaration = {
  name: 'save',
  aliases: ['bookmark'],
  summary: 'Save a paper to your reading list (only you see it), or with --channel to the channel’s.',
  examples: ['save t-91e2b2567c', 'save t-91e2b2567c --channel'],
  options: [{ ...PAPER_OPTION, required: true }, CHANNEL_OPTION],
  visibility: 'ephemeral',
  answersAside: true,
};

export const UNSAVE: CommandDeclaration = {
  name: 'unsave',
  summary: 'Take a paper off your reading list, or with --channel off the channel’s.',
  examples: ['unsave t-91e2b2567c', 'unsave t-91e2b2567c --channel'],
  options: [{ ...PAPER_OPTION, required: true }, CHANNEL_OPTION],
  visibility: 'ephemeral',
  answersAside: true,
};

export const SAVED: CommandDeclaration = {
  name: 'saved',
  aliases: ['reading', 'list'],
  summary: 'Your reading list, or the channel’s, newest first.',
  examples: ['saved', 'saved channel'],
  options: [
    { name: 'list', kind: 'text', positional: true, choices: LISTS, placeholder: 'list', description: 'mine (your own) or channel (this channel’s)' },
    { name: 'page', kind: 'integer', description: 'Which page of the list', min: 1, max: 1000, default: 1 },
  ],
  visibility: 'ephemeral',
};

export const EXPORT: CommandDeclaration = {
  name: 'export',
  summary: 'Your reading list, or the channel’s, as a BibTeX or Markdown file.',
  examples: ['export mine bibtex', 'export channel markdown'],
  options: [
    { name: 'list', kind: 'text', positional: true, choices: LISTS, placeholder: 'list', description: 'mine (your own) or channel (this channel’s)' },
    { name: 'format', kind: 'text', positional: true, choices: FORMATS, placeholder: 'format', description: 'bibtex or markdown' },
  ],
  visibility: 'ephemeral',
  answersAside: true,
};

/** save, unsave, saved and export: reading lists kept in the store, one per member and one per channel. */
export function readingListCommands(services: ReadingListServices): Command[] {
  return [saveCommand(services), unsaveCommand(services), savedCommand(services), exportCommand(services)];
}

type ListKind = (typeof LISTS)[number];

function listOf(kind: ListKind, context: CommandContext): ReadingList {
  if (kind === 'channel') {
    const channel = channelOf(context);
    return { platform: channel.platform, workspaceId: channel.workspaceId, kind: 'channel', owner: channel.channelId };
  }
  if (!context.userId || context.platform === 'cli') throw new UsageError('Reading lists belong to a chat member: save papers from Discord, Slack or the console.');
  return { platform: context.platform, workspaceId: context.workspaceId ?? '', kind: 'user', owner: context.userId };
}

function listName(kind: ListKind): string {
  return kind === 'channel' ? "this channel's reading list" : 'your reading list';
}

function saveCommand({ store, library, clock }: ReadingListServices): Command {
  return {
    ...SAVE,
    run(command, context) {
      const kind: ListKind = boolOption(command, 'channel') ? 'channel' : 'mine';
      const list = listOf(kind, context);
      const paper = resolvePaper(library.current(), command.args, usageText(SAVE, context.platform));
      const size = store.saved.count(list);
      if (size >= MAX_SAVED)
        throw new UsageError(`${capitalized(listName(kind))} already has ${MAX_SAVED} papers. Export it (\`${exampleText(EXPORT, `export ${kind}`, context.platform)}\`) and unsave some first.`);
      const who: { id?: string; name?: string } = {};
      if (context.userId) who.id = context.userId;
      if (context.userName) who.name = context.userName;
      const added = store.saved.save(list, savedRecordOf(paper, paperLinks(paper).primary), who, clock.now());
      recordSave(store, context, paper, true, clock.now());
      const flags: Record<string, true> = kind === 'channel' ? { channel: true } : {};
      const total = added ? size + 1 : size;
      return {
        visibility: 'ephemeral',
        blocks: [
          { kind: 'heading', text: added ? `Saved to ${listName(kind)}: “${paper.title}”` : `Already on ${listName(kind)}: “${paper.title}”` },
          { kind: 'context', text: `${plural(total, 'paper')} on the list.${kind === 'channel' ? ' Everyone here can see it with /paper saved channel.' : ' Only you can see it.'}` },
          {
            kind: 'actions',
            buttons: [
              { label: 'Show the list', command: commandText('saved', kind) },
              { label: 'Undo', command: commandText('unsave', paper.id, flags) },
            ],
          },
        ],
      };
    },
  };
}

function unsaveCommand({ store, library, clock }: ReadingListServices): Command {
  return {
    ...UNSAVE,
    run(command, context) {
      const kind: ListKind = boolOption(command, 'channel') ? 'channel' : 'mine';
      const list = listOf(kind, context);
      const wanted = command.args.trim();
      // The id as saved, or any other form of it the index knows (a version suffix, a URL, a title).
      const known = library.current().get(wanted);
      const saved = store.saved.all(list).find((s) => s.record.id === (known?.id ?? wanted) || s.record.arxivId === wanted);
      if (!saved || !store.saved.unsave(list, saved.record.id)) throw new NotFoundError(`“${wanted}” is not on ${listName(kind)}. /paper saved${kind === 'channel' ? ' channel' : ''} lists it.`);
      recordSave(store, context, saved.record, false, clock.now());
      return { visibility: 'ephemeral', blocks: [{ kind: 'heading', text: `Removed from ${listName(kind)}: “${saved.record.title}”` }] };
    },
  };
}

function savedCommand({ store, library }: ReadingListServices): Command {
  return {
    ...SAVED,
    run(command, context) {
      const kind = command.args as ListKind;
      const list = listOf(kind, context);
      const page = intOption(command, 'page');
      const total = store.saved.count(list);
      if (total === 0) {
        const how = kind === 'channel' ? exampleText(SAVE, 'save t-91e2b2567c --channel', context.platform) : exampleText(SAVE, 'save t-91e2b2567c', context.platform);
        return {
          visibility: 'ephemeral',
          blocks: [
            { kind: 'heading', text: `${capitalized(listName(kind))} is empty` },
            { kind: 'text', text: plain(`Press Save on a paper, or type ${how}.`) },
          ],
        };
      }
      const pages = Math.ceil(total / PAGE_SIZE);
      if (page > pages) throw new UsageError(`${capitalized(listName(kind))} has only ${plural(pages, 'page')}.`);
      const index = library.current();
      const flags: Record<string, true> = kind === 'channel' ? { channel: true } : {};
      const blocks: Block[] = [
        { kind: 'heading', text: `${capitalized(listName(kind))} (${plural(total, 'paper')})` },
        { kind: 'context', text: `Newest first · page ${page} of ${pages}` },
      ];
      for (const saved of store.saved.page(list, PAGE_SIZE, (page - 1) * PAGE_SIZE)) {
        const paper = index.get(saved.record.id);
        blocks.push({ kind: 'paper', card: paper ? paperCard(paper) : recordCard(saved.record) });
        blocks.push({ kind: 'context', text: savedLine(saved, kind) });
        const buttons: Button[] = [{ label: 'Unsave', command: commandText('unsave', saved.record.id, flags) }];
        if (paper) buttons.unshift({ label: 'Summary', command: `summary ${paper.id}`, style: 'primary' });
        blocks.push({ kind: 'actions', buttons });
      }
      const footer: Button[] = [];
      if (page > 1) footer.push({ label: 'Previous page', command: commandText('saved', kind, { page: page - 1 }) });
      if (page < pages) footer.push({ label: 'Next page', command: commandText('saved', kind, { page: page + 1 }) });
      footer.push({ label: 'Export BibTeX', command: commandText('export', `${kind} bibtex`) }, { label: 'Export Markdown', command: commandText('export', `${kind} markdown`) });
      blocks.push({ kind: 'actions', buttons: footer });
      return { visibility: 'ephemeral', blocks };
    },
  };
}

function exportCommand({ store, clock }: ReadingListServices): Command {
  return {
    ...EXPORT,
    run(command, context) {
      const { kind, format } = exportArgs(command, context);
      const list = listOf(kind, context);
      const papers = store.saved.all(list);
      if (papers.length === 0) throw new NotFoundError(`${capitalized(listName(kind))} is empty, so there is nothing to export. Press Save on a paper first.`);
      const day = clock.now().toISOString().slice(0, 10);
      const attachment: Attachment =
        format === 'bibtex'
          ? { name: `paperbot-${kind}-${day}.bib`, mimeType: 'application/x-bibtex', bytes: Buffer.from(bibtexFile(papers.map((p) => p.record)), 'utf8') }
          : {
              name: `paperbot-${kind}-${day}.md`,
              mimeType: 'text/markdown',
              bytes: Buffer.from(markdownFile(`${capitalized(listName(kind))} (${plural(papers.length, 'paper')}, ${day})`, papers), 'utf8'),
            };
      const reply: Reply = {
        visibility: 'ephemeral',
        blocks: [
          { kind: 'heading', text: `${capitalized(listName(kind))}: ${plural(papers.length, 'paper')} as ${format === 'bibtex' ? 'BibTeX' : 'Markdown'}` },
          {
            kind: 'context',
            text:
              format === 'bibtex'
                ? 'Import the file into Zotero, Mendeley or a LaTeX project; each key ends with the paper id, so it stays the same in every export.'
                : 'Paste it into a wiki or notes app (Notion imports Markdown files).',
          },
        ],
        attachment,
      };
      return reply;
    },
  };
}

/** `mine bibtex`, `bibtex`, `channel`: the words in any order, each optional. */
function exportArgs(command: ParsedCommand, context: CommandContext): { kind: ListKind; format: (typeof FORMATS)[number] } {
  let kind: ListKind = 'mine';
  let format: (typeof FORMATS)[number] = 'bibtex';
  for (const word of command.args.toLowerCase().split(/\s+/).filter(Boolean)) {
    const alias = word === 'bib' ? 'bibtex' : word === 'md' ? 'markdown' : word;
    if ((LISTS as readonly string[]).includes(alias)) kind = alias as ListKind;
    else if ((FORMATS as readonly string[]).includes(alias)) format = alias as (typeof FORMATS)[number];
    else throw new UsageError(`/paper export takes mine or channel, and bibtex or markdown (got “${word}”). Usage: \`${usageText(EXPORT, context.platform)}\`.`);
  }
  return { kind, format };
}

function recordCard(record: SavedPaperRecord): PaperCard {
  const card: PaperCard = {
    id: record.id,
    title: record.title,
    links: { primary: record.url ?? `https://huggingface.co/papers?q=${encodeURIComponent(record.title)}` },
    upvotes: 0,
    snippet: plain('(no longer in the loaded digests)'),
  };
  if (record.published) card.published = record.published;
  return card;
}

function savedLine(saved: SavedPaper, kind: ListKind): string {
  const when = saved.savedAt.toISOString().slice(0, 10);
  return kind === 'channel' && saved.savedBy ? `Saved by ${saved.savedBy} on ${when}` : `Saved on ${when}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
