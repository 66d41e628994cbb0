import { normalizeName } from '../../src/answer/digestFacts.js';
import type { Paper } from '../../src/model/paper.js';

/**
 * The structural facts as they were first built, from maps of every paper: the reference the
 * catalog's narrow lookups must agree with (same papers, same order).
 */
export interface ReferenceFacts {
  dates: string[];
  byDate: Map<string, Paper[]>;
  orgs: Map<string, { name: string; papers: Paper[] }>;
  authors: Map<string, Paper[]>;
  surnames: Map<string, Paper[]>;
  hasAuthorNames: boolean;
}

export function referenceFacts(papers: readonly Paper[], digestDates: readonly string[]): ReferenceFacts {
  const byDateRanked = new Map<string, { paper: Paper; rank: number }[]>();
  const orgs = new Map<string, { name: string; papers: Paper[] }>();
  const authors = new Map<string, Paper[]>();
  const surnames = new Map<string, Paper[]>();
  const push = (map: Map<string, Paper[]>, key: string, paper: Paper) => {
    const list = map.get(key);
    if (!list) map.set(key, [paper]);
    else if (list.at(-1) !== paper) list.push(paper);
  };
  for (const paper of papers) {
    for (const d of paper.digests) {
      let day = byDateRanked.get(d.date);
      if (!day) byDateRanked.set(d.date, (day = []));
      if (!day.some((x) => x.paper === paper)) day.push({ paper, rank: d.rank });
    }
    if (paper.organization) {
      const keys = [normalizeName(paper.organization.name), normalizeName(paper.organization.handle)];
      const entry = orgs.get(keys[0]!) ?? orgs.get(keys[1]!) ?? { name: paper.organization.name, papers: [] };
      entry.papers.push(paper);
      for (const k of keys) if (k) orgs.set(k, entry);
    }
    for (const author of paper.authors) {
      const key = normalizeName(author);
      if (!key) continue;
      push(authors, key, paper);
      const surname = key.split(' ').at(-1)!;
      if (surname !== key) push(surnames, surname, paper);
    }
  }
  const byDate = new Map([...byDateRanked].map(([date, list]) => [date, list.sort((a, b) => a.rank - b.rank).map((x) => x.paper)]));
  const dates = [...new Set([...digestDates, ...byDate.keys()])].sort();
  return { dates, byDate, orgs, authors, surnames, hasAuthorNames: authors.size > 0 };
}

export function referencePapersInWindow(facts: ReferenceFacts, from: string, to: string): Paper[] {
  const seen = new Set<Paper>();
  for (const date of [...facts.dates].reverse()) if (date >= from && date <= to) for (const p of facts.byDate.get(date) ?? []) seen.add(p);
  return [...seen];
}

export function referenceFindOrgs(facts: ReferenceFacts, name: string): { name: string; papers: Paper[] }[] {
  const key = normalizeName(name);
  if (!key) return [];
  const exact = facts.orgs.get(key);
  if (exact) return [exact];
  const found = new Set<{ name: string; papers: Paper[] }>();
  for (const [k, entry] of facts.orgs) if (k.startsWith(`${key} `)) found.add(entry);
  return [...found];
}

export function referenceAuthorPapers(facts: ReferenceFacts, name: string): Paper[] {
  const key = normalizeName(name);
  if (!key) return [];
  return facts.authors.get(key) ?? (key.includes(' ') ? [] : (facts.surnames.get(key) ?? []));
}
