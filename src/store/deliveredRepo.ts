import type { Database, Statement } from 'better-sqlite3';
import { distance } from 'fastest-levenshtein';
import { CHANNEL_WHERE, channelFromRow, channelParams, type ChannelRow } from './rows.js';
import type { ChannelKey } from './types.js';

/** 'posts': daily posts and alerts share one memory; 'weekly': the weekly digest's best papers. */
export type DeliveryScope = 'posts' | 'weekly';

/** A paper as a post shows it, with every identity it goes by. */
export interface DeliveredPaper {
  paperId: string;
  title: string;
  /** `arxiv:…`, `id:…`, `title:…` (see paperIdentities). */
  identities: readonly string[];
}

/** The message that carried a paper. */
export interface CarryingMessage {
  postKey: string;
  messageId: string;
  /** The day the post was for (YYYY-MM-DD, or the week for the weekly digest). */
  day: string;
}

export interface EarlierDelivery extends ChannelKey, CarryingMessage {
  scope: DeliveryScope;
  paperId: string;
  title: string;
  link?: string;
  deliveredAt: Date;
}

interface DeliveredRow extends ChannelRow {
  scope: DeliveryScope;
  identity: string;
  paper_id: string;
  title: string;
  has_arxiv: number;
  post_key: string;
  message_id: string;
  day: string;
  link: string | null;
  delivered_at: string;
}

const TITLE = 'title:';
/** Shorter normalised titles are too generic to match approximately ("a survey of x"). */
const NEAR_TITLE_MIN = 30;
/** At most one edit per this many characters, and never more than NEAR_TITLE_MAX_EDITS. */
const CHARS_PER_EDIT = 25;
const NEAR_TITLE_MAX_EDITS = 4;

/**
 * Which papers each channel got in full, and in which message. The first message that carried
 * a paper stays its reference: a later repeat links there.
 */
export class DeliveredRepo {
  private readonly insertStmt: Statement;
  private readonly exactStmt: Statement;
  private readonly titlesStmt: Statement;
  private readonly linkStmt: Statement;

  constructor(db: Database) {
    const scoped = `${CHANNEL_WHERE} AND scope = @scope`;
    this.insertStmt = db.prepare(`
      INSERT OR IGNORE INTO delivered_papers (platform, workspace_id, channel_id, scope, identity, paper_id, title, has_arxiv, post_key, message_id, day, delivered_at)
      VALUES (@platform, @workspace_id, @channel_id, @scope, @identity, @paper_id, @title, @has_arxiv, @post_key, @message_id, @day, @now)`);
    this.exactStmt = db.prepare(`SELECT * FROM delivered_papers WHERE ${scoped} AND identity = @identity`);
    this.titlesStmt = db.prepare(`
      SELECT identity FROM delivered_papers INDEXED BY delivered_titles WHERE ${scoped} AND identity >= 'title:' AND identity < 'title;'
        AND length(identity) BETWEEN @shortest AND @longest AND (has_arxiv = 0 OR @has_arxiv = 0)`);
    this.linkStmt = db.prepare(`UPDATE delivered_papers SET link = @link WHERE ${scoped} AND post_key = @post_key`);
  }

  /** Records the papers a message carried in full; papers the channel already had keep their first message. */
  record(channel: ChannelKey, scope: DeliveryScope, papers: readonly DeliveredPaper[], message: CarryingMessage, now: Date): void {
    for (const paper of papers) {
      const hasArxiv = paper.identities.some((i) => i.startsWith('arxiv:')) ? 1 : 0;
      for (const identity of paper.identities) {
        this.insertStmt.run({
          ...channelParams(channel),
          scope,
          identity,
          paper_id: paper.paperId,
          title: paper.title,
          has_arxiv: hasArxiv,
          post_key: message.postKey,
          message_id: message.messageId,
          day: message.day,
          now: now.toISOString(),
        });
      }
    }
  }

  /**
   * The message that first carried this paper to the channel: by any of its identities, or by a
   * title a few characters away from one delivered (a title reworded slightly between versions).
   * The near match is conservative: long titles only, a few edits, and never between two papers
   * that both have an arXiv id (two different arXiv ids are two papers).
   */
  earlier(channel: ChannelKey, scope: DeliveryScope, paper: DeliveredPaper): EarlierDelivery | undefined {
    const params = { ...channelParams(channel), scope };
    for (const identity of paper.identities) {
      const row = this.exactStmt.get({ ...params, identity }) as DeliveredRow | undefined;
      if (row) return toEarlier(row);
    }
    const title = paper.identities.find((i) => i.startsWith(TITLE))?.slice(TITLE.length);
    if (!title || title.length < NEAR_TITLE_MIN) return undefined;
    const hasArxiv = paper.identities.some((i) => i.startsWith('arxiv:'));
    const edits = Math.min(NEAR_TITLE_MAX_EDITS, Math.max(1, Math.floor(title.length / CHARS_PER_EDIT)));
    const length = TITLE.length + title.length;
    let best: { identity: string; edits: number } | undefined;
    for (const { identity } of this.titlesStmt.iterate({ ...params, shortest: length - edits, longest: length + edits, has_arxiv: hasArxiv ? 1 : 0 }) as Iterable<{ identity: string }>) {
      const d = distance(title, identity.slice(TITLE.length));
      if (d <= edits && (!best || d < best.edits)) best = { identity, edits: d };
    }
    return best ? toEarlier(this.exactStmt.get({ ...params, identity: best.identity }) as DeliveredRow) : undefined;
  }

  /** Remembers the link to a message once it is known, for every paper it carried. */
  setLink(channel: ChannelKey, scope: DeliveryScope, postKey: string, link: string): void {
    this.linkStmt.run({ ...channelParams(channel), scope, post_key: postKey, link });
  }
}

function toEarlier(row: DeliveredRow): EarlierDelivery {
  const earlier: EarlierDelivery = {
    ...channelFromRow(row),
    scope: row.scope,
    paperId: row.paper_id,
    title: row.title,
    postKey: row.post_key,
    messageId: row.message_id,
    day: row.day,
    deliveredAt: new Date(row.delivered_at),
  };
  if (row.link) earlier.link = row.link;
  return earlier;
}
