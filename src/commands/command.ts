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
  /** The member's display name, where the platform gives one (a channel's reading list shows it). */
  userName?: string;
  /** When asked inside a paper's thread, that paper: "it" and "this paper" refer to it. */
  threadPaperId?: string;
  /** Whether the user may change this channel's settings (subscriptions, watches). */
  canManageChannel?: boolean;
}

export type Platform = CommandContext['platform'];

/**
 * One option of a command, declared once: the console and Slack parse it as free text or a
 * `--flag`, Discord registers it as a typed slash-command option, and help prints it.
 */
export interface OptionDeclaration {
  name: string;
  kind: 'text' | 'integer' | 'boolean';
  /** One short line (Discord shows at most 100 characters). */
  description: string;
  /** Part of the free text after the command name rather than a `--flag`; on Discord its own option. */
  positional?: boolean;
  /** How usage shows a positional value, e.g. `query`, `HH:MM`. */
  placeholder?: string;
  required?: boolean;
  /** An integer's bounds; `max` is a text's maximum length. */
  min?: number;
  max?: number;
  /** An integer's bound in the CLI when it may go above `max` (chat messages have a size limit, a terminal none). */
  cliMax?: number;
  /** An integer's value when it is left out. */
  default?: number;
  /** The only values a text option takes; the first is the default. */
  choices?: readonly string[];
  /** Discord completes this option while it is typed: a paper (id), or a search query. */
  autocomplete?: 'paper' | 'query';
}

/** What every surface needs to know about a command before running it. */
export interface CommandDeclaration {
  name: string;
  aliases?: readonly string[];
  summary: string;
  /** Example invocations in console syntax; help shows them in each platform's own. */
  examples?: readonly string[];
  options: readonly OptionDeclaration[];
  /**
   * Who sees the reply: a Discord deferral must pick this before the reply exists. A command
   * with a `share` option answers the channel when it is set.
   */
  visibility: 'ephemeral' | 'channel';
  /** A button for it answers in a message of its own, never replacing the message the button is on (Save). */
  answersAside?: boolean;
  /** Changes channel settings: only then do adapters work out whether the user may (Slack asks `users.info`). */
  managesChannel?: boolean | ((command: ParsedCommand) => boolean);
}

export interface Command extends CommandDeclaration {
  run(command: ParsedCommand, context: CommandContext): Promise<Reply> | Reply;
}
