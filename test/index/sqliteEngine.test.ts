import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { EngineQuery, EngineSearchOptions } from '../../src/index/engine.js';
import { documentOf } from '../../src/index/paperIndex.js';
import { ENGINE_SCHEMA, SEARCH_BUDGET, SqliteEngine, sqliteEngine, writeDocuments } from '../../src/index/sqliteEngine.js';
import { toTerm } from '../../src/index/terms.js';
import { loadSeeds } from '../helpers/seeds.js';
import { runEngineContract } from './engineContract.js';

runEngineContract(sqliteEngine);

const OPTIONS: EngineSearchOptions = { boost: { title: 3, abstract: 1, people: 1.5 }, weights: { prefix: 0.4, fuzzy: 0.3 }, limit: 10 };
const query = (...words: string[]): EngineQuery => ({ any: words.map((w) => ({ term: toTerm(w)! })), allOf: [words.map((w) => ({ term: toTerm(w)! }))] });

describe('the SQLite engine on a small search budget (as a large library meets it)', () => {
  it('still counts every match, and lists only real matches, best first', async () => {
    const papers = (await loadSeeds()).papers;
    const db = new Database(':memory:');
    db.exec(ENGINE_SCHEMA);
    db.transaction(() => writeDocuments(db, papers.map(documentOf)))();
    const roomy = new SqliteEngine(db);
    // Rows past 20 are chosen by bm25() among the newest 40, or are the newest 20 where the query's postings pass 60.
    const tight = [
      new SqliteEngine(db, { minCandidates: 15, allScored: 20, rankedRows: 40, rankedPostings: 1e9, firstRows: 30 }),
      new SqliteEngine(db, { ...SEARCH_BUDGET, minCandidates: 15, allScored: 20, rankedPostings: 60 }),
    ];
    let broad = 0;
    for (const words of [['model'], ['language', 'model'], ['diffusion'], ['video', 'generation'], ['reinforcement', 'learning'], ['agent']]) {
      const expected = roomy.search(query(...words), { ...OPTIONS, limit: papers.length });
      if (expected.total > 20) broad++;
      const matching = new Set(expected.matches.map((m) => m.doc));
      expect(matching.size).toBe(expected.total);
      for (const engine of tight) {
        const found = engine.search(query(...words), OPTIONS);
        expect(found.total, words.join(' ')).toBe(expected.total);
        expect(found.matches.length).toBe(Math.min(OPTIONS.limit, expected.total));
        for (const m of found.matches) expect(matching.has(m.doc)).toBe(true);
        const scores = found.matches.map((m) => m.score);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
      }
    }
    // Most of these match more rows than the small budget scores.
    expect(broad).toBeGreaterThanOrEqual(4);
    db.close();
  });
});
