import type { PaperIdKey } from '../index/catalog.js';
import type { Paper } from '../model/paper.js';
import { titleKey } from '../parser/text.js';

const ARXIV = /^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$/i;

/**
 * Every name a paper may appear under: its arXiv id without version (`2511.05271v2` and
 * `2511.05271` are one paper), its id when that is not an arXiv id (a title-derived `t-…`), and
 * its normalised title (the same paper listed once without and once with its arXiv id).
 */
export function paperIdentities(paper: Pick<Paper, 'id' | 'arxivId' | 'title'>): string[] {
  return identitiesOf([paper.id, paper.arxivId], titleKey(paper.title));
}

/** A library paper's identities from the keys the catalog keeps: a paper's arXiv id, when it has one, is its id. */
export function keyIdentities(key: PaperIdKey): string[] {
  return identitiesOf([key.id], key.titleKey);
}

function identitiesOf(ids: ReadonlyArray<string | undefined>, title: string): string[] {
  const identities = new Set<string>();
  for (const id of ids) {
    if (!id) continue;
    const arxiv = ARXIV.exec(id.trim());
    identities.add(arxiv ? `arxiv:${arxiv[1]}` : `id:${id.trim().toLowerCase()}`);
  }
  if (title) identities.add(`title:${title}`);
  return [...identities];
}
