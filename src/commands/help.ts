import { UsageError } from '../model/errors.js';
import type { Block } from '../model/reply.js';
import { plain } from '../model/reply.js';
import type { Command } from './command.js';

export function helpCommand(list: () => readonly Command[]): Command {
  return {
    name: 'help',
    aliases: ['?', 'h'],
    usage: 'help [command]',
    summary: 'What paperbot can do, or the details of one command.',
    run(command) {
      const commands = list();
      const topic = command.args.trim().toLowerCase();
      if (topic) {
        const c = commands.find((x) => x.name === topic || x.aliases?.includes(topic));
        if (!c) throw new UsageError(`There is no command “${topic}”. Type \`help\` for the list.`);
        const blocks: Block[] = [
          { kind: 'heading', text: `/paper ${c.usage}` },
          { kind: 'text', text: plain(c.summary) },
        ];
        if (c.examples?.length) blocks.push({ kind: 'context', text: `Examples: ${c.examples.map((e) => `/paper ${e}`).join(' · ')}` });
        return { visibility: 'ephemeral', blocks };
      }
      return {
        visibility: 'ephemeral',
        blocks: [
          { kind: 'heading', text: 'paperbot: search and discuss the research-paper digests' },
          { kind: 'text', text: plain(commands.map((c) => `/paper ${c.usage}\n    ${c.summary}`).join('\n')) },
          { kind: 'context', text: 'Example: /paper find moe routing · Details: /paper help <command>' },
        ],
      };
    },
  };
}
