import Database from 'better-sqlite3';
import type { Paper } from '../model/paper.js';
import type { WatchMatches } from './catalog.js';
import { anyOf, ftsTerm, ROWID_OFFSET } from './sqliteEngine.js';
import { toTerm } from './terms.js';
import { byLatest, compileWatch, nameKey, type CompiledWatch } from './watchMatch.js';

/**
 * A watch's matches in an SQLite index file, from its FTS5 table (`docs`: each field as its
 * index terms) instead of a walk over every paper. The rule's parts become an FTS5 query that
 * every matching paper meets (words in title or abstract, names' words in people): its rows
 * are the candidates, each then held to the rule itself (compileWatch) on the terms the table
 * stores, and on the paper's record when the rule names people. Papers meeting a query that
 * is the rule itself (single-term words and left-out words, no names) are counted without
 * being read. The latest matches are found by walking the digest days back from the newest.
 */

/** Matches as many as this are read and sorted as watchMatch's callers sort them; more are listed by a walk back over digest days. */
const READ_TO_SORT = 2_000;

/** A part of the FTS5 query, and whether the papers meeting it are exactly those meeting that part of the rule. */
interface Part {
  fts: string;
  exact: boolean;
}

/** A word of a name as an index term can be accented in the paper and not in the watch: the people terms that are not plain ASCII, with their nameKey. */
interface ForeignTerm {
  term: string;
  key: string;
}

const PLAIN = /^[a-z0-9]+$/;

export class SqliteWatchMatches {
  private readonly statements;
  private tokenizer: Tokenizer | undefined;
  private foreign: ForeignTerm[] | undefined;

  /** `paper`: a paper as the catalog gives it (the listed ones are shown next). */
  constructor(
    db: Database.Database,
    private readonly paper: (n: number) => Paper,
    private readonly readToSort = READ_TO_SORT,
  ) {
    this.statements = {
      count: db.prepare<[string], number>('SELECT count(*) FROM docs WHERE docs MATCH ?').pluck(),
      rowids: db.prepare<[string], number>('SELECT rowid FROM docs WHERE docs MATCH ?').pluck(),
      // The fields from FTS5's content table, as the engine reads its candidates: through the FTS5 table's columns is slower.
      texts: db.prepare<[string], [number, string, string]>('SELECT c.id, c.c0, c.c1 FROM docs JOIN docs_content AS c ON c.id = docs.rowid WHERE docs MATCH ?').raw(),
      allTexts: db.prepare<[], [number, string, string]>('SELECT id, c0, c1 FROM docs_content').raw(),
      // The parts of a record names are matched on, without parsing all of it.
      people: db.prepare<[number], { authors: string; organization: string | null }>(
        "SELECT json_extract(json, '$.authors') AS authors, json_extract(json, '$.organization') AS organization FROM papers WHERE n = ?",
      ),
      upvotes: db.prepare<[number], number>('SELECT upvotes FROM papers WHERE n = ?').pluck(),
      // latestDigest, read from the record without parsing all of it.
      latest: db.prepare<[number], { latest: string; upvotes: number }>("SELECT coalesce(json_extract(json, '$.digests[#-1].date'), '') AS latest, upvotes FROM papers WHERE n = ?"),
      appearances: db.prepare<[], [string, number]>('SELECT date, paper FROM appearances ORDER BY date DESC, paper').raw(),
      peopleTerms: db.prepare<[], string>('SELECT term FROM terms WHERE people > 0').pluck(),
      isPeopleTerm: db.prepare<[string], number>('SELECT 1 FROM terms WHERE term = ? AND people > 0').pluck(),
      definition: db.prepare<[], string>("SELECT sql FROM sqlite_master WHERE name = 'docs'").pluck(),
    };
  }

  matches(query: string, acronyms: ReadonlyMap<string, string[]>, shown: number): WatchMatches {
    const watch = compileWatch(query, acronyms);
    if (!watch.positive) return { total: 0, latest: [] };
    const { candidates, sure, none } = this.queries(watch);
    if (none) return { total: 0, latest: [] };
    const matched = shown > 0 ? new Set<number>() : undefined;
    let total = 0;
    if (sure !== undefined) {
      if (matched) for (const rowid of this.statements.rowids.iterate(sure)) matched.add(rowid - ROWID_OFFSET);
      total += matched ? matched.size : this.statements.count.get(sure)!;
    }
    if (candidates !== sure) {
      const rows = candidates === undefined ? this.statements.allTexts.iterate() : this.statements.texts.iterate(sure === undefined ? candidates : `(${candidates}) NOT (${sure})`);
      for (const [rowid, title, abstract] of rows) {
        const n = rowid - ROWID_OFFSET;
        if (!this.holds(watch, n, title, abstract)) continue;
        total++;
        matched?.add(n);
      }
    }
    return { total, latest: matched ? this.latest(matched, shown).map((n) => this.paper(n)) : [] };
  }

  /** Lets go of the tokenizer's scratch database. */
  close(): void {
    this.tokenizer?.close();
  }

  /** Whether paper n meets the rule, read from the terms the table stores for its title and abstract, and from its record for names. */
  private holds(watch: CompiledWatch, n: number, title: string, abstract: string): boolean {
    // The fields as textTerms gives them: the title's terms then the abstract's, between spaces.
    if (watch.readsText && !watch.text(` ${[title, abstract].filter((f) => f.length > 0).join(' ')} `)) return false;
    if (watch.names.length === 0) return true;
    const people = this.statements.people.get(n)!;
    const paper = { authors: JSON.parse(people.authors) as Paper['authors'], organization: people.organization === null ? undefined : (JSON.parse(people.organization) as Paper['organization']) };
    return watch.people(paper) !== undefined;
  }

  /**
   * The FTS5 query every paper meeting the rule meets (none: no paper can; undefined: none
   * narrower than all papers), and, when there is one, a query only papers meeting the rule meet.
   */
  private queries(watch: CompiledWatch): { candidates?: string; sure?: string; none?: true } {
    const parts: string[] = [];
    const sureParts: string[] = [];
    let exact = watch.names.length === 0;
    for (const alternatives of watch.words) {
      const ways = alternatives.map((terms) => this.run(terms));
      // A way of meeting the requirement that the query cannot narrow: every paper may meet it.
      if (ways.some((w) => w === undefined)) {
        exact = false;
        continue;
      }
      parts.push(anyOf(ways.map((w) => w!.fts)));
      const exactWays = ways.filter((w) => w!.exact);
      if (exactWays.length === 0) exact = false;
      else sureParts.push(anyOf(exactWays.map((w) => w!.fts)));
    }
    const positive = parts.length > 0 ? [`{title abstract} : (${parts.join(' AND ')})`] : [];
    for (const words of watch.names) {
      const needs = words.map((w) => this.peopleTerms(w)).filter((terms) => terms !== undefined);
      // A word no paper's people can have: no paper carries the name.
      if (needs.some((terms) => terms.length === 0)) return { none: true };
      if (needs.length > 0) positive.push(`people : (${needs.map((terms) => anyOf(terms.map(ftsTerm))).join(' AND ')})`);
    }
    if (positive.length === 0) return {};
    let not = '';
    for (const terms of watch.without) {
      // Only a left-out word the query says exactly may leave papers out: any other is tested on the candidates.
      if (terms.every((t) => PLAIN.test(t))) not += ` NOT ({title abstract} : (${terms.map(ftsTerm).join(' AND ')}))`;
      else exact = false;
    }
    const candidates = `(${positive.join(' AND ')})${not}`;
    if (!exact || sureParts.length === 0) return { candidates };
    return { candidates, sure: `({title abstract} : (${sureParts.join(' AND ')}))${not}` };
  }

  /**
   * A run of index terms (a term, or an acronym's expansion) as the FTS5 tokens a paper having
   * it has, all wanted; exact when it is one plain term (its own token: only a word the
   * tokenizer splits inside, as at the dot of a capital İ, gives a piece as a token of its own,
   * "stanbul" from "İstanbul"). Without positions the table cannot say the terms are in a row:
   * the candidates are tested for that. Undefined when no token is known (every paper may have it).
   */
  private run(terms: readonly string[]): Part | undefined {
    const tokens = [...new Set(terms.flatMap((t) => (PLAIN.test(t) ? [t] : this.tokens(t))))];
    if (tokens.length === 0) return undefined;
    return { fts: tokens.length === 1 ? ftsTerm(tokens[0]!) : `(${tokens.map(ftsTerm).join(' AND ')})`, exact: terms.length === 1 && PLAIN.test(terms[0]!) };
  }

  /**
   * The people tokens one of which a paper has when a name it carries has this word (of its
   * nameKey): the word's own term; every accented term whose nameKey starts with the same
   * letter (stemming changes only a word's end, so an accented name's term keeps its first
   * letter); and the word's starts ending in "i" that are people tokens, as a capital İ makes
   * them (it lower-cases to "i" and a combining dot, at which the tokenizer splits). Undefined
   * for a stop word, which no field keeps.
   */
  private peopleTerms(word: string): string[] | undefined {
    const term = toTerm(word);
    if (term === null) return undefined;
    const terms = PLAIN.test(word) ? [term] : [];
    for (const f of this.foreignTerms()) if (f.key === '' || f.key.includes(' ') || f.key[0] === word[0]) terms.push(f.term);
    for (let end = word.indexOf('i') + 1; end > 0 && end < word.length; end = word.indexOf('i', end) + 1) {
      const start = word.slice(0, end);
      if (this.statements.isPeopleTerm.get(start) !== undefined) terms.push(start);
    }
    return [...new Set(terms)];
  }

  private foreignTerms(): ForeignTerm[] {
    this.foreign ??= this.statements.peopleTerms
      .all()
      .filter((term) => !PLAIN.test(term))
      .map((term) => ({ term, key: nameKey(term) }));
    return this.foreign;
  }

  /** A term that is not plain ASCII as FTS5's tokenizer splits it, asked of the tokenizer itself. */
  private tokens(term: string): string[] {
    this.tokenizer ??= new Tokenizer(this.statements.definition.get()!);
    return this.tokenizer.tokens(term);
  }

  /** The `shown` latest of the matched papers, in the order latestFirst lists them. */
  private latest(matched: ReadonlySet<number>, shown: number): number[] {
    if (matched.size <= this.readToSort) {
      // In paper order first: the sort keeps it among equals.
      const papers = [...matched].sort((a, b) => a - b).map((n) => ({ n, ...this.statements.latest.get(n)! }));
      return papers
        .sort(byLatest)
        .slice(0, shown)
        .map((p) => p.n);
    }
    // A paper's latest digest is the first day it is met on, walking back from the newest day.
    const listed: number[] = [];
    const seen = new Set<number>();
    let day: { date: string; papers: { n: number; upvotes: number }[] } | undefined;
    const close = () => {
      if (day) listed.push(...day.papers.sort((a, b) => b.upvotes - a.upvotes || a.n - b.n).map((p) => p.n));
      day = undefined;
    };
    for (const [date, n] of this.statements.appearances.iterate()) {
      if (day?.date !== date) {
        close();
        if (listed.length >= shown) break;
        day = { date, papers: [] };
      }
      if (!matched.has(n) || seen.has(n)) continue;
      seen.add(n);
      day.papers.push({ n, upvotes: this.statements.upvotes.get(n)! });
    }
    close();
    if (listed.length < shown) {
      // Papers in no digest come last.
      const undated = [...matched].filter((n) => !seen.has(n)).map((n) => ({ n, upvotes: this.statements.upvotes.get(n)! }));
      listed.push(...undated.sort((a, b) => b.upvotes - a.upvotes || a.n - b.n).map((p) => p.n));
    }
    return listed.slice(0, shown);
  }
}

/**
 * FTS5's tokenizer as the index file's table has it, on a scratch table of the same
 * definition: how a term with letters beyond ASCII is split or folded is the tokenizer's to say.
 */
class Tokenizer {
  private readonly db = new Database(':memory:');
  private readonly statements;
  private readonly cache = new Map<string, string[]>();

  constructor(definition: string) {
    this.db.exec(definition.replace(/^CREATE VIRTUAL TABLE\s+\S+/i, 'CREATE VIRTUAL TABLE probe'));
    this.db.exec("CREATE VIRTUAL TABLE probe_terms USING fts5vocab(probe, 'row')");
    this.statements = {
      insert: this.db.prepare<[string]>('INSERT INTO probe (rowid, title) VALUES (1, ?)'),
      terms: this.db.prepare<[], string>('SELECT term FROM probe_terms').pluck(),
      clear: this.db.prepare('DELETE FROM probe'),
    };
  }

  tokens(text: string): string[] {
    let tokens = this.cache.get(text);
    if (!tokens) {
      this.statements.insert.run(text);
      tokens = this.statements.terms.all();
      this.statements.clear.run();
      this.cache.set(text, tokens);
    }
    return tokens;
  }

  close(): void {
    this.db.close();
  }
}
