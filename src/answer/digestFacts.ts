import { BatchedWork } from '../index/batchedWork.js';
import type { PaperIndex } from '../index/paperIndex.js';
import type { Paper } from '../model/paper.js';

export interface OrgEntry {
  /** Display name ("NVIDIA"). */
  name: string;
  papers: Paper[];
}

/**
 * Lookups the structural questions need (papers per digest day, per organisation, per author),
 * built once per index and kept until the index is swapped out.
 */
export interface DigestFacts {
  /** Digest days, oldest first. */
  dates: string[];
  /** Papers of each digest day, in page order. */
  byDate: Map<string, Paper[]>;
  /** Normalised organisation handle or name → organisation. */
  orgs: Map<string, OrgEntry>;
  /** Normalised author name, and surname, → papers. */
  authors: Map<string, Paper[]>;
  surnames: Map<string, Paper[]>;
  /** False for digests that list only author counts (the scraped pages). */
  hasAuthorNames: boolean;
}

const cache = new WeakMap<PaperIndex, FactsBuilder>();

/** The index's lookups, finishing them now if the background build has not yet. */
export function digestFacts(index: PaperIndex): DigestFacts {
  return builderOf(index).facts();
}

/** Builds the lookups in the background, so neither start-up nor the first question waits for every paper to be walked. */
export async function prepareDigestFacts(index: PaperIndex): Promise<void> {
  await builderOf(index).work.background();
}

function builderOf(index: PaperIndex): FactsBuilder {
  let builder = cache.get(index);
  if (!builder) cache.set(index, (builder = new FactsBuilder(index)));
  return builder;
}

/** "ByteDance-Seed", "bytedance seed" and "ByteDance Seed" are one key. */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

class FactsBuilder {
  readonly work: BatchedWork;
  private readonly byDateRanked = new Map<string, { paper: Paper; rank: number }[]>();
  private readonly orgs = new Map<string, OrgEntry>();
  private readonly authors = new Map<string, Paper[]>();
  private readonly surnames = new Map<string, Paper[]>();
  /** Authors recur across papers: each distinct spelling is normalised once. */
  private readonly names = new Map<string, string>();
  private built: DigestFacts | undefined;

  constructor(private readonly index: PaperIndex) {
    this.work = new BatchedWork(index.size, (from, to) => {
      const papers = index.papers();
      for (let i = from; i < to; i++) this.add(papers[i]!);
    });
  }

  facts(): DigestFacts {
    if (this.built) return this.built;
    this.work.finish();
    const byDate = new Map<string, Paper[]>();
    for (const [date, list] of this.byDateRanked)
      byDate.set(
        date,
        list.sort((a, b) => a.rank - b.rank).map((x) => x.paper),
      );
    const dates = [...new Set([...this.index.digestDates(), ...byDate.keys()])].sort();
    return (this.built = { dates, byDate, orgs: this.orgs, authors: this.authors, surnames: this.surnames, hasAuthorNames: this.authors.size > 0 });
  }

  private add(paper: Paper): void {
    for (const d of paper.digests) {
      let day = this.byDateRanked.get(d.date);
      if (!day) this.byDateRanked.set(d.date, (day = []));
      if (!day.some((x) => x.paper === paper)) day.push({ paper, rank: d.rank });
    }
    if (paper.organization) {
      const keys = [this.normalize(paper.organization.name), this.normalize(paper.organization.handle)];
      const entry = this.orgs.get(keys[0]!) ?? this.orgs.get(keys[1]!) ?? { name: paper.organization.name, papers: [] };
      entry.papers.push(paper);
      for (const k of keys) if (k) this.orgs.set(k, entry);
    }
    for (const author of paper.authors) {
      const key = this.normalize(author);
      if (!key) continue;
      push(this.authors, key, paper);
      const surname = key.split(' ').at(-1)!;
      if (surname !== key) push(this.surnames, surname, paper);
    }
  }

  private normalize(name: string): string {
    let key = this.names.get(name);
    if (key === undefined) this.names.set(name, (key = normalizeName(name)));
    return key;
  }
}

function push(map: Map<string, Paper[]>, key: string, paper: Paper): void {
  const list = map.get(key);
  if (!list) map.set(key, [paper]);
  else if (list.at(-1) !== paper) list.push(paper);
}

/** Papers in the digests of [from, to], each once, newest day first and page order within a day. */
export function papersInWindow(facts: DigestFacts, from: string, to: string): Paper[] {
  const seen = new Set<Paper>();
  const out: Paper[] = [];
  for (const date of [...facts.dates].reverse()) {
    if (date < from || date > to) continue;
    for (const p of facts.byDate.get(date) ?? []) {
      if (!seen.has(p)) {
        seen.add(p);
        out.push(p);
      }
    }
  }
  return out;
}

/** Whether a paper appeared in a digest of [from, to]. */
export function inWindow(paper: Paper, from: string, to: string): boolean {
  return paper.digests.some((d) => d.date >= from && d.date <= to);
}

/** Organisations called `name`: its handle or full name, or a name starting with it as words ("ByteDance" → "ByteDance Seed"). */
export function findOrgs(facts: DigestFacts, name: string): OrgEntry[] {
  const key = normalizeName(name);
  if (!key) return [];
  const exact = facts.orgs.get(key);
  if (exact) return [exact];
  const found = new Set<OrgEntry>();
  for (const [k, entry] of facts.orgs) if (k.startsWith(`${key} `)) found.add(entry);
  return [...found];
}

/** Papers with an author called `name`: the full name, or a surname when that is all that was typed. */
export function findAuthorPapers(facts: DigestFacts, name: string): Paper[] {
  const key = normalizeName(name);
  if (!key) return [];
  return facts.authors.get(key) ?? (key.includes(' ') ? [] : (facts.surnames.get(key) ?? []));
}
