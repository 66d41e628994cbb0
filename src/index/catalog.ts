import type { Paper } from '../model/paper.js';
import { arxivIdOf, titleId } from '../parser/ids.js';
import { titleKey } from '../parser/text.js';

/** The keys a paper is found by: its id (lower-cased), the id derived from its title, the titleKey of its title. */
export type PaperKeys = [id: string, titleId: string, title: string];

export function keysOf(p: Paper): PaperKeys {
  return [p.id.toLowerCase(), titleId(p.title), titleKey(p.title)];
}

/**
 * Every paper, numbered in order (the search engine's document numbers), and found by id or
 * title. Where two papers share a key, the later one wins.
 */
export class Catalog {
  /** Id (lower-cased) and title-derived id → paper number. */
  private readonly byId = new Map<string, number>();
  /** titleKey of the title → paper number. */
  private readonly byTitle = new Map<string, number>();

  /** `keys`: each paper's keysOf, when already known (a saved catalog carries them). */
  constructor(
    readonly papers: readonly Paper[],
    keys: readonly PaperKeys[] = papers.map(keysOf),
  ) {
    for (const [i, [id, fromTitle, title]] of keys.entries()) {
      this.byId.set(id, i);
      this.byId.set(fromTitle, i);
      this.byTitle.set(title, i);
    }
  }

  get size(): number {
    return this.papers.length;
  }

  paper(n: number): Paper {
    return this.papers[n]!;
  }

  /** By id (arXiv with or without version or as its URL, or title-derived; any case), or by exact title. */
  find(idOrTitle: string): Paper | undefined {
    const key = idOrTitle.trim();
    const arxivId = arxivIdOf(key);
    const at = this.byId.get(key.toLowerCase()) ?? (arxivId === undefined ? undefined : this.byId.get(arxivId)) ?? this.byTitle.get(titleKey(key));
    return at === undefined ? undefined : this.papers[at];
  }
}
