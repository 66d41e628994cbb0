import Database from 'better-sqlite3';
import type { EngineDocument, EngineKind, EngineMatch, EngineQuery, EngineSearchOptions, Field, SearchEngine, TermQuery } from './engine.js';
import { FIELDS } from './engine.js';
import { tokenize, toTerm } from './terms.js';

/**
 * SQLite FTS5 (the better-sqlite3 build has it) as the engine. Documents are stored as their
 * index terms (terms.ts: stemmed, stop words out; letters and digits only), so FTS5's own
 * tokenizer only splits on the spaces between them. No positions are kept (detail = column):
 * every query term is one token, never a phrase of several. A search is an FTS5 query (each term an
 * OR of its prefix and typo variants, each group an AND of its terms), narrowed to its rarer parts
 * and titles while it matches too many rows (see candidateTiers). Its rows are the candidates, or
 * past SearchBudget.allScored of them the best by bm25() (see `best`). The candidates' stored
 * terms are then scored as FTS5's bm25() scores them, per term with its variant's weight, and the
 * scores add up per document as MiniSearch adds its terms', times the number of query terms
 * matched. The vocabulary questions go to a table of
 * the terms with their document counts (fts5vocab counts by reading a term's whole posting
 * list), by length and first letters for typos; fts5vocab serves the rarer ones.
 */
export const ENGINE_SCHEMA = `
  CREATE VIRTUAL TABLE docs USING fts5(title, abstract, people, tokenize = "unicode61 remove_diacritics 0", detail = column);
  CREATE VIRTUAL TABLE vocab_row USING fts5vocab(docs, row);
  CREATE VIRTUAL TABLE vocab_col USING fts5vocab(docs, col);
  CREATE VIRTUAL TABLE vocab_instance USING fts5vocab(docs, instance);
  CREATE TABLE terms (term TEXT PRIMARY KEY, len INTEGER NOT NULL, tail TEXT NOT NULL, docs INTEGER NOT NULL, title INTEGER NOT NULL, abstract INTEGER NOT NULL, people INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX terms_by_length ON terms (len, term);
  CREATE INDEX terms_by_tail ON terms (len, tail);
  CREATE INDEX terms_by_documents ON terms (docs);
  CREATE TABLE engine_facts (name TEXT PRIMARY KEY, value REAL NOT NULL) WITHOUT ROWID;
`;

/** A document number is its rowid minus one: FTS5 rowids start at 1. */
export const ROWID_OFFSET = 1;

/** FTS5's bm25() constants. */
const K1 = 1.2;
const B = 0.75;
/** Prefix and typo variants searched per query term, the most used first: a short prefix can have thousands. */
const MAX_PREFIX_VARIANTS = 50;
const MAX_FUZZY_VARIANTS = 20;
/** Candidates scored per result asked for. */
const CANDIDATES_PER_RESULT = 1.5;
/** How many rows a search reads, at most, at each step: bounds on its time in a large library. */
export interface SearchBudget {
  /** Candidates scored per search, at least. */
  minCandidates: number;
  /** Matching rows as many as this are all scored here, without bm25() choosing among them. */
  allScored: number;
  /** Matching rows ranked by bm25() at most, the newest: a word in more titles than this is looked for among its newest papers. */
  rankedRows: number;
  /** Postings of a query's terms past which bm25() is not asked (its first call reads them all): the newest rows are scored here instead. */
  rankedPostings: number;
  /** Matching rows the first candidate query reaches, about: the parts of a query matching more are looked for in titles only, and past that left out of the choice. */
  firstRows: number;
}

export const SEARCH_BUDGET: SearchBudget = { minCandidates: 300, allScored: 2_000, rankedRows: 5_000, rankedPostings: 200_000, firstRows: 3_000 };

/** Fills an engine's tables (ENGINE_SCHEMA) with the documents, numbered in order; in the caller's transaction. */
export function writeDocuments(db: Database.Database, documents: readonly EngineDocument[]): void {
  const insert = db.prepare('INSERT INTO docs (rowid, title, abstract, people) VALUES (?, ?, ?, ?)');
  let tokens = 0;
  documents.forEach((d, i) => {
    const fields = [termsOf(d.title), termsOf(d.abstract), termsOf(d.people)] as const;
    for (const text of fields) if (text.length > 0) tokens += termCount(text);
    insert.run(i + ROWID_OFFSET, ...fields);
  });
  // fts5vocab counts a term's documents by reading its whole posting list: counted once here.
  const byColumn = new Map<string, Record<Field, number>>();
  for (const r of db.prepare<[], { term: string; col: Field; doc: number }>('SELECT term, col, doc FROM vocab_col').all()) {
    const counts = byColumn.get(r.term) ?? { title: 0, abstract: 0, people: 0 };
    counts[r.col] = r.doc;
    byColumn.set(r.term, counts);
  }
  const term = db.prepare('INSERT INTO terms (term, len, tail, docs, title, abstract, people) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const v of db.prepare<[], { term: string; doc: number }>('SELECT term, doc FROM vocab_row').all()) {
    const c = byColumn.get(v.term)!;
    term.run(v.term, v.term.length, v.term.slice(1), v.doc, c.title, c.abstract, c.people);
  }
  const fact = db.prepare('INSERT INTO engine_facts (name, value) VALUES (?, ?)');
  fact.run('documents', documents.length);
  fact.run('tokens', tokens);
  // One b-tree per index: fewer segments to merge at query time.
  db.exec("INSERT INTO docs (docs) VALUES ('optimize')");
}

interface Variant {
  term: string;
  weight: number;
}

/** One query term with the variants it matches. */
interface Expanded {
  query: TermQuery;
  variants: Variant[];
}

interface Candidate {
  rowid: number;
  title: string;
  abstract: string;
  people: string;
}

export class SqliteEngine implements SearchEngine {
  readonly name = 'sqlite';
  readonly documentCount: number;
  /** Average document length in terms, as bm25() takes it. */
  private readonly averageLength: number;
  private readonly statements;
  /** The last candidate query's rows, for the same search (its options): its two sides often narrow to the same query. */
  private lastCandidates?: { key: string; options: EngineSearchOptions; rows: Candidates };

  constructor(
    private readonly db: Database.Database,
    private readonly budget: SearchBudget = SEARCH_BUDGET,
  ) {
    const fact = (name: string) => db.prepare<[string], { value: number }>('SELECT value FROM engine_facts WHERE name = ?').get(name)?.value ?? 0;
    this.documentCount = fact('documents');
    this.averageLength = this.documentCount > 0 ? fact('tokens') / this.documentCount : 1;
    this.statements = {
      candidates: db
        .prepare<[{ query: string; since: number; title: number; abstract: number; people: number; limit: number }], number>(
          'SELECT rowid FROM docs WHERE docs MATCH @query AND rowid >= @since ORDER BY bm25(docs, @title, @abstract, @people) LIMIT @limit',
        )
        .pluck(),
      nthNewest: db.prepare<[string, number], number>('SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?').pluck(),
      candidatesAmong: db
        .prepare<[{ query: string; rows: string; title: number; abstract: number; people: number; limit: number }], number>(
          'SELECT rowid FROM docs WHERE docs MATCH @query AND rowid IN (SELECT value FROM json_each(@rows)) ORDER BY bm25(docs, @title, @abstract, @people) LIMIT @limit',
        )
        .pluck(),
      // The candidates' text, from FTS5's content table in one read: read with the bm25() sort, every match's would be.
      texts: db.prepare<[string], Candidate>('SELECT c.id AS rowid, c.c0 AS title, c.c1 AS abstract, c.c2 AS people FROM json_each(?) AS j JOIN docs_content AS c ON c.id = j.value'),
      newest: db.prepare<[string, number], number>('SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rowid DESC LIMIT ?').pluck(),
      count: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM docs WHERE docs MATCH ?'),
      rowids: db.prepare<[string], number>('SELECT rowid FROM docs WHERE docs MATCH ?').pluck(),
      has: db.prepare<[string], { doc: number }>('SELECT docs AS doc FROM terms WHERE term = ?'),
      column: Object.fromEntries(FIELDS.map((f) => [f, db.prepare<[string], number>(`SELECT ${f} FROM terms WHERE term = ?`).pluck()])) as Record<Field, Database.Statement<[string], number>>,
      distinct: db.prepare<[string], { doc: number; col: string }>('SELECT DISTINCT doc, col FROM vocab_instance WHERE term = ?'),
      prefix: db.prepare<[string, string], { term: string; doc: number }>('SELECT term, docs AS doc FROM terms WHERE term >= ? AND term < ?'),
      frequent: db.prepare<[number], { term: string }>('SELECT term FROM terms WHERE docs > ?'),
      byStart: db.prepare<[number, string, string], string>('SELECT term FROM terms WHERE len = ? AND term >= ? AND term < ?').pluck(),
      byTail: db.prepare<[number, string, string], string>('SELECT term FROM terms WHERE len = ? AND tail >= ? AND tail < ?').pluck(),
      documentsWith: db.prepare<[string, string, number], { doc: number }>('SELECT DISTINCT doc FROM vocab_instance WHERE term = ? AND col = ? LIMIT ?'),
    };
  }

  search(query: EngineQuery, options: EngineSearchOptions): { total: number; matches: EngineMatch[] } {
    const groups = (query.allOf ?? []).filter((g) => g.length > 0);
    if (query.any.length === 0 && groups.length === 0) return { total: 0, matches: [] };
    const idf = new Map<string, number>();
    const expand = (t: TermQuery): Expanded => {
      const variants = this.variants(t, options);
      for (const v of variants) if (!idf.has(v.term)) idf.set(v.term, this.idf(v.term));
      return { query: t, variants };
    };
    const any = query.any.map(expand);
    const allOf = groups.map((g) => g.map(expand));
    // Each query term's expression and document counts, found once.
    const factsOf = (e: Expanded) => ({ expression: orOf(e), docs: this.docsOf(e), titles: this.docsOf(e, 'title') });
    // The same term twice in a group, or the same part twice, matches the same rows: each is asked of FTS5 once.
    const parts: Part[] = [
      ...any.map(factsOf).map((f) => ({ ...f, terms: [f.expression], postings: f.docs })),
      ...allOf.map((g) => {
        const facts = g.map(factsOf);
        const distinct = facts.filter((f, i) => facts.findIndex((other) => other.expression === f.expression) === i);
        return {
          expression: `(${distinct.map((f) => f.expression).join(' AND ')})`,
          terms: distinct.map((f) => f.expression),
          docs: Math.min(...facts.map((f) => f.docs)),
          titles: Math.min(...facts.map((f) => f.titles)),
          postings: distinct.reduce((sum, f) => sum + f.docs, 0),
        };
      }),
    ].filter((p, i, all) => all.findIndex((q) => q.expression === p.expression) === i);
    // A part wanting every term of another part matches none but its rows: the whole query leaves it out.
    const needed = parts.filter((p, i) => !parts.some((q, j) => j !== i && q.terms.every((t) => p.terms.includes(t)) && (q.terms.length < p.terms.length || j < i)));
    const whole: Tier = { expression: needed.map((p) => p.expression).join(' OR '), postings: needed.reduce((sum, p) => sum + p.postings, 0) };
    const ftsQuery = whole.expression;
    const { title, abstract, people } = options.boost;
    const limit = Math.max(this.budget.minCandidates, Math.ceil(CANDIDATES_PER_RESULT * options.limit));
    const pool = Math.max(limit, this.budget.allScored);
    const candidates = (tier: Tier) => {
      const key = JSON.stringify([tier.expression, title, abstract, people, limit]);
      if (this.lastCandidates?.key !== key || this.lastCandidates.options !== options) {
        this.lastCandidates = { key, options, rows: this.best(tier, pool, { title, abstract, people, limit }) };
      }
      return this.lastCandidates.rows;
    };
    // A narrower tier serves when it brings as many candidates as results are asked for: the rest of a pool is filler.
    let rowids: number[] = [];
    let counted: number | undefined;
    for (const tier of candidateTiers(parts, whole, this.budget.firstRows)) {
      const rows = candidates(tier);
      rowids = rows.rowids;
      // Every row of the whole query in hand: their number is the total.
      counted = tier.expression === whole.expression && rows.all ? rowids.length : undefined;
      if (rowids.length >= options.limit) break;
    }
    let total: number;
    const accept = options.filter;
    if (accept) {
      // The best rows by the words alone may all be refused (few papers have code): then the candidates come from the accepted rows.
      const accepted = this.statements.rowids.all(ftsQuery).filter((rowid) => accept(rowid - ROWID_OFFSET));
      total = accepted.length;
      const kept = rowids.filter((rowid) => accept(rowid - ROWID_OFFSET));
      rowids =
        kept.length >= Math.min(options.limit, accepted.length)
          ? kept
          : accepted.length <= pool || whole.postings > this.budget.rankedPostings
            ? accepted.slice(-pool)
            : this.statements.candidatesAmong.all({ query: ftsQuery, rows: JSON.stringify(accepted), title, abstract, people, limit });
    } else total = counted ?? this.statements.count.get(ftsQuery)!.n;
    const texts = new Map(this.statements.texts.all(JSON.stringify(rowids)).map((row) => [row.rowid, row]));
    const matches: EngineMatch[] = [];
    for (const rowid of rowids) {
      const match = this.scored(rowid - ROWID_OFFSET, texts.get(rowid)!, any, allOf, idf, options);
      if (match) matches.push(match);
    }
    matches.sort((a, b) => b.score - a.score);
    return { total, matches: matches.slice(0, options.limit) };
  }

  /**
   * A tier's candidate rows, in rowid order: all of them when they are at most `pool`, all
   * scored here. Past that, the best by bm25() among the newest `rankedRows` (it costs per row it
   * ranks, and its first call reads every posting of the query's terms); where those postings
   * are too many, the newest `pool` rows (rowids follow paper order).
   */
  private best(tier: Tier, pool: number, ranking: { title: number; abstract: number; people: number; limit: number }): Candidates {
    const newest = this.statements.newest.all(tier.expression, pool + 1);
    if (newest.length <= pool) return { rowids: newest.reverse(), all: true };
    if (tier.postings > this.budget.rankedPostings) return { rowids: newest.slice(0, pool).reverse(), all: false };
    const since = this.statements.nthNewest.get(tier.expression, this.budget.rankedRows - 1) ?? 0;
    return { rowids: this.statements.candidates.all({ query: tier.expression, since, ...ranking }), all: false };
  }

  /** A term and its prefix and typo variants, weighted as MiniSearch weights them. */
  private variants(t: TermQuery, options: EngineSearchOptions): Variant[] {
    const variants = new Map<string, number>([[t.term, 1]]);
    if (t.prefix) {
      const longer = this.statements.prefix
        .all(t.term, `${t.term}\u{10FFFF}`)
        .filter((r) => r.term !== t.term)
        .sort((a, b) => b.doc - a.doc)
        .slice(0, MAX_PREFIX_VARIANTS);
      for (const { term } of longer) variants.set(term, (options.weights.prefix * term.length) / (term.length + 0.3 * (term.length - t.term.length)));
    }
    if (t.fuzzy) {
      const near = [...this.termsNear(t.term, t.fuzzy)].filter(([term, distance]) => distance > 0 && !variants.has(term));
      near.sort((a, b) => a[1] - b[1]);
      for (const [term, distance] of near.slice(0, MAX_FUZZY_VARIANTS)) variants.set(term, (options.weights.fuzzy * term.length) / (term.length + distance));
    }
    return [...variants].map(([term, weight]) => ({ term, weight }));
  }

  /** How many documents a query term matches, at most (its variants' counts added up). */
  private docsOf(e: Expanded, field?: Field): number {
    return e.variants.reduce((sum, v) => sum + this.documentFrequency(v.term, field ? [field] : FIELDS), 0);
  }

  /** bm25()'s inverse document frequency of a term. */
  private idf(term: string): number {
    const n = this.documentFrequency(term);
    const idf = Math.log((this.documentCount - n + 0.5) / (n + 0.5));
    return idf <= 0 ? 1e-6 : idf;
  }

  /**
   * A candidate's score from its stored terms: per query term, the bm25() of each variant it
   * has times the variant's weight; a group counts only when the document has every term of it.
   */
  private scored(
    doc: number,
    row: Candidate,
    any: readonly Expanded[],
    allOf: readonly (readonly Expanded[])[],
    idf: ReadonlyMap<string, number>,
    options: EngineSearchOptions,
  ): EngineMatch | undefined {
    const counts = new Map<string, number>();
    let length = 0;
    for (const field of FIELDS) {
      const text = row[field];
      if (text.length === 0) continue;
      length += termCount(text);
      const weight = options.boost[field];
      for (const term of idf.keys()) {
        const n = occurrences(text, term);
        if (n > 0) counts.set(term, (counts.get(term) ?? 0) + n * weight);
      }
    }
    const norm = K1 * (1 - B + (B * length) / this.averageLength);
    const termScore = (e: Expanded, terms: Set<string>): number => {
      let score = 0;
      for (const v of e.variants) {
        const f = counts.get(v.term);
        if (f === undefined) continue;
        terms.add(v.term);
        score += ((idf.get(v.term)! * (f * (K1 + 1))) / (f + norm)) * v.weight * (e.query.boost ?? 1);
      }
      return score;
    };
    const has = (e: Expanded) => e.variants.some((v) => counts.has(v.term));
    let score = 0;
    const queryTerms: string[] = [];
    const terms = new Set<string>();
    const count = (e: Expanded) => {
      score += termScore(e, terms);
      if (!queryTerms.includes(e.query.term)) queryTerms.push(e.query.term);
    };
    for (const e of any) if (has(e)) count(e);
    for (const group of allOf) if (group.every(has)) group.forEach(count);
    if (queryTerms.length === 0) return undefined;
    return { doc, score: score * queryTerms.length, queryTerms, terms };
  }

  has(term: string): boolean {
    return this.statements.has.get(term) !== undefined;
  }

  documentFrequency(term: string, fields: readonly Field[] = FIELDS): number {
    if (fields.length === FIELDS.length) return this.statements.has.get(term)?.doc ?? 0;
    if (fields.length === 1) return this.statements.column[fields[0]!].get(term) ?? 0;
    return new Set(
      this.statements.distinct
        .all(term)
        .filter((r) => fields.includes(r.col as Field))
        .map((r) => r.doc),
    ).size;
  }

  termsWithPrefix(prefix: string): string[] {
    return this.statements.prefix.all(prefix, `${prefix}\u{10FFFF}`).map((r) => r.term);
  }

  /**
   * Index terms within `maxEdits` of `term` among those of a near length that start with its
   * first or second letter, or whose second letter is one of those: every typo but one that
   * changes both first letters. Bounded index range reads, never the whole vocabulary.
   */
  termsNear(term: string, maxEdits: number): Map<string, number> {
    const near = new Map<string, number>();
    if (term.length === 0) return near;
    const starts = [...new Set([term[0]!, term[1] ?? term[0]!])];
    for (let len = Math.max(1, term.length - maxEdits); len <= term.length + maxEdits; len++) {
      for (const start of starts) {
        const upper = `${start}\u{10FFFF}`;
        for (const candidate of [...this.statements.byStart.all(len, start, upper), ...this.statements.byTail.all(len, start, upper)]) {
          if (near.has(candidate)) continue;
          const distance = editsWithin(term, candidate, maxEdits);
          if (distance <= maxEdits) near.set(candidate, distance);
        }
      }
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

/** How often `term` is in `text` (terms separated by single spaces). */
function occurrences(text: string, term: string): number {
  let n = 0;
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + term.length)) {
    const end = at + term.length;
    if ((at === 0 || text.charCodeAt(at - 1) === SPACE) && (end === text.length || text.charCodeAt(end) === SPACE)) n++;
  }
  return n;
}

const SPACE = 0x20;

/** How many terms a field's stored text has. */
function termCount(text: string): number {
  let n = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === SPACE) n++;
  return n;
}

/** One part of a search (a query term, or a group of terms all wanted) with how many documents have it, at most, and how many in their titles. */
interface Part {
  expression: string;
  /** The expressions of the terms it wants, every one. */
  terms: string[];
  docs: number;
  titles: number;
  /** Postings of its terms, added up: what bm25()'s first call reads. */
  postings: number;
}

/** A tier's candidate rows, and whether they are all its rows. */
interface Candidates {
  rowids: number[];
  all: boolean;
}

/** A candidate query, with the postings of its terms. */
interface Tier {
  expression: string;
  postings: number;
}

/**
 * The candidate queries to try in turn, narrowest first; the first bringing enough rows serves.
 * bm25() costs per matching row, so the first reaches about `firstRows` rows: the rarest parts
 * whole, the others by their papers saying them in the title, and those still too many left
 * out (left-out parts are scored all the same). The next adds the cheapest way in of one
 * part left out; then every part, frequent ones in titles; last the whole query.
 */
function candidateTiers(parts: readonly Part[], all: Tier, firstRows: number): Tier[] {
  const byDocs = [...parts].sort((a, b) => a.docs - b.docs);
  let budget = firstRows;
  const whole = byDocs.filter((p) => p.docs <= budget && (budget -= p.docs) >= 0);
  // A part no title has brings nothing in titles: it comes in whole or not at all.
  const titled = byDocs.filter((p) => !whole.includes(p)).sort((a, b) => a.titles - b.titles);
  const fitting = titled.filter((p) => p.titles > 0 && p.titles <= budget && (budget -= p.titles) >= 0);
  const first = [...whole, ...fitting.map(inTitles)];
  const cheapest = titled
    .filter((p) => !fitting.includes(p))
    .map((p) => (p.titles > 0 && p.titles < p.docs ? { rows: p.titles, tier: inTitles(p) } : { rows: p.docs, tier: p }))
    .sort((a, b) => a.rows - b.rows)[0];
  const tiers = [first, ...(cheapest ? [[...first, cheapest.tier]] : []), [...whole, ...titled.map(inTitles)]].map(
    (tier): Tier => ({ expression: tier.map((t) => t.expression).join(' OR '), postings: tier.reduce((sum, t) => sum + t.postings, 0) }),
  );
  return [...tiers, all].filter((tier, i, list) => tier.expression !== '' && list.findIndex((t) => t.expression === tier.expression) === i);
}

/** A part of a search matched in titles only (bm25() still reads all its postings). */
function inTitles(p: Tier): Tier {
  return { expression: `title : (${p.expression})`, postings: p.postings };
}

/** An index term as an FTS5 string: a term is never read as an operator or a column name. */
export function ftsTerm(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/** FTS5 expressions as one matching any of them. */
export function anyOf(expressions: readonly string[]): string {
  return expressions.length === 1 ? expressions[0]! : `(${expressions.join(' OR ')})`;
}

/** A query term's variants as an FTS5 expression. */
function orOf(e: Expanded): string {
  return anyOf(e.variants.map((v) => ftsTerm(v.term)));
}

/**
 * The edit distance between `a` and `b` when it is at most `max`, else max + 1: Levenshtein row
 * by row, given up as soon as a whole row is past `max` (most candidates are, after a few letters).
 */
function editsWithin(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
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
    db.exec(ENGINE_SCHEMA);
    db.transaction(() => writeDocuments(db, documents))();
    return new SqliteEngine(db);
  },
  async load(saved) {
    const db = new Database(Buffer.from(saved.buffer, saved.byteOffset, saved.byteLength));
    // A file that is no index of ours fails here rather than at the first search.
    db.prepare('SELECT count(*) FROM engine_facts').get();
    db.exec("INSERT INTO docs(docs) VALUES ('integrity-check')");
    return new SqliteEngine(db);
  },
};
