import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaperIndex } from '../../src/index/paperIndex.js';
import { openSqliteIndex, writeSqliteIndex } from '../../src/index/sqliteIndexFile.js';
import { sqliteEngine } from '../../src/index/sqliteEngine.js';
import type { Paper } from '../../src/model/paper.js';
import { loadDigests } from '../../src/parser/loadDigests.js';
import { titleKey } from '../../src/parser/text.js';
import { TRENDING_PERIODS } from '../../src/index/trending.js';
import { parseCorpus } from '../../src/parser/corpus.js';
import { CORPUS_DIR } from '../helpers/fixtures.js';

let tmp: string;
let papers: Paper[];
let dates: string[];
let inMemory: PaperIndex;
let fromFile: PaperIndex;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'paperbot-sqlite-catalog-'));
  const load = await loadDigests(['seeds'], { today: '2025-12-31', digestYear: 2025 });
  papers = load.papers;
  dates = load.digests.map((d) => d.date);
  inMemory = PaperIndex.build(papers, dates, sqliteEngine);
  writeSqliteIndex(join(tmp, 'index.sqlite'), papers, dates, { note: 'kept as given' });
  fromFile = openSqliteIndex(join(tmp, 'index.sqlite')).index;
});
afterAll(async () => {
  fromFile.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('the SQLite catalog of an index file', () => {
  it('holds every paper in order and finds each by id, title-derived id, URL and title, as the in-memory catalog does', () => {
    expect(papers.length).toBeGreaterThan(100);
    expect(fromFile.size).toBe(papers.length);
    expect([...fromFile.idKeys()].sort()).toEqual(papers.map((p) => p.id.toLowerCase()).sort());
    const all = fromFile.papers();
    expect(all.length).toBe(papers.length);
    expect([...all]).toEqual(inMemory.papers());
    expect(all.slice(3, 6)).toEqual(papers.slice(3, 6));
    expect(all.filter((p) => p.upvotes > 0)).toEqual(papers.filter((p) => p.upvotes > 0));
    expect(all[papers.length]).toBeUndefined();
    for (const p of papers) {
      for (const key of [p.id, p.id.toUpperCase(), p.title, `  ${p.title.toLowerCase()} `]) expect(fromFile.get(key), key).toEqual(inMemory.get(key));
    }
    const arxiv = papers.find((p) => /^\d{4}\.\d{4,5}$/.test(p.id));
    if (arxiv) expect(fromFile.get(`https://arxiv.org/abs/${arxiv.id}v2`)?.id).toBe(arxiv.id);
    expect(fromFile.get('no such paper')).toBeUndefined();
  });

  it('finds papers by publication date as the in-memory catalog does', () => {
    const days = [...new Set(papers.flatMap((p) => p.published ?? []))].sort();
    expect(days.length).toBeGreaterThan(1);
    for (const [from, to] of [
      [days[0]!, days.at(-1)!],
      [days[1]!, days[1]!],
      ['1990-01-01', '1990-12-31'],
    ] as const) {
      const expected = inMemory.publishedBetween(from, to);
      expect(fromFile.publishedBetween(from, to)).toEqual(expected);
      expect(expected.every((p) => p.published! >= from && p.published! <= to)).toBe(true);
    }
    expect(fromFile.publishedBetween(days[0]!, days.at(-1)!).length).toBe(papers.filter((p) => p.published).length);
  });

  it('ranks trending as the in-memory table does, for every period and day', () => {
    const days = [...new Set(dates)].sort();
    expect(days.length).toBeGreaterThan(1);
    for (const period of TRENDING_PERIODS) {
      for (const day of [days[0]!, days[Math.floor(days.length / 2)]!, days.at(-1)!, '2025-12-31', '2000-01-01']) {
        for (const limit of [1, 5, 50]) expect(fromFile.trending(period, day, limit), `${period} ${day} ${limit}`).toEqual(inMemory.trending(period, day, limit));
      }
    }
  });

  it("answers the scheduler's questions (papers of a run of digest days, papers first listed in one, id keys) as the in-memory catalog does", () => {
    const days = [...new Set(dates)].sort();
    expect(days.length).toBeGreaterThan(2);
    const last = days.at(-1)!;
    for (const [from, to] of [
      [days[0]!, last],
      [last, last],
      [days[1]!, days.at(-2)!],
      [`${days[0]!.slice(0, 8)}11`, last],
      ['1990-01-01', '1990-12-31'],
    ] as const) {
      expect(fromFile.appearingBetween(from, to), `${from}..${to}`).toEqual(inMemory.appearingBetween(from, to));
      expect(fromFile.firstAppearingBetween(from, to), `${from}..${to}`).toEqual(inMemory.firstAppearingBetween(from, to));
    }
    // The last day's papers with their rank on its page, some of them listed on an earlier day too.
    const onLast = papers.flatMap((p) => p.digests.filter((d) => d.date === last).map((d) => ({ id: p.id, bestRank: d.rank })));
    expect(onLast.length).toBeGreaterThan(0);
    expect(fromFile.appearingBetween(last, last).map((a) => ({ id: a.paper.id, bestRank: a.bestRank }))).toEqual(onLast);
    const firstOnLast = papers.filter((p) => p.digests.length > 0 && p.digests.every((d) => d.date === last)).map((p) => p.id);
    expect(firstOnLast.length).toBeGreaterThan(0);
    expect(firstOnLast.length).toBeLessThan(onLast.length);
    expect(fromFile.firstAppearingBetween(last, last).map((p) => p.id)).toEqual(firstOnLast);
    // A paper on two days counts its better rank.
    const twice = papers.find((p) => p.digests.length > 1 && p.digests[0]!.rank !== p.digests[1]!.rank)!;
    const [a, b] = [twice.digests[0]!, twice.digests[1]!];
    const window = [a.date, b.date].sort() as [string, string];
    expect(fromFile.appearingBetween(...window).find((x) => x.paper.id === twice.id)?.bestRank).toBe(Math.min(a.rank, b.rank));

    expect(fromFile.identityKeys(0, papers.length + 5)).toEqual(inMemory.identityKeys(0, papers.length + 5));
    expect(fromFile.identityKeys(10, 20)).toEqual(papers.slice(10, 20).map((p) => ({ id: p.id, titleKey: titleKey(p.title) })));
    expect(fromFile.identityKeys(papers.length, papers.length + 10)).toEqual([]);
  });

  it('answers searches and "did you mean" as the same engine built in memory', () => {
    for (const q of ['mixture of experts routing', 'moe', 'transfromer quantization', 'diffusion', 'zzzz']) {
      const page = fromFile.searchPage(q, { limit: 10 });
      const expected = inMemory.searchPage(q, { limit: 10 });
      expect(
        page.hits.map((h) => [h.paper.id, h.score]),
        q,
      ).toEqual(expected.hits.map((h) => [h.paper.id, h.score]));
      expect(page.total).toBe(expected.total);
    }
    expect(fromFile.didYouMean('difusion modles')).toBe(inMemory.didYouMean('difusion modles'));
    expect(fromFile.acronyms()).toEqual(inMemory.acronyms());
    expect(fromFile.digestDates()).toEqual(inMemory.digestDates());
  });

  it('keeps the facts it was given in its meta table', () => {
    const { index, facts } = openSqliteIndex(join(tmp, 'index.sqlite'));
    index.close();
    expect(facts).toEqual({ note: 'kept as given' });
  });
});

// The seeds name no repositories: the corpus sample does, for some papers.
describe('the SQLite catalog of an index file, on the corpus sample', () => {
  let corpus: Paper[];
  let corpusInMemory: PaperIndex;
  let corpusFromFile: PaperIndex;
  beforeAll(() => {
    const read = (name: string) => readFileSync(join(CORPUS_DIR, name), 'utf8');
    corpus = parseCorpus('papers.jsonl', read('papers.jsonl'), 'days.jsonl', read('days.jsonl')).papers;
    corpusInMemory = PaperIndex.build(corpus, undefined, sqliteEngine);
    writeSqliteIndex(join(tmp, 'corpus.sqlite'), corpus, undefined, null);
    corpusFromFile = openSqliteIndex(join(tmp, 'corpus.sqlite')).index;
  });
  afterAll(() => corpusFromFile.close());

  it('leaves out papers without code, and papers excluded by id, as the in-memory catalog does', () => {
    const withCode = corpus.filter((p) => p.githubRepo);
    expect(withCode.length).toBeGreaterThan(0);
    expect(withCode.length).toBeLessThan(corpus.length);
    let checked = 0;
    for (const q of ['diffusion sampler', 'video generation', 'speculative decoding', 'mixture of experts routing']) {
      const every = corpusInMemory.searchPage(q, { limit: corpus.length }).hits.map((h) => h.paper);
      const expected = every.filter((p) => p.githubRepo).map((p) => p.id);
      for (const index of [corpusFromFile, corpusInMemory]) {
        const page = index.searchPage(q, { limit: corpus.length, withCode: true });
        expect(
          page.hits.map((h) => h.paper.id),
          q,
        ).toEqual(expected);
        expect(page.total).toBe(expected.length);
      }
      if (every.length === 0) continue;
      const dropped = every[0]!;
      for (const index of [corpusFromFile, corpusInMemory]) {
        const page = index.searchPage(q, { limit: corpus.length, exclude: new Set([dropped.id]) });
        expect(
          page.hits.map((h) => h.paper.id),
          q,
        ).toEqual(every.slice(1).map((p) => p.id));
        expect(index.moreLike(dropped, 10).map((h) => h.paper.id)).not.toContain(dropped.id);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(2);
  });
});

describe('a search for papers with code, in a library where few have any', () => {
  // 2,500 papers on one topic; the 5 with code say it least (the longest abstracts), so they are not among the best matches of the words alone.
  const library: Paper[] = Array.from({ length: 2_500 }, (_, n) => ({
    id: `2512.${String(n).padStart(5, '0')}`,
    title: `Sparse sampler study ${n}`,
    abstract: `A sparse sampler for images.${n % 500 === 499 ? ' It is compared with many baselines on many datasets over many runs.'.repeat(8) : ''}`,
    authors: ['Ada Lovelace'],
    upvotes: 1,
    digests: [{ date: '2025-12-01', file: 'd.json', rank: (n % 50) + 1 }],
    ...(n % 500 === 499 ? { githubRepo: `https://github.com/lab/sampler-${n}` } : {}),
  }));
  const coded = library.filter((p) => p.githubRepo).map((p) => p.id);
  let fromFile: PaperIndex;
  beforeAll(() => {
    writeSqliteIndex(join(tmp, 'coded.sqlite'), library, ['2025-12-01'], null);
    fromFile = openSqliteIndex(join(tmp, 'coded.sqlite')).index;
  });
  afterAll(() => fromFile.close());

  it('finds every paper with code, on both engines', () => {
    expect(coded).toHaveLength(5);
    for (const index of [fromFile, PaperIndex.build(library), PaperIndex.build(library, undefined, sqliteEngine)]) {
      // The words alone rank the papers with code last.
      expect(index.search('sparse sampler', { limit: 10 }).map((h) => h.paper.id)).not.toEqual(expect.arrayContaining([coded[0]]));
      const page = index.searchPage('sparse sampler', { limit: 10, withCode: true });
      expect(page.hits.map((h) => h.paper.id).sort()).toEqual(coded);
      expect(page.total).toBe(5);
    }
  });
});
