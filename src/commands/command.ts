import type { Reply } from '../model/reply.js';

/** A command line after parsing: `find moe routing --limit 5` → name, free text, flags. */
export interface ParsedCommand {
  name: string;
  /** Positional text after the command name, flags removed. */
  args: string;
  flags: Readonly<Record<string, string | true>>;
}

/** Who asked, and where: what a command may need to know about the platform, never more. */
export interface CommandContext {
  platform: 'console' | 'cli' | 'discord' | 'slack';
  /** Channel (or DM) the command came from; commands about a channel's settings need it. */
  channelId?: string;
  /** The workspace / guild, where the platform has one. */
  workspaceId?: string;
  userId?: string;
  /** When asked inside a paper's thread, that paper: "it" and "this paper" refer to it. */
  threadPaperId?: string;
  /** Whether the user may change this channel's settings (subscriptions, watches). */
  canManageChannel?: boolean;
}

export interface Command {
  name: string;
  aliases?: readonly string[];
  /** One line: `find <query> [--limit N]`. */
  usage: string;
  summary: string;
  /** Example invocations shown by `help <command>`. */
  examples?: readonly string[];
  run(command: ParsedCommand, context: CommandContext): Promise<Reply> | Reply;
}
