import type { Logger } from 'pino';
import { PaperbotError, UsageError } from '../model/errors.js';
import type { Reply } from '../model/reply.js';
import { plain } from '../model/reply.js';
import type { Command, CommandContext, ParsedCommand, Platform } from './command.js';
import { helpCommand } from './help.js';
import { checkOptions, managesChannel, visibilityOf } from './options.js';
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
    this.commands.push(
      ...commands,
      helpCommand(() => this.commands),
    );
  }

  list(): readonly Command[] {
    return this.commands;
  }

  find(name: string): Command | undefined {
    const n = name.toLowerCase();
    return this.commands.find((c) => c.name === n || c.aliases?.includes(n));
  }

  /**
   * Command text as this platform's user typed it, bound to the command's declared options
   * (bounds checked, defaults filled). Throws a UsageError a user can act on.
   */
  parse(input: string | ParsedCommand, platform: Platform): ParsedCommand {
    const command = typeof input === 'string' ? parseCommandText(input, (name) => this.find(name), platform) : input;
    const target = command.name === '' ? this.find('help')! : this.find(command.name);
    if (!target) throw new UsageError(unknownCommandMessage(command.name, this.commands));
    return checkOptions(command, target, platform);
  }

  /** Who will see the reply to a parsed command: what a deferral must choose up front. */
  visibility(command: ParsedCommand): 'ephemeral' | 'channel' {
    const target = this.find(command.name);
    return target ? visibilityOf(target, command) : 'ephemeral';
  }

  /** Whether the command changes channel settings, so the adapter must find out if the user may. */
  needsPermission(command: ParsedCommand): boolean {
    const target = this.find(command.name);
    return target ? managesChannel(target, command) : false;
  }

  async handle(input: string | ParsedCommand, context: CommandContext): Promise<Reply> {
    let command: ParsedCommand = typeof input === 'string' ? { name: '', args: input, flags: {} } : input;
    try {
      command = this.parse(input, context.platform);
      return await this.find(command.name)!.run(command, context);
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
