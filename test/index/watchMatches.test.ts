import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaperIndex } from '../../src/index/paperIndex.js';
import { openSqliteIndex, writeSqliteIndex } from '../../src/index/sqliteIndexFile.js';
import { SqliteWatchMatches } from '../../src/index/sqliteWatchMatches.js';
import { hasPositivePart, parseWatch, watchMatcher } from '../../src/index/watchMatch.js';
import type { Paper } from '../../src/model/paper.js';
import { parseCorpus } from '../../src/parser/corpus.js';
import { CORPUS_DIR } from '../helpers/fixtures.js';
import { prng } from '../helpers/prng.js';
import { loadSeeds } from '../helpers/seeds.js';

/**
 * A watch's matches asked of the index (the SQLite file's FTS5 table, the in-memory catalog)
 * against the walk over every paper the rule was first answered with: the same count and the
 * same latest papers in the same order, for many watches on the seeds and the corpus sample.
 */

const SHOWN = 10;
let tmp: string;

interface Library {
  name: string;
  papers: Paper[];
  memory: PaperIndex;
  file: PaperIndex;
  /** The file's question with every match list found by the walk back over digest days. */
  byDays: SqliteWatchMatches;
  db: Database.Database;
}
const libraries: Library[] = [];

async function library(name: string, papers: Paper[], dates: string[]): Promise<Library> {
  const path = join(tmp, `${name}.sqlite`);
  writeSqliteIndex(path, papers, dates, null);
  const db = new Database(path, { readonly: true });
  const lib = { name, papers, memory: PaperIndex.build(papers, dates), file: openSqliteIndex(path).index, db, byDays: new SqliteWatchMatches(db, (n) => papers[n]!, 0) };
  libraries.push(lib);
  return lib;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'paperbot-watch-matches-'));
  const seeds = await loadSeeds();
  await library(
    'seeds',
    seeds.papers,
    seeds.digests.map((d) => d.date),
  );
  const read = (file: string) => readFileSync(join(CORPUS_DIR, file), 'utf8');
  const corpus = parseCorpus('papers.jsonl', read('papers.jsonl'), 'days.jsonl', read('days.jsonl'));
  await library(
    'corpus',
    corpus.papers,
    corpus.digests.map((d) => d.date),
  );
});
afterAll(async () => {
  for (const lib of libraries) {
    lib.file.close();
    lib.byDays.close();
    lib.db.close();
  }
  await rm(tmp, { recursive: true, force: true });
});

/** The walk the watch commands used: every paper through the rule, sorted latest digest first, then upvotes. */
function walked(lib: Library, query: string): { total: number; latest: string[] } {
  const latestDigest = (p: Paper) => p.digests.at(-1)?.date ?? '';
  const matches = lib.papers.filter(watchMatcher(query, lib.memory.acronyms())).sort((a, b) => latestDigest(b).localeCompare(latestDigest(a)) || b.upvotes - a.upvotes);
  return { total: matches.length, latest: matches.slice(0, SHOWN).map((p) => p.id) };
}

const strip = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/** Hand-picked watches of every kind, then some drawn from the library's own words, names and organisations. */
function watches(lib: Library, draws: number): string[] {
  const fixed = [
    'diffusion video',
    'diffusion -video',
    'video -diffusion -text-to-video',
    'moe',
    'MoE routing',
    'mixture of experts',
    'mixture-of-experts -moe',
    'llm',
    'large language models',
    'rag',
    'retrieval augmented generation',
    'lora',
    'vit',
    'rlhf -dpo',
    'kv cache',
    'GPT-4o',
    'text-to-video',
    'vision–language',
    'reinforcement learning -llm',
    'the of',
    'schrödinger',
    'naïve',
    'Erdős',
    'Fréchet',
    'π',
    'ε',
    'zzqxv',
    'author:Dao',
    'author:"Tri Dao"',
    'author:"Trí Đao"',
    'author:zhang',
    'author:"Iclal Cetin"',
    'author:cetin',
    'author:"Ozgur Ugur"',
    'author:"Lukas Burget"',
    'author:Schon',
    'author:Tramer',
    'author:Yilmaz',
    'author:will',
    'org:nvidia',
    'org:"google deepmind"',
    'org:google',
    'org:meta',
    'org:microsoft diffusion',
    'org:alibaba -video',
    'org:zzqxv',
  ];
  const random = prng(lib.papers.length);
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
  const drawn: string[] = [];
  for (let i = 0; i < draws; i++) {
    const paper = pick(lib.papers)!;
    const words = paper.title.split(/\s+/).filter((w) => w.length > 3);
    const author = pick(paper.authors);
    drawn.push(words.slice(0, 2).join(' '), `${pick(words) ?? ''} -${pick(words) ?? ''}`);
    if (author) drawn.push(`author:"${author}"`, `author:"${strip(author)}"`, `author:${author.split(' ').at(-1)}`, `${pick(words) ?? ''} author:"${author}"`);
    if (paper.organization) drawn.push(`org:${paper.organization.handle}`, `org:"${paper.organization.name}"`);
  }
  // Names written with letters beyond ASCII, asked for as written and without their accents.
  const accented = [...new Set(lib.papers.flatMap((p) => p.authors).filter((a) => /[^ -~]/.test(a)))].slice(0, draws);
  for (const a of accented) drawn.push(`author:"${a}"`, `author:"${strip(a)}"`, `author:${strip(a).split(' ').at(-1)}`);
  return [...new Set([...fixed, ...drawn])].filter((q) => hasPositivePart(parseWatch(q)));
}

describe('a watch’s matches asked of the index', () => {
  // The walk they are checked against reads every paper's title and abstract per watch: slow on the corpus.
  it.each([
    ['seeds', 40],
    ['corpus', 8],
  ] as const)('are the walk’s count and latest papers on the %s, on both engines', { timeout: 300_000 }, (name, draws) => {
    const lib = libraries.find((l) => l.name === name)!;
    const queries = watches(lib, draws);
    expect(queries.length).toBeGreaterThan(60);
    let matching = 0;
    let many = 0;
    let accented = 0;
    for (const query of queries) {
      const expected = walked(lib, query);
      if (expected.total > 0) matching++;
      if (expected.total > SHOWN) many++;
      if (/[^ -~]/.test(query) && expected.total > 0) accented++;
      for (const [engine, index] of [
        ['memory', lib.memory],
        ['file', lib.file],
      ] as const) {
        const got = index.watchMatches(query, SHOWN);
        expect({ total: got.total, latest: got.latest.map((p) => p.id) }, `${engine}: ${query}`).toEqual(expected);
      }
      expect(lib.file.watchMatches(query).total, `count only: ${query}`).toBe(expected.total);
      const byDays = lib.byDays.matches(query, lib.memory.acronyms(), SHOWN);
      expect({ total: byDays.total, latest: byDays.latest.map((p) => p.id) }, `by days: ${query}`).toEqual(expected);
    }
    // The comparison means something only when many watches match, some more than are shown, some by accented names.
    expect(matching).toBeGreaterThan(queries.length / 2);
    expect(many).toBeGreaterThan(10);
    expect(accented).toBeGreaterThan(name === 'corpus' ? 10 : 0);
  });

  it('finds a paper by an author written with a capital İ when the watch writes a plain I', () => {
    const lib = libraries.find((l) => l.name === 'corpus')!;
    const author = lib.papers.flatMap((p) => p.authors).find((a) => a.startsWith('İ'));
    expect(author).toBeDefined();
    const query = `author:"${strip(author!)}"`;
    expect(query).not.toContain('İ');
    const got = lib.file.watchMatches(query, SHOWN);
    expect(got.total).toBeGreaterThan(0);
    expect(got.latest.every((p) => p.authors.includes(author!))).toBe(true);
  });
});
