import Database from 'better-sqlite3';
import type { EngineDocument, EngineKind, EngineMatch, EngineQuery, EngineSearchOptions, Field, SearchEngine, TermQuery } from './engine.js';
import { FIELDS } from './engine.js';
import { tokenize, toTerm } from './terms.js';

/**
 * SQLite FTS5 (the better-sqlite3 build has it) as the engine. Documents are stored as their
 * index terms (terms.ts: stemmed, stop words out), so FTS5's own tokenizer only splits on the
 * spaces between them. Each query term, and each prefix or typo variant of it, is one FTS5
 * query ranked by bm25() with the field boosts as column weights; the scores add up per
 * document as MiniSearch adds its terms' scores, times the number of query terms matched.
 * The vocabulary questions go to fts5vocab tables.
 */
const SCHEMA = `
  CREATE VIRTUAL TABLE docs USING fts5(title, abstract, people, tokenize = "unicode61 remove_diacritics 0", prefix = '2 3');
  CREATE VIRTUAL TABLE vocab_row USING fts5vocab(docs, row);
  CREATE VIRTUAL TABLE vocab_col USING fts5vocab(docs, col);
  CREATE VIRTUAL TABLE vocab_instance USING fts5vocab(docs, instance);
`;

/** A document number is its rowid minus one: FTS5 rowids start at 1. */
const ROWID_OFFSET = 1;

interface Scored {
  score: number;
  queryTerms: string[];
  terms: Set<string>;
}

export class SqliteEngine implements SearchEngine {
  readonly name = 'sqlite';
  readonly documentCount: number;
  /** Every index term, read once for typo lookups (FTS5 has no edit-distance search). */
  private vocabulary: string[] | undefined;
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    this.documentCount = (db.prepare('SELECT count(*) AS n FROM docs').get() as { n: number }).n;
    this.statements = {
      match: db.prepare<[{ query: string; title: number; abstract: number; people: number }], { rowid: number; rank: number }>(
        'SELECT rowid, bm25(docs, @title, @abstract, @people) AS rank FROM docs WHERE docs MATCH @query',
      ),
      has: db.prepare<[string], { doc: number }>('SELECT doc FROM vocab_row WHERE term = ?'),
      column: db.prepare<[string, string], { doc: number }>('SELECT doc FROM vocab_col WHERE term = ? AND col = ?'),
      distinct: db.prepare<[string], { doc: number; col: string }>('SELECT DISTINCT doc, col FROM vocab_instance WHERE term = ?'),
      prefix: db.prepare<[string, string], { term: string }>('SELECT term FROM vocab_row WHERE term >= ? AND term < ?'),
      frequent: db.prepare<[number], { term: string }>('SELECT term FROM vocab_row WHERE doc > ?'),
      all: db.prepare<[], { term: string }>('SELECT term FROM vocab_row'),
      documentsWith: db.prepare<[string, string, number], { doc: number }>('SELECT DISTINCT doc FROM vocab_instance WHERE term = ? AND col = ? LIMIT ?'),
    };
  }

  search(query: EngineQuery, options: EngineSearchOptions): { total: number; matches: EngineMatch[] } {
    const groups = (query.allOf ?? []).filter((g) => g.length > 0);
    if (query.any.length === 0 && groups.length === 0) return { total: 0, matches: [] };
    const results = new Map<number, Scored>();
    for (const t of query.any) merge(results, this.termResults(t, options));
    for (const group of groups) {
      const parts = group.map((t) => this.termResults(t, options));
      // In the order of the last term's matches, as MiniSearch's AND gives them.
      for (const doc of parts.at(-1)!.keys()) if (parts.every((p) => p.has(doc))) for (const p of parts) merge(results, new Map([[doc, p.get(doc)!]]));
    }
    const kept: EngineMatch[] = [];
    for (const [doc, r] of results) {
      if (options.filter && !options.filter(doc)) continue;
      kept.push({ doc, score: r.score * (r.queryTerms.length || 1), queryTerms: r.queryTerms, terms: r.terms });
    }
    kept.sort((a, b) => b.score - a.score);
    return { total: kept.length, matches: kept.slice(0, options.limit) };
  }

  /** One query term with its prefix and typo variants, weighted as MiniSearch weights them. */
  private termResults(t: TermQuery, options: EngineSearchOptions): Map<number, Scored> {
    const results = new Map<number, Scored>();
    const variants = new Map<string, number>([[t.term, 1]]);
    if (t.prefix) {
      for (const term of this.termsWithPrefix(t.term)) {
        if (term !== t.term) variants.set(term, (options.weights.prefix * term.length) / (term.length + 0.3 * (term.length - t.term.length)));
      }
    }
    if (t.fuzzy) {
      for (const [term, distance] of this.termsNear(t.term, t.fuzzy)) {
        if (distance > 0 && !variants.has(term)) variants.set(term, (options.weights.fuzzy * term.length) / (term.length + distance));
      }
    }
    const { title, abstract, people } = options.boost;
    for (const [term, weight] of variants) {
      for (const row of this.statements.match.all({ query: phrase(term), title, abstract, people })) {
        // bm25() is negative, better matches lower.
        merge(results, new Map([[row.rowid - ROWID_OFFSET, { score: -row.rank * weight * (t.boost ?? 1), queryTerms: [t.term], terms: new Set([term]) }]]));
      }
    }
    return results;
  }

  has(term: string): boolean {
    return this.statements.has.get(term) !== undefined;
  }

  documentFrequency(term: string, fields: readonly Field[] = FIELDS): number {
    if (fields.length === FIELDS.length) return this.statements.has.get(term)?.doc ?? 0;
    if (fields.length === 1) return this.statements.column.get(term, fields[0]!)?.doc ?? 0;
    return new Set(this.statements.distinct.all(term).filter((r) => fields.includes(r.col as Field)).map((r) => r.doc)).size;
  }

  termsWithPrefix(prefix: string): string[] {
    return this.statements.prefix.all(prefix, `${prefix}\u{10FFFF}`).map((r) => r.term);
  }

  termsNear(term: string, maxEdits: number): Map<string, number> {
    this.vocabulary ??= this.statements.all.all().map((r) => r.term);
    const near = new Map<string, number>();
    for (const candidate of this.vocabulary) {
      if (Math.abs(candidate.length - term.length) > maxEdits) continue;
      const distance = editsWithin(term, candidate, maxEdits);
      if (distance <= maxEdits) near.set(candidate, distance);
    }
    return near;
  }

  documentsWith(term: string, field: Field, limit: number): number[] {
    return this.statements.documentsWith.all(term, field, limit).map((r) => r.doc - ROWID_OFFSET);
  }

  frequentTerms(minDocs: number, fields: readonly Field[]): Map<string, number> {
    const frequent = new Map<string, number>();
    for (const { term } of this.statements.frequent.all(minDocs)) {
      const docs = this.documentFrequency(term, fields);
      if (docs > minDocs) frequent.set(term, docs);
    }
    return frequent;
  }

  save(): Uint8Array {
    return this.db.serialize();
  }
}

/** Adds `more` into `into`: scores add up, matched terms join (as MiniSearch's OR combines). */
function merge(into: Map<number, Scored>, more: Map<number, Scored>): void {
  for (const [doc, r] of more) {
    const existing = into.get(doc);
    if (!existing) {
      into.set(doc, { score: r.score, queryTerms: [...r.queryTerms], terms: new Set(r.terms) });
      continue;
    }
    existing.score += r.score;
    for (const q of r.queryTerms) if (!existing.queryTerms.includes(q)) existing.queryTerms.push(q);
    for (const term of r.terms) existing.terms.add(term);
  }
}

/**
 * The edit distance between `a` and `b` when it is at most `max`, else max + 1: Levenshtein row
 * by row, given up as soon as a whole row is past `max` (most of the vocabulary is, after a few letters).
 */
function editsWithin(a: string, b: string, max: number): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      next.push(value);
      if (value < best) best = value;
    }
    if (best > max) return max + 1;
    row = next;
  }
  return Math.min(row[b.length]!, max + 1);
}

/** A term as an FTS5 string: quoted, so no word of it is read as an operator. */
function phrase(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/** A field's text as its index terms, space-separated. */
function termsOf(text: string): string {
  return tokenize(text)
    .flatMap((w) => toTerm(w) ?? [])
    .join(' ');
}

export const sqliteEngine: EngineKind = {
  name: 'sqlite',
  build(documents: readonly EngineDocument[]) {
    const db = new Database(':memory:');
    db.exec(SCHEMA);
    const insert = db.prepare('INSERT INTO docs (rowid, title, abstract, people) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (const [i, d] of documents.entries()) insert.run(i + ROWID_OFFSET, termsOf(d.title), termsOf(d.abstract), termsOf(d.people));
    })();
    return new SqliteEngine(db);
  },
  async load(saved) {
    const db = new Database(Buffer.from(saved.buffer, saved.byteOffset, saved.byteLength));
    // A file that is no index of ours fails here rather than at the first search.
    db.prepare('SELECT count(*) FROM docs').get();
    db.exec("INSERT INTO docs(docs) VALUES ('integrity-check')");
    return new SqliteEngine(db);
  },
};
