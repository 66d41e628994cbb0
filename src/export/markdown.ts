import type { SavedPaper } from '../store/savedRepo.js';

/** Characters that would start markup inside a list item or a link text. */
function escapeMarkdown(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`);
}

function authors(record: SavedPaper['record']): string | undefined {
  const named = record.authors.slice(0, 5);
  const total = Math.max(record.authorCount ?? 0, record.authors.length);
  if (named.length === 0) return total > 0 ? `${total} authors` : undefined;
  return total > named.length ? `${named.join(', ')} and others` : named.join(', ');
}

/** A reading list people can paste into a wiki or a notes app: one item per paper, oldest save first. */
export function markdownFile(heading: string, papers: readonly SavedPaper[]): string {
  const lines = [`# ${escapeMarkdown(heading)}`, ''];
  for (const { record, savedBy, savedAt } of papers) {
    const title = escapeMarkdown(record.title);
    const link = record.arxivId ? `https://arxiv.org/abs/${record.arxivId}` : record.url;
    const facts = [authors(record), record.published?.slice(0, 4), record.arxivId && `arXiv:${record.arxivId}`].filter(Boolean).map((f) => escapeMarkdown(f!));
    const saved = `saved ${savedAt.toISOString().slice(0, 10)}${savedBy ? ` by ${escapeMarkdown(savedBy)}` : ''}`;
    lines.push(`- ${link ? `[${title}](<${link}>)` : `**${title}**`}${facts.length ? ` — ${facts.join(', ')}` : ''} (${saved})`);
    if (record.githubRepo) lines.push(`  - Code: <${record.githubRepo}>`);
  }
  return lines.join('\n') + '\n';
}
