import type { Paper } from '../../src/model/paper.js';
import type { Reply } from '../../src/model/reply.js';
import { markedToPlain } from '../../src/model/reply.js';

/** What a user sees of an answer, checked line by line. */
export interface GradedReply {
  cited: string[];
  /** Lines of the answer text. */
  lines: string[];
  /** Quoted claims (“…” [n]) that are not a substring of the cited abstract. */
  untraceable: string[];
  /** Claim lines (bullets and quotes) without a [n] marker. */
  uncited: string[];
  /** Citation markers [n] with no citation n listed. */
  danglingMarkers: number[];
  saysNotFound: boolean;
}

const QUOTE = /“(.+)”/;

export function gradeReply(reply: Reply, papers: ReadonlyMap<string, Paper>): GradedReply {
  const citations = reply.blocks.flatMap((b) => (b.kind === 'citations' ? b.items : []));
  const byN = new Map(citations.map((c) => [c.n, c]));
  const lines = reply.blocks.flatMap((b) => (b.kind === 'text' ? markedToPlain(b.text).split('\n') : []));
  const untraceable: string[] = [];
  const uncited: string[] = [];
  const dangling: number[] = [];
  for (const line of lines) {
    const markers = [...line.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    for (const n of markers) if (!byN.has(n)) dangling.push(n);
    const quote = QUOTE.exec(line)?.[1];
    const isClaim = quote !== undefined || line.startsWith('• ');
    if (isClaim && markers.length === 0) uncited.push(line);
    if (quote === undefined) continue;
    const text = quote.replace(/…$/, '').trim();
    const sources = markers.map((n) => papers.get(byN.get(n)?.paperId ?? ''));
    if (!sources.some((p) => p?.abstract.includes(text))) untraceable.push(line);
  }
  const head = lines.join(' ');
  return {
    cited: citations.map((c) => c.paperId),
    lines,
    untraceable,
    uncited,
    danglingMarkers: dangling,
    saysNotFound: /does not answer that|does not say/.test(head),
  };
}

export function recall(cited: readonly string[], wanted: readonly string[]): number {
  if (wanted.length === 0) return 1;
  return wanted.filter((id) => cited.includes(id)).length / wanted.length;
}
