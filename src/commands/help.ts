import { UsageError } from '../model/errors.js';
import type { Block } from '../model/reply.js';
import { plain } from '../model/reply.js';
import type { Command, CommandDeclaration } from './command.js';
import { exampleText, usageText } from './options.js';

export const HELP: CommandDeclaration = {
  name: 'help',
  aliases: ['?', 'h'],
  summary: 'What paperbot can do, or the details of one command.',
  examples: ['help find'],
  options: [{ name: 'command', kind: 'text', positional: true, description: 'Details of one command, e.g. find', max: 32 }],
  visibility: 'ephemeral',
};

/** Help written in the asking platform's own syntax: `--limit 3` on the console and Slack, `limit:3` on Discord. */
export function helpCommand(list: () => readonly Command[]): Command {
  return {
    ...HELP,
    run(command, context) {
      const commands = list();
      const platform = context.platform;
      const topic = command.args.trim().toLowerCase();
      if (topic) {
        const c = commands.find((x) => x.name === topic || x.aliases?.includes(topic));
        if (!c) throw new UsageError(`There is no command “${topic}”. Type \`/paper help\` for the list.`);
        const blocks: Block[] = [
          { kind: 'heading', text: usageText(c, platform) },
          { kind: 'text', text: plain(c.summary) },
        ];
        if (c.examples?.length) blocks.push({ kind: 'context', text: `Examples: ${c.examples.map((e) => exampleText(c, e, platform)).join(' · ')}` });
        return { visibility: 'ephemeral', blocks };
      }
      const find = commands.find((c) => c.name === 'find');
      const example = find ? `Example: ${exampleText(find, 'find moe routing', platform)} · ` : '';
      return {
        visibility: 'ephemeral',
        blocks: [
          { kind: 'heading', text: 'paperbot: search and discuss the research-paper digests' },
          { kind: 'text', text: plain(commands.map((c) => `${usageText(c, platform)}\n    ${c.summary}`).join('\n')) },
          { kind: 'context', text: `${example}Details: ${usageText(HELP, platform).replace(/\[(command:)?<?command>?\]/, '$1<command>')}` },
        ],
      };
    },
  };
}
