/**
 * The neutral reply model: commands return data, adapters decide looks.
 * Nothing here is markdown: text is plain and adapters escape it for their platform.
 */

/** Plain text split into runs; `mark` runs are the matched query terms (rendered bold). */
export type MarkedText = ReadonlyArray<{ text: string; mark?: boolean }>;

export interface PaperLinks {
  /** The Hugging Face paper page, or a search for the title when the arXiv id is unknown. */
  primary: string;
  arxiv?: string;
  huggingface?: string;
}

export interface PaperCard {
  id: string;
  title: string;
  links: PaperLinks;
  /** Code and artifacts, when the digest names them. */
  code?: { repo: string; stars?: number };
  projectPage?: string;
  /** Hugging Face's one-line AI summary, when the snippet is something else (a search match, the abstract). */
  aiSummary?: string;
  /** Hugging Face's keywords for the paper. */
  keywords?: readonly string[];
  /** YYYY-MM-DD, when known. */
  published?: string;
  upvotes: number;
  /** Organisation name, or "N authors", or the first authors' names. */
  byline?: string;
  snippet: MarkedText;
  /** Search score, only on search results. */
  score?: number;
}

/** A button carries the command text it replays, so a press after a restart still works. */
export interface Button {
  label: string;
  /** Command text without the `/paper` prefix, e.g. `summary 2405.14906`. */
  command: string;
  style?: 'primary' | 'secondary';
}

export interface Citation {
  n: number;
  paperId: string;
  title: string;
  url: string;
}

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'text'; text: MarkedText }
  /** `nearMiss`: shown because no paper matches (it has only some of the words), not as a result. */
  | { kind: 'paper'; card: PaperCard; nearMiss?: boolean }
  | { kind: 'citations'; items: Citation[] }
  | { kind: 'context'; text: string }
  | { kind: 'actions'; buttons: Button[] };

export interface ThreadHint {
  /** Stable key for the thread (the paper id): a second request reuses the thread. */
  key: string;
  /** Thread name shown to users (the paper title); adapters truncate to their limit. */
  title: string;
}

export interface Reply {
  blocks: Block[];
  /** 'ephemeral' replies only the asker sees; 'channel' replies everyone sees. */
  visibility: 'ephemeral' | 'channel';
  /** When set, the reply belongs in a thread about one paper. */
  thread?: ThreadHint;
  /** Set when the command failed: adapters show it privately and may style it as an error. */
  error?: { code: string };
  /** A file that goes with the reply (an export): each adapter delivers it its own way. */
  attachment?: Attachment;
  /** The papers the message is about when it shows no card for them (a TL;DR): 👍 and 👎 on it count for these. */
  about?: ReadonlyArray<{ id: string; title: string }>;
}

export interface Attachment {
  /** File name with its extension, e.g. `paperbot-mine.bib`; no directories. */
  name: string;
  /** e.g. `application/x-bibtex`, `text/markdown`. */
  mimeType: string;
  bytes: Uint8Array;
}

export function plain(text: string): MarkedText {
  return [{ text }];
}

/** `github.com/owner/repo ★ 1,234`: the repository as people name it, with its stars when known. */
export function codeLabel(code: NonNullable<PaperCard['code']>): string {
  const name = code.repo.replace(/^https?:\/\/(www\.)?/, '').replace(/\/$/, '');
  return code.stars === undefined ? name : `${name} ★ ${code.stars.toLocaleString('en-US')}`;
}

export function markedToPlain(text: MarkedText): string {
  return text.map((r) => r.text).join('');
}
