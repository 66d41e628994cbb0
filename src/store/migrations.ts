import type { Database } from 'better-sqlite3';
import { StoreError } from './storeErrors.js';

/**
 * Schema versions, applied in order; `PRAGMA user_version` records the last one applied.
 * Never edit a released step: add a new one, so every existing file upgrades the same way.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE subscriptions (
    platform      TEXT NOT NULL,
    workspace_id  TEXT NOT NULL,
    channel_id    TEXT NOT NULL,
    post_time     TEXT NOT NULL,
    timezone      TEXT NOT NULL,
    top_n         INTEGER NOT NULL,
    subscribed_by TEXT,
    created_at    TEXT NOT NULL,
    -- Slots before this instant are never due: a new or changed subscription does not post for the past.
    schedule_from TEXT NOT NULL,
    PRIMARY KEY (platform, workspace_id, channel_id)
  );
  CREATE TABLE watches (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    platform     TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    channel_id   TEXT NOT NULL,
    query        TEXT NOT NULL,
    query_key    TEXT NOT NULL,
    created_by   TEXT,
    created_at   TEXT NOT NULL,
    UNIQUE (platform, workspace_id, channel_id, query_key)
  );
  CREATE TABLE paused_channels (
    platform     TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    channel_id   TEXT NOT NULL,
    paused_at    TEXT NOT NULL,
    reason       TEXT NOT NULL,
    PRIMARY KEY (platform, workspace_id, channel_id)
  );
  -- One row per channel, kind and local day: inserting it is the claim to send that day's post.
  CREATE TABLE post_ledger (
    platform     TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    channel_id   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    day          TEXT NOT NULL,
    digest_date  TEXT,
    status       TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'retry', 'failed', 'unconfirmed', 'empty')),
    late         INTEGER NOT NULL DEFAULT 0,
    attempts     INTEGER NOT NULL DEFAULT 0,
    claimed_by   TEXT,
    claimed_at   TEXT,
    retry_at     TEXT,
    sent_at      TEXT,
    message_id   TEXT,
    error        TEXT,
    PRIMARY KEY (platform, workspace_id, channel_id, kind, day)
  );
  -- Digest days already looked at for alerts, so a restart never alerts the same digest twice.
  CREATE TABLE ingested_digests (
    date        TEXT PRIMARY KEY,
    ingested_at TEXT NOT NULL
  );
  CREATE TABLE alerts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    platform     TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    channel_id   TEXT NOT NULL,
    query        TEXT NOT NULL,
    paper_ids    TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'claimed', 'sent', 'retry', 'failed', 'unconfirmed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    claimed_by   TEXT,
    claimed_at   TEXT,
    retry_at     TEXT,
    sent_at      TEXT,
    message_id   TEXT,
    error        TEXT
  );
  CREATE INDEX alerts_open ON alerts (status) WHERE status IN ('pending', 'retry', 'claimed');
  -- A paper is alerted to a channel once, ever: the primary key is the guarantee.
  CREATE TABLE alert_ledger (
    platform     TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    channel_id   TEXT NOT NULL,
    paper_id     TEXT NOT NULL,
    alert_id     INTEGER NOT NULL REFERENCES alerts (id),
    PRIMARY KEY (platform, workspace_id, channel_id, paper_id)
  );
  `,
  `
  -- Keyed posts: the key goes with the message, so after a crash or an ambiguous failure the
  -- channel can be asked whether the post is there before anything is sent again. The payload is
  -- the post as first built, so a resend or a thread completed later shows the same papers.
  ALTER TABLE post_ledger ADD COLUMN post_key TEXT;
  ALTER TABLE post_ledger ADD COLUMN payload TEXT;
  ALTER TABLE post_ledger ADD COLUMN due_at TEXT;
  ALTER TABLE post_ledger ADD COLUMN first_claimed_at TEXT;
  ALTER TABLE post_ledger ADD COLUMN thread_status TEXT CHECK (thread_status IN ('pending', 'done', 'failed'));
  ALTER TABLE post_ledger ADD COLUMN thread_attempts INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE post_ledger ADD COLUMN thread_claimed_by TEXT;
  ALTER TABLE post_ledger ADD COLUMN thread_claimed_at TEXT;
  ALTER TABLE post_ledger ADD COLUMN thread_retry_at TEXT;
  ALTER TABLE post_ledger ADD COLUMN thread_error TEXT;
  CREATE INDEX post_ledger_open ON post_ledger (status) WHERE status IN ('claimed', 'retry', 'unconfirmed');
  CREATE INDEX post_ledger_threads ON post_ledger (thread_status) WHERE thread_status = 'pending';
  ALTER TABLE alerts ADD COLUMN post_key TEXT;
  ALTER TABLE alerts ADD COLUMN reply TEXT;
  DROP INDEX alerts_open;
  CREATE INDEX alerts_open ON alerts (status) WHERE status IN ('pending', 'retry', 'claimed', 'unconfirmed');
  -- Every identity (arXiv id without version, other id, normalised title) of every paper the
  -- library has held: a paper is new, and may alert, only when none of its identities is here.
  CREATE TABLE known_papers (
    identity      TEXT PRIMARY KEY,
    paper_id      TEXT NOT NULL,
    first_seen_at TEXT NOT NULL
  ) WITHOUT ROWID;
  -- Set once the first library has been recorded as known (the baseline: no alerts for it).
  CREATE TABLE library_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  `
  -- Reading lists: a member's own (list_kind 'user', owner = the user id, kept per workspace so it
  -- follows them across channels) and a channel's (list_kind 'channel', owner = the channel id).
  -- The paper's bibliographic record is kept with the save, so an export never needs the index
  -- and a paper that leaves the digests stays on the list.
  CREATE TABLE saved_papers (
    platform     TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    list_kind    TEXT NOT NULL CHECK (list_kind IN ('user', 'channel')),
    owner        TEXT NOT NULL,
    paper_id     TEXT NOT NULL,
    record       TEXT NOT NULL,
    saved_by     TEXT,
    -- The member's display name when the platform gave one: a channel's list says who saved what.
    saved_by_name TEXT,
    saved_at     TEXT NOT NULL,
    PRIMARY KEY (platform, workspace_id, list_kind, owner, paper_id)
  );
  CREATE INDEX saved_papers_order ON saved_papers (platform, workspace_id, list_kind, owner, saved_at);
  `,
  `
  -- The papers each bot message carried (a daily post, its thread replies, an alert), so a
  -- reaction on it, however old, counts for those papers. message_id is the platform's id
  -- (Discord message id, Slack ts); channel_id the channel the post was for.
  CREATE TABLE posted_papers (
    platform     TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    channel_id   TEXT NOT NULL,
    message_id   TEXT NOT NULL,
    paper_id     TEXT NOT NULL,
    title        TEXT NOT NULL,
    posted_at    TEXT NOT NULL,
    PRIMARY KEY (platform, workspace_id, message_id, channel_id, paper_id)
  ) WITHOUT ROWID;
  -- The channel's taste: one row per member, paper and kind, so the same reaction twice counts once.
  CREATE TABLE signals (
    platform     TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    channel_id   TEXT NOT NULL,
    paper_id     TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('like', 'dislike', 'save')),
    title        TEXT NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (platform, workspace_id, channel_id, paper_id, user_id, kind)
  ) WITHOUT ROWID;
  -- Whether the channel's daily post ends with picks ranked by its signals.
  ALTER TABLE subscriptions ADD COLUMN for_channel INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- Never the same paper twice: every identity (see known_papers) of every paper a channel got in
  -- full, with the message that carried it, so a paper coming back is a link to that message.
  -- scope 'posts' covers daily posts and alerts; 'weekly' the weekly digest's best papers.
  CREATE TABLE delivered_papers (
    platform     TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    channel_id   TEXT NOT NULL,
    scope        TEXT NOT NULL CHECK (scope IN ('posts', 'weekly')),
    identity     TEXT NOT NULL,
    paper_id     TEXT NOT NULL,
    title        TEXT NOT NULL,
    has_arxiv    INTEGER NOT NULL,
    post_key     TEXT NOT NULL,
    message_id   TEXT NOT NULL,
    -- The day the post was for, as the channel saw it; the console shows it instead of a link.
    day          TEXT NOT NULL,
    -- Filled the first time a later post links here (Slack asks chat.getPermalink once).
    link         TEXT,
    delivered_at TEXT NOT NULL,
    PRIMARY KEY (platform, workspace_id, channel_id, scope, identity)
  ) WITHOUT ROWID;
  -- Near-title lookups read only the titles of about the same length.
  CREATE INDEX delivered_titles ON delivered_papers (platform, workspace_id, channel_id, scope, length(identity))
    WHERE identity >= 'title:' AND identity < 'title;';
  -- A channel's weekly digest, apart from its daily post (a channel may have both).
  CREATE TABLE weekly_subscriptions (
    platform      TEXT NOT NULL,
    workspace_id  TEXT NOT NULL,
    channel_id    TEXT NOT NULL,
    -- ISO weekday: 1 = Monday … 7 = Sunday.
    weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    post_time     TEXT NOT NULL,
    timezone      TEXT NOT NULL,
    top_n         INTEGER NOT NULL,
    subscribed_by TEXT,
    created_at    TEXT NOT NULL,
    schedule_from TEXT NOT NULL,
    PRIMARY KEY (platform, workspace_id, channel_id)
  );
  -- Each paper's upvotes as the library showed them on each day it was observed, for the weekly
  -- digest's late bloomers. Kept for a bounded number of days.
  CREATE TABLE paper_upvotes (
    identity     TEXT NOT NULL,
    observed_day TEXT NOT NULL,
    upvotes      INTEGER NOT NULL,
    PRIMARY KEY (identity, observed_day)
  ) WITHOUT ROWID;
  CREATE INDEX paper_upvotes_day ON paper_upvotes (observed_day);
  `,
];

/** Brings the file up to the latest schema, one transaction per step. */
export function migrate(db: Database, file: string): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new StoreError(
      'newer_schema',
      `The database ${file} has schema version ${current}, newer than this paperbot knows (${MIGRATIONS.length}). Run the newer paperbot, or restore a backup made by this version.`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      // Re-read under the write lock: a second instance starting at the same moment may have migrated.
      if ((db.pragma('user_version', { simple: true }) as number) > version) return;
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
  return MIGRATIONS.length;
}
