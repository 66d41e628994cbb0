/**
 * Every code a user or operator can meet; control flow tests these, never the message text.
 * The store, LLM and delivery codes carry their failure kind (see StoreError, LlmError, DeliveryError).
 */
export type ErrorCode =
  | 'usage'
  | 'cli_usage'
  | 'not_found'
  | 'index_not_ready'
  | 'index_damaged'
  | 'config'
  | 'permission'
  | 'hf_fetch'
  | 'snapshot_missing'
  | 'snapshot_unusable'
  | 'damaged_data'
  | 'index_worker_stopped'
  | 'alert_papers_missing'
  | 'store_corrupt'
  | 'store_locked'
  | 'store_unavailable'
  | 'store_newer_schema'
  | 'llm_timeout'
  | 'llm_http'
  | 'llm_network'
  | 'llm_malformed'
  | 'delivery_gone'
  | 'delivery_forbidden'
  | 'delivery_rate_limited'
  | 'delivery_transient';

/**
 * Typed errors with a message a user can act on. Adapters show `userMessage` and log the rest;
 * a stack trace never reaches a chat.
 */
export class PaperbotError extends Error {
  constructor(
    readonly code: ErrorCode,
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

/** The SQLite index file has a damaged page (a disk fault) where this answer read: the file is being rebuilt from the digests. */
export class IndexDamagedError extends PaperbotError {
  constructor(options?: { cause?: unknown }) {
    super(
      'index_damaged',
      'The search index file on disk is damaged where this answer had to read, so I could not answer it. I am rebuilding the index from the digests now; answers that need that part work again once it is done.',
      options,
    );
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
