import type { Logger } from 'pino';
import { PaperbotError, UsageError } from '../model/errors.js';
import type { Reply } from '../model/reply.js';
import { plain } from '../model/reply.js';
import type { Command, CommandContext, ParsedCommand } from './command.js';
import { helpCommand } from './help.js';
import { parseCommandText } from './parseCommand.js';
import { editDistance } from '../text/editDistance.js';

/**
 * The one entry point every adapter calls: command text (or a parsed command) in, a neutral
 * reply out. It never throws: user mistakes become a helpful reply, and bugs become an apology
 * in chat and a log line with the stack.
 */
export class CommandRouter {
  private readonly commands: Command[] = [];

  constructor(
    commands: readonly Command[],
    private readonly logger?: Logger,
  ) {
    this.commands.push(...commands, helpCommand(() => this.commands));
  }

  list(): readonly Command[] {
    return this.commands;
  }

  find(name: string): Command | undefined {
    const n = name.toLowerCase();
    return this.commands.find((c) => c.name === n || c.aliases?.includes(n));
  }

  async handle(input: string | ParsedCommand, context: CommandContext): Promise<Reply> {
    const command = typeof input === 'string' ? parseCommandText(input) : input;
    try {
      const target = command.name === '' ? this.find('help')! : this.find(command.name);
      if (!target) throw new UsageError(unknownCommandMessage(command.name, this.commands));
      return await target.run(command, context);
    } catch (err) {
      return this.errorReply(err, command, context);
    }
  }

  private errorReply(err: unknown, command: ParsedCommand, context: CommandContext): Reply {
    if (err instanceof PaperbotError) {
      this.logger?.debug({ code: err.code, command: command.name, platform: context.platform }, err.userMessage);
      return { visibility: 'ephemeral', error: { code: err.code }, blocks: [{ kind: 'text', text: plain(err.userMessage) }] };
    }
    this.logger?.error({ err, command: command.name, args: command.args, platform: context.platform }, 'command failed');
    return {
      visibility: 'ephemeral',
      error: { code: 'internal' },
      blocks: [{ kind: 'text', text: plain('Sorry, something went wrong on my side. The error has been logged; please try again.') }],
    };
  }
}

function unknownCommandMessage(name: string, commands: readonly Command[]): string {
  const names = commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
  const close = names
    .map((n) => ({ n, d: editDistance(n, name) }))
    .filter((x) => x.d <= Math.max(1, Math.floor(name.length / 3)))
    .sort((a, b) => a.d - b.d)[0];
  const suggestion = close ? ` Did you mean \`${commands.find((c) => c.name === close.n || c.aliases?.includes(close.n))!.name}\`?` : '';
  return `Unknown command “${name}”.${suggestion} Commands: ${commands.map((c) => c.name).join(', ')}.`;
}
