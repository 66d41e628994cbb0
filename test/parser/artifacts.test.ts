import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCorpus } from '../../src/parser/corpus.js';
import { parseHfDailyJson } from '../../src/parser/hfJson.js';
import { mergePapers } from '../../src/parser/merge.js';
import { CORPUS_DIR, RAW_DIR } from '../helpers/seeds.js';

type RawEntry = { paper: { id: string; githubRepo?: string | null; githubStars?: number | null; projectPage?: string | null; ai_summary?: string; ai_keywords?: string[] } };

describe('code and artifacts from the Hugging Face API', () => {
  it('keeps the repository with its stars, the project page, the AI summary and keywords of a real day', () => {
    const text = readFileSync(join(RAW_DIR, '2025-12-10.json'), 'utf8');
    const entries = JSON.parse(text) as RawEntry[];
    const withRepo = entries.filter((e) => e.paper.githubRepo);
    expect(withRepo.length).toBeGreaterThan(0);
    const papers = new Map(parseHfDailyJson('2025-12-10.json', text).papers.map((p) => [p.id, p]));
    for (const { paper: raw } of entries) {
      const paper = papers.get(raw.id)!;
      expect(paper.githubRepo).toBe(raw.githubRepo || undefined);
      expect(paper.githubStars).toBe(raw.githubRepo && typeof raw.githubStars === 'number' ? raw.githubStars : undefined);
      expect(paper.projectPage).toBe(raw.projectPage || undefined);
      expect(paper.aiSummary).toBe(raw.ai_summary || undefined);
      expect(paper.keywords).toEqual(raw.ai_keywords?.length ? raw.ai_keywords : undefined);
    }
  });

  it('links only to web addresses', () => {
    const entry = (githubRepo: string, projectPage: string) => ({ paper: { id: '2512.00001', title: 'T', githubRepo, githubStars: 3, projectPage } });
    const [bad] = parseHfDailyJson('2025-12-10.json', JSON.stringify([entry('javascript:alert(1)', 'not a url')])).papers;
    expect(bad!.githubRepo).toBeUndefined();
    expect(bad!.githubStars).toBeUndefined();
    expect(bad!.projectPage).toBeUndefined();
    const [good] = parseHfDailyJson('2025-12-10.json', JSON.stringify([entry('https://github.com/a/b', 'https://a.github.io/b/')])).papers;
    expect([good!.githubRepo, good!.githubStars, good!.projectPage]).toEqual(['https://github.com/a/b', 3, 'https://a.github.io/b/']);
  });

  it('the corpus keeps stars for papers with a repository', () => {
    const r = parseCorpus('papers.jsonl', readFileSync(join(CORPUS_DIR, 'papers.jsonl'), 'utf8'));
    const withRepo = r.papers.filter((p) => p.githubRepo);
    expect(withRepo.length).toBeGreaterThan(100);
    expect(withRepo.filter((p) => p.githubStars !== undefined).length).toBeGreaterThan(withRepo.length / 2);
    expect(r.papers.every((p) => p.githubStars === undefined || p.githubRepo)).toBe(true);
  });

  it('stars travel with their repository when two digests of one paper are merged', () => {
    const base = { id: '2512.00001', arxivId: '2512.00001', title: 'T', abstract: '', authors: [], upvotes: 1 };
    const noCode = { ...base, digests: [{ date: '2025-12-01', file: 'a.json', rank: 1 }] };
    const withCode = { ...base, githubRepo: 'https://github.com/a/b', githubStars: 7, digests: [{ date: '2025-12-02', file: 'b.json', rank: 1 }] };
    const otherRepo = { ...base, githubRepo: 'https://github.com/c/d', githubStars: 99, digests: [{ date: '2025-12-03', file: 'c.json', rank: 1 }] };
    const [merged] = mergePapers([noCode, withCode, otherRepo]);
    expect([merged!.githubRepo, merged!.githubStars]).toEqual(['https://github.com/a/b', 7]);
  });
});
