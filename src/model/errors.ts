/**
 * Typed errors with a message a user can act on. Adapters show `userMessage` and log the rest;
 * a stack trace never reaches a chat.
 */
export class PaperbotError extends Error {
  constructor(
    readonly code: string,
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
    this.name = new.target.name;
  }
}

/** The user typed something the command cannot run: the message shows the usage. */
export class UsageError extends PaperbotError {
  constructor(userMessage: string) {
    super('usage', userMessage);
  }
}

export class NotFoundError extends PaperbotError {
  constructor(userMessage: string) {
    super('not_found', userMessage);
  }
}

export class IndexNotReadyError extends PaperbotError {
  constructor() {
    super('index_not_ready', 'The paper index is still loading. Try again in a few seconds.');
  }
}

/** Invalid configuration: one message listing every bad variable. */
export class ConfigError extends PaperbotError {
  constructor(userMessage: string) {
    super('config', userMessage);
  }
}

/** A user may not change this channel's settings. */
export class PermissionError extends PaperbotError {
  constructor(userMessage: string) {
    super('permission', userMessage);
  }
}
