import { describe, expect, it } from 'vitest';
import { parseDigestText } from '../../src/parser/digestText.js';
import { titleKey } from '../../src/parser/text.js';
import { readSeed, seedFiles, TODAY } from '../helpers/seeds.js';

const opts = { today: TODAY };
const parse = (name: string, raw: string, o: { today: string; digestYear?: number } = opts) => parseDigestText(name, raw, o);

/** A tiny digest page in the seeds' layout, for the variants and breakages below. */
const PAGE = (date: string, body: string) => `Daily Papers\n\nbyAK and the research community\n\n${date}\n\n${body}`;
const ENTRY = (title: string, abstract: string, meta = '  • 3 authors\n·\nAug 20') => `${title}\n\n${abstract}\n\n${meta}\n\n`;
const ABSTRACT = 'We study a problem. We propose a method that works well on benchmarks. It is fast.';

describe('seed digests', () => {
  it('reads every entry of the four seeds exactly', () => {
    const counts = seedFiles().map((f) => parse(f, readSeed(f)).papers.length);
    expect(counts).toEqual([59, 47, 45, 65]);
  });

  it('finds 204 distinct titles and 6 entries without metadata, with no errors', () => {
    const results = seedFiles().map((f) => parse(f, readSeed(f)));
    const papers = results.flatMap((r) => r.papers);
    expect(new Set(papers.map((p) => titleKey(p.title))).size).toBe(204);
    expect(papers.filter((p) => p.authorCount === undefined && !p.organization && !p.published)).toHaveLength(6);
    expect(results.flatMap((r) => r.issues).filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('reads the page date and numbers entries in page order', () => {
    const r = parse('000.txt', readSeed(seedFiles()[0]!));
    expect(r.digests[0]).toMatchObject({ date: '2025-12-10', yearInferred: true, entries: 59 });
    expect(r.papers.map((p) => p.digests[0]!.rank)).toEqual(Array.from({ length: 59 }, (_, i) => i + 1));
    expect(r.papers[0]!.title).toBe('WeedSense: Multi-Task Learning for Weed Segmentation, Height Estimation, and Growth Stage Classification');
  });
});

describe('metadata variants', () => {
  it('reads author counts, organisations, explicit years and upvotes', () => {
    const raw = PAGE(
      'Dec 10',
      ENTRY('Paper One', ABSTRACT, '  • 5 authors\n·\nAug 20') +
        ENTRY('Paper Two', ABSTRACT, 'Alibaba-NLP Alibaba-NLP\n·\nOct 31 1') +
        ENTRY('Paper Three', ABSTRACT, 'ByteDance-Seed ByteDance Seed\n·\nMar 11, 2024 4') +
        ENTRY('Paper Four', ABSTRACT, '  • 1 authors\n·\nJan 9, 2024'),
    );
    const [one, two, three, four] = parse('v.txt', raw).papers;
    expect(one).toMatchObject({ authorCount: 5, published: '2025-08-20', publishedYearInferred: true, upvotes: 0 });
    expect(two).toMatchObject({ organization: { handle: 'Alibaba-NLP', name: 'Alibaba-NLP' }, published: '2025-10-31', upvotes: 1 });
    expect(three).toMatchObject({ organization: { handle: 'ByteDance-Seed', name: 'ByteDance Seed' }, published: '2024-03-11', upvotes: 4 });
    expect(three!.publishedYearInferred).toBeUndefined();
    expect(four).toMatchObject({ authorCount: 1, published: '2024-01-09' });
  });

  it('keeps an entry without metadata and the one after it', () => {
    const raw = PAGE('Dec 10', `Bare Paper\n\n${ABSTRACT}\n\n` + ENTRY('Next Paper', ABSTRACT));
    const r = parse('bare.txt', raw);
    expect(r.papers.map((p) => p.title)).toEqual(['Bare Paper', 'Next Paper']);
    expect(r.papers[0]!.authorCount).toBeUndefined();
  });

  it('joins a title broken over two lines', () => {
    const r = parse('wrap.txt', PAGE('Dec 10', ENTRY('A Very Long Title That\n  Wraps Onto A Second Line', ABSTRACT)));
    expect(r.papers[0]!.title).toBe('A Very Long Title That Wraps Onto A Second Line');
  });
});

describe('year inference', () => {
  const DAY_AFTER = '2026-12-01';
  const dated = (meta: string) => `  • 2 authors\n·\n${meta}`;

  it("takes the page's own evidence: the year after the latest year it prints, for the page and its year-less entries", () => {
    const page = PAGE('Nov 13', ENTRY('Old', ABSTRACT, dated('Apr 29, 2020')) + ENTRY('New', ABSTRACT, dated('Aug 20')));
    for (const today of ['2026-11-23', DAY_AFTER, '2030-01-01']) {
      const r = parse('a.txt', page, { today });
      expect(r.digests[0]!.date, today).toBe('2021-11-13');
      expect(
        r.papers.map((p) => p.published),
        today,
      ).toEqual(['2020-04-29', '2021-08-20']);
      expect(r.issues.find((i) => i.line === 5)?.message).toMatch(/read as 2021-11-13 \(the year after the latest year the page prints, 2020\)/);
    }
  });

  it('never puts a page in the future, whatever its evidence says', () => {
    const r = parse('a.txt', PAGE('Dec 10', ENTRY('P', ABSTRACT, dated('Jan 3, 2026'))), { today: '2026-11-23' });
    expect(r.digests[0]!.date).toBe('2025-12-10');
  });

  it("falls back to today's clock only for a page that prints no year, and says so", () => {
    expect(parse('a.txt', PAGE('Nov 13', ENTRY('P', ABSTRACT)), { today: DAY_AFTER }).digests[0]!.date).toBe('2026-11-13');
    const r = parse('b.txt', PAGE('Dec 10', ENTRY('P', ABSTRACT)), { today: DAY_AFTER });
    expect(r.digests[0]!.date).toBe('2025-12-10');
    expect(r.pageYear).toMatchObject({ year: 2025, source: 'clock' });
    expect(r.issues.find((i) => i.line === 5)?.message).toMatch(/the page prints no year: taken from today's date.*set DIGEST_YEAR/);
  });

  it('uses the configured year instead, and then reports the page date as not inferred', () => {
    const r = parse('a.txt', PAGE('Nov 13', ENTRY('P', ABSTRACT)), { today: TODAY, digestYear: 2025 });
    expect(r.digests[0]).toMatchObject({ date: '2025-11-13', yearInferred: false });
    expect(r.inferred.filter((i) => i.text === 'Nov 13')).toEqual([]);
  });

  it('rolls an entry date back a year rather than publish it after its digest', () => {
    const r = parse('a.txt', PAGE('Jan 5', ENTRY('P', ABSTRACT, '  • 2 authors\n·\nDec 30')));
    expect(r.digests[0]!.date).toBe('2026-01-05');
    expect(r.papers[0]!.published).toBe('2025-12-30');
  });

  it('says which dates were inferred, with file and line', () => {
    const r = parse('a.txt', PAGE('Dec 10', ENTRY('P', ABSTRACT, '  • 2 authors\n·\nAug 20')));
    expect(r.inferred).toEqual([
      { file: 'a.txt', line: 5, text: 'Dec 10', date: '2025-12-10' },
      { file: 'a.txt', line: 13, text: 'Aug 20', date: '2025-08-20' },
    ]);
    expect(r.issues.some((i) => i.severity === 'warning' && i.line === 5 && /no year/.test(i.message))).toBe(true);
  });
});

describe('broken input never throws and loses only the bad part', () => {
  const seed = readSeed(seedFiles()[1]!);
  const good = parse('s.txt', seed).papers.map((p) => p.title);

  it.each([
    ['CRLF line ends', seed.replace(/\n/g, '\r\n')],
    ['a byte-order mark', '\uFEFF' + seed],
    ['tabs and trailing spaces', seed.replace(/\n/g, ' \t \n').replace(/• /g, '•\t')],
    ['doubled blank lines', seed.replace(/\n\n/g, '\n\n\n\n')],
  ])('reads the same papers with %s', (_, raw) => {
    const r = parse('s.txt', raw);
    expect(r.papers.map((p) => p.title)).toEqual(good);
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('reads the same papers when the blank line before metadata is missing', () => {
    const r = parse('s.txt', seed.replace(/\n\n( {2}• \d+ authors)/g, '\n$1'));
    expect(r.papers.map((p) => p.title)).toEqual(good);
  });

  it('keeps every complete entry of a truncated file and reports the cut one', () => {
    const cut = seed.slice(0, seed.indexOf(good[10]!) + good[10]!.length + 2);
    const r = parse('cut.txt', cut);
    expect(r.papers.map((p) => p.title)).toEqual(good.slice(0, 10));
    const problem = r.issues.find((i) => i.severity === 'error')!;
    expect(problem.message).toMatch(/no abstract/);
    expect(cut.split('\n')[problem.line - 1]).toBe(good[10]);
  });

  it('reports an empty file', () => {
    expect(parse('empty.txt', '').issues).toMatchObject([{ file: 'empty.txt', line: 0, severity: 'error', message: expect.stringMatching(/empty/) }]);
    expect(parse('blank.txt', '\n\n  \n').papers).toEqual([]);
  });

  it('reports binary junk without reading it as papers', () => {
    const junk = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256)).toString('latin1');
    const r = parse('junk.txt', junk);
    expect(r.papers).toEqual([]);
    expect(r.issues[0]!.message).toMatch(/not text|no page date/);
  });

  it('reports a page without a header date', () => {
    const r = parse('nohead.txt', ENTRY('P', ABSTRACT));
    expect(r.papers).toEqual([]);
    expect(r.issues[0]).toMatchObject({ line: 1, severity: 'error', message: expect.stringMatching(/page date/) });
  });

  it('skips metadata with no entry before it, naming the line', () => {
    const r = parse('orphan.txt', PAGE('Dec 10', '  • 3 authors\n·\nAug 20\n\n' + ENTRY('Real Paper', ABSTRACT)));
    expect(r.papers.map((p) => p.title)).toEqual(['Real Paper']);
    expect(r.issues.find((i) => i.severity === 'error')).toMatchObject({ line: 7, message: expect.stringMatching(/metadata block without a title/) });
  });

  it('survives any cut of any seed', () => {
    for (const f of seedFiles()) {
      const raw = readSeed(f);
      for (let cut = 0; cut < raw.length; cut += 997) {
        const r = parse(f, raw.slice(0, cut));
        for (const p of r.papers) expect(p.title.length).toBeGreaterThan(0);
      }
    }
  });
});
