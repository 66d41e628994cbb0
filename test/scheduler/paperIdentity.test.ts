import { describe, expect, it } from 'vitest';
import { MemoryCatalog } from '../../src/index/catalog.js';
import { loadDigests } from '../../src/parser/loadDigests.js';
import { keyIdentities, paperIdentities } from '../../src/scheduler/paperIdentity.js';
import { RAW_DIR, SEEDS_DIR, TODAY } from '../helpers/seeds.js';

describe('a library paper’s identities', () => {
  it('are the same from the catalog’s id keys as from the whole paper, for papers with and without an arXiv id', async () => {
    // The seeds' digests name papers by title only; the Hugging Face days by arXiv id, the same papers among them.
    const { papers } = await loadDigests([SEEDS_DIR, RAW_DIR], { today: TODAY });
    expect(papers.some((p) => p.arxivId)).toBe(true);
    expect(papers.some((p) => !p.arxivId)).toBe(true);
    const keys = new MemoryCatalog(papers).identityKeys(0, papers.length);
    expect(keys).toHaveLength(papers.length);
    for (const [i, paper] of papers.entries()) expect(keyIdentities(keys[i]!), paper.id).toEqual(paperIdentities(paper));
  });
});
