import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigestFacts } from '../../src/answer/digestFacts.js';
import { PaperIndex } from '../../src/index/paperIndex.js';
import { openSqliteIndex, writeSqliteIndex } from '../../src/index/sqliteIndexFile.js';
import type { Paper } from '../../src/model/paper.js';
import { loadDigests } from '../../src/parser/loadDigests.js';
import { CORPUS_DIR } from '../helpers/fixtures.js';
import { referenceAuthorPapers, referenceFacts, referenceFindOrgs, referencePapersInWindow, type ReferenceFacts } from './referenceFacts.js';

/** Papers whose names an index lookup could miss: accents, stop words, hyphens, ligatures, full-width letters, one-word names. */
function trickyPapers(): Paper[] {
  const paper = (i: number, authors: string[], organization: Paper['organization'], digests: [string, number][]): Paper => ({
    id: `t-tricky${String(i).padStart(4, '0')}`,
    title: `Tricky paper ${i}`,
    abstract: `A paper about names, number ${i}.`,
    authors,
    ...(organization ? { organization } : {}),
    published: `2025-0${1 + (i % 9)}-1${i % 10}`,
    upvotes: (i * 7) % 11,
    digests: digests.map(([date, rank], k) => ({ date, file: `day${k}`, rank })),
  });
  return [
    paper(1, ['Hervé Jégou', 'Yang You', 'Wang', 'Fu-Yun Wang'], { name: 'ByteDance Seed', handle: 'ByteDance-Seed' }, [['2025-12-09', 3]]),
    paper(2, ['Daniel Cohen-Or', 'Or Patashnik', 'Quy Duc Do'], { name: 'Show Lab', handle: 'showlab' }, [['2025-12-09', 1]]),
    paper(3, ['Łukasz Kaiser', 'Zoë Kravitz', 'İlker Kesen', 'Anđela Ćirić'], { name: 'The University of Hong Kong', handle: 'HKUniversity' }, [['2025-12-10', 2]]),
    paper(4, ['王伟', 'Ｙａｎｇ Ｌｉ', 'ﬁlip Novak', 'Sébastien Bubeck'], { name: 'ByteDance', handle: 'bytedance' }, [
      ['2025-12-10', 1],
      ['2025-12-10', 5],
    ]),
    paper(5, ['Jiaxuan You', 'An Yang', 'Will Hawkins', 'Can Qin'], { name: 'A', handle: 'x-lab' }, [
      ['2025-12-08', 2],
      ['2025-12-10', 3],
    ]),
    paper(6, ['Colour Harbour', 'Yang  You'], { name: 'B', handle: 'y-lab' }, [['2025-12-08', 1]]),
    paper(7, ['Andrés Marafioti', 'Noah A. Smith', 'Jegou'], { name: 'A', handle: 'y-lab' }, [['2025-12-09', 2]]),
    paper(8, ['Yang You', 'Sebastien Bubeck', 'Herve Jegou'], { name: 'NVIDIA', handle: 'nvidia' }, [
      ['2025-12-08', 3],
      ['2025-12-09', 3],
    ]),
    paper(9, [], undefined, [['2025-12-10', 4]]),
    paper(10, ['Yifan An', 'Virginie Do', 'Honggyu An'], { name: 'NVIDIA Research', handle: 'nvidia-research' }, [['2025-12-10', 6]]),
  ];
}

/** Names as users type them: as written, lower-cased, without accents, hyphens as spaces, the first word, the last. */
function spellings(name: string): string[] {
  const plain = name.normalize('NFKD').replace(/\p{M}/gu, '');
  const words = name.split(/\s+/);
  return [...new Set([name, name.toLowerCase(), plain, plain.replace(/-/g, ' '), words[0]!, words.at(-1)!])];
}

/** Probes of only stop words, as the question analysis asks about "show me papers", "do you have papers". */
const STOP_WORD_PROBES = ['me', 'show', 'show me', 'the', 'you', 'do', 'do you have', 'or', 'an', 'a', 'can', 'will'];

interface Library {
  label: string;
  papers: Paper[];
  dates: string[];
}

let tmp: string;
const libraries: Library[] = [];
const indexes: { label: string; engine: string; index: PaperIndex; reference: ReferenceFacts; papers: Paper[] }[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'paperbot-digest-facts-'));
  const seeds = await loadDigests(['seeds'], { today: '2025-12-31', digestYear: 2025 });
  const corpus = await loadDigests([CORPUS_DIR], { today: '2026-08-24' });
  libraries.push(
    { label: 'seeds', papers: seeds.papers, dates: seeds.digests.map((d) => d.date) },
    { label: 'corpus sample', papers: corpus.papers, dates: corpus.digests.map((d) => d.date) },
    { label: 'tricky names', papers: trickyPapers(), dates: ['2025-12-07', '2025-12-08', '2025-12-09', '2025-12-10'] },
  );
  for (const [i, { label, papers, dates }] of libraries.entries()) {
    const file = join(tmp, `${i}.sqlite`);
    writeSqliteIndex(file, papers, dates, null);
    const reference = referenceFacts(papers, dates);
    indexes.push({ label, engine: 'minisearch', index: PaperIndex.build(papers, dates), reference, papers });
    indexes.push({ label, engine: 'sqlite file', index: openSqliteIndex(file).index, reference, papers });
  }
});
afterAll(async () => {
  for (const { index } of indexes) index.close();
  await rm(tmp, { recursive: true, force: true });
});

const ids = (papers: readonly { id: string }[]) => papers.map((p) => p.id);

describe('the structural facts, asked of the catalog, as maps of every paper gave them', () => {
  it('have the same digest days and the same papers on each, counted once, in page order', () => {
    expect(indexes).toHaveLength(6);
    for (const { label, engine, index, reference } of indexes) {
      const facts = new DigestFacts(index);
      expect(facts.dates, `${label} ${engine}`).toEqual(reference.dates);
      expect(reference.dates.length).toBeGreaterThan(2);
      for (const date of reference.dates) {
        const expected = reference.byDate.get(date) ?? [];
        expect(facts.countInWindow(date, date), `${label} ${engine} ${date}`).toBe(expected.length);
        expect(ids(facts.firstInWindow(date, date, 10_000)), `${label} ${engine} ${date}`).toEqual(ids(expected));
      }
    }
  });

  it('have the same papers in windows of days, newest day first, each once', () => {
    for (const { label, engine, index, reference } of indexes) {
      const facts = new DigestFacts(index);
      const dates = reference.dates;
      const windows = [
        [dates[0]!, dates.at(-1)!],
        [dates.at(-3)!, dates.at(-1)!],
        [dates[1]!, dates[Math.floor(dates.length / 2)]!],
        ['1999-01-01', '1999-12-31'],
      ];
      for (const [from, to] of windows) {
        const expected = referencePapersInWindow(reference, from!, to!);
        expect(facts.countInWindow(from!, to!), `${label} ${engine} ${from}…${to}`).toBe(expected.length);
        for (const limit of [1, 8, 10_000]) expect(ids(facts.firstInWindow(from!, to!, limit))).toEqual(ids(expected.slice(0, limit)));
      }
    }
  });

  it('find the same organisations by name, handle, first words and stop words, with the same papers in the same order', () => {
    for (const { label, engine, index, reference, papers } of indexes) {
      const facts = new DigestFacts(index);
      const names = papers.flatMap((p) => (p.organization ? [p.organization.name, p.organization.handle] : []));
      const probes = [...new Set([...names.flatMap(spellings), ...STOP_WORD_PROBES])];
      let found = 0;
      for (const name of probes) {
        const expected = referenceFindOrgs(reference, name);
        const actual = facts.findOrgs(name);
        expect(
          actual.map((o) => [o.name, ids(o.papers.map((n) => index.digestLookups().paper(n)))]),
          `${label} ${engine} "${name}"`,
        ).toEqual(expected.map((o) => [o.name, ids(o.papers)]));
        if (expected.length > 0) found++;
      }
      if (names.length > 0) expect(found).toBeGreaterThan(names.length / 4);
    }
  });

  it('find the same papers by author, full name or surname, however the name is typed', () => {
    for (const { label, engine, index, reference, papers } of indexes) {
      const facts = new DigestFacts(index);
      expect(facts.hasAuthorNames(), `${label} ${engine}`).toBe(reference.hasAuthorNames);
      const names = [...new Set(papers.flatMap((p) => p.authors))].slice(0, 400);
      const probes = [...new Set([...names.flatMap(spellings), ...STOP_WORD_PROBES])];
      let found = 0;
      for (const name of probes) {
        const expected = ids(referenceAuthorPapers(reference, name));
        const actual = facts.authorPapers(name).map((p) => index.digestLookups().paper(p.n).id);
        expect(actual, `${label} ${engine} "${name}"`).toEqual(expected);
        if (expected.length > 0) found++;
      }
      if (names.length > 0) expect(found).toBeGreaterThan(names.length);
    }
  });

  it('read the tricky names as one name however they are typed', () => {
    const tricky = indexes.filter((x) => x.label === 'tricky names');
    expect(tricky).toHaveLength(2);
    for (const { engine, index } of tricky) {
      const facts = new DigestFacts(index);
      const by = (name: string) => facts.authorPapers(name).map((p) => index.digestLookups().paper(p.n).id);
      expect(by('Herve Jegou'), engine).toEqual(['t-tricky0001', 't-tricky0008']);
      expect(by('hervé jégou'), engine).toEqual(['t-tricky0001', 't-tricky0008']);
      // A one-word name an author goes by wins over the surnames.
      expect(by('Jégou'), engine).toEqual(['t-tricky0007']);
      expect(by('Wang'), engine).toEqual(['t-tricky0001']);
      expect(by('Yang You'), engine).toEqual(['t-tricky0001', 't-tricky0006', 't-tricky0008']);
      expect(by('You'), engine).toEqual(['t-tricky0001', 't-tricky0005', 't-tricky0006', 't-tricky0008']);
      expect(by('daniel cohen-or'), engine).toEqual(['t-tricky0002']);
      expect(by('Or'), engine).toEqual(['t-tricky0002']);
      expect(by('Do'), engine).toEqual(['t-tricky0002', 't-tricky0010']);
      expect(by('An'), engine).toEqual(['t-tricky0010']);
      expect(by('łukasz kaiser'), engine).toEqual(['t-tricky0003']);
      expect(by('Ilker Kesen'), engine).toEqual(['t-tricky0003']);
      expect(by('Anđela Ciric'), engine).toEqual(['t-tricky0003']);
      expect(by('yang li'), engine).toEqual(['t-tricky0004']);
      expect(by('filip novak'), engine).toEqual(['t-tricky0004']);
      expect(by('王伟'), engine).toEqual(['t-tricky0004']);
      expect(by('Sebastien Bubeck'), engine).toEqual(['t-tricky0004', 't-tricky0008']);
      expect(by('Andres Marafioti'), engine).toEqual(['t-tricky0007']);
      expect(by('Colour Harbour'), engine).toEqual(['t-tricky0006']);
      const orgs = (name: string) => facts.findOrgs(name).map((o) => o.name);
      expect(orgs('bytedance seed'), engine).toEqual(['ByteDance Seed']);
      expect(orgs('ByteDance-Seed'), engine).toEqual(['ByteDance Seed']);
      expect(orgs('Show Lab'), engine).toEqual(['Show Lab']);
      expect(orgs('show'), engine).toEqual(['Show Lab']);
      expect(orgs('show me'), engine).toEqual([]);
      expect(orgs('the'), engine).toEqual(['The University of Hong Kong']);
      expect(orgs('NVIDIA'), engine).toEqual(['NVIDIA']);
      expect(orgs('y-lab'), engine).toEqual(['A']);
    }
  });
});
