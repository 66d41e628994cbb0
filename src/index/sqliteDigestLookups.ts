import type Database from 'better-sqlite3';
import type { Paper } from '../model/paper.js';
import type { DigestLookups, PaperDates, PaperOrganisation } from './digestLookups.js';
import { ftsTerm, ROWID_OFFSET } from './sqliteEngine.js';

interface DatesRow {
  n: number;
  digests: string;
  published: string | null;
  upvotes: number;
}

/**
 * The digest lookups over an index file: days from the appearances index, people from the
 * engine's FTS5 `people` column (and its terms table, for which terms exist), the rest from the
 * papers' JSON of the few papers asked about, read by SQLite without parsing whole papers here.
 */
export class SqliteDigestLookups implements DigestLookups {
  private readonly statements;

  constructor(
    db: Database.Database,
    readonly paper: (n: number) => Paper,
  ) {
    const dates = "p.json->'$.digests' AS digests, p.published AS published, p.upvotes AS upvotes";
    this.statements = {
      nextDay: db.prepare<[string], string | null>('SELECT min(date) FROM appearances WHERE date > ?').pluck(),
      windowCount: db.prepare<[string, string], number>('SELECT count(DISTINCT paper) FROM appearances WHERE date >= ? AND date <= ?').pluck(),
      day: db.prepare<[string], { paper: number; rank: number }>('SELECT paper, rank FROM appearances WHERE date = ? ORDER BY paper, rowid'),
      dates: db.prepare<[string], DatesRow>(`SELECT p.n AS n, ${dates} FROM papers p WHERE p.n IN (SELECT value FROM json_each(?))`),
      peopleTerm: db.prepare<[string], number | null>('SELECT people FROM terms WHERE term = ?').pluck(),
      withPeople: db.prepare<[string], DatesRow & { authors: string }>(
        `SELECT p.n AS n, p.json->'$.authors' AS authors, ${dates} FROM docs JOIN papers p ON p.n = docs.rowid - ${ROWID_OFFSET} WHERE docs MATCH ? ORDER BY docs.rowid`,
      ),
      everyone: db.prepare<[], DatesRow & { authors: string }>(`SELECT p.n AS n, p.json->'$.authors' AS authors, ${dates} FROM papers p ORDER BY p.n`),
      unusual: db.prepare<[], string>("SELECT term FROM terms WHERE people > 0 AND term GLOB '*[^a-z0-9]*'").pluck(),
      organisations: db.prepare<[number, number], PaperOrganisation>(
        // From the index of papers with an organisation alone: the table's rows carry each paper's JSON.
        'SELECT n, org_name AS name, org_handle AS handle FROM papers INDEXED BY papers_by_organisation WHERE n >= ? AND n < ? AND org_name IS NOT NULL ORDER BY n',
      ),
      authorLists: db.prepare<[], string>("SELECT json->'$.authors' FROM papers WHERE json_array_length(json, '$.authors') > 0 ORDER BY n").pluck(),
    };
  }

  appearanceDays(): string[] {
    // One index seek per day instead of reading every appearance.
    const days: string[] = [];
    for (let day = this.statements.nextDay.get(''); day; day = this.statements.nextDay.get(day)) days.push(day);
    return days;
  }

  windowCount(from: string, to: string): number {
    return this.statements.windowCount.get(from, to) ?? 0;
  }

  dayPapers(date: string): number[] {
    // Rows come by paper, then as written (a paper's appearances in its own order): the first is its listing that day.
    const first: { paper: number; rank: number }[] = [];
    for (const row of this.statements.day.iterate(date)) if (first.at(-1)?.paper !== row.paper) first.push(row);
    return first.sort((a, b) => a.rank - b.rank || a.paper - b.paper).map((x) => x.paper);
  }

  datesOf(papers: readonly number[]): PaperDates[] {
    const byNumber = new Map(this.statements.dates.all(JSON.stringify(papers)).map((row) => [row.n, datesOfRow(row)]));
    return papers.map((n) => byNumber.get(n)!);
  }

  withPeopleTerms(groups: readonly (readonly string[])[], keep: (authors: readonly string[]) => boolean): PaperDates[] {
    const query = this.peopleQuery(groups);
    if (query === null) return [];
    // Streamed: a common surname has hundreds of thousands of candidates, most kept only as numbers and dates.
    const kept: PaperDates[] = [];
    for (const row of query ? this.statements.withPeople.iterate(query) : this.statements.everyone.iterate()) if (keep(JSON.parse(row.authors) as string[])) kept.push(datesOfRow(row));
    return kept;
  }

  /**
   * The FTS5 query for a term of each group in `people` ('' for no group); terms no paper's
   * people have are left out (FTS5 reads nothing for them), and null when a group has none.
   */
  private peopleQuery(groups: readonly (readonly string[])[]): string | null {
    const known = groups.map((g) => g.filter((term) => (this.statements.peopleTerm.get(term) ?? 0) > 0));
    if (known.some((g) => g.length === 0)) return null;
    return known.map((g) => `people : (${g.map(ftsTerm).join(' OR ')})`).join(' AND ');
  }

  unusualPeopleTerms(): string[] {
    return this.statements.unusual.all();
  }

  organisations(from: number, to: number): PaperOrganisation[] {
    return this.statements.organisations.all(from, to);
  }

  *authorLists(): Iterable<readonly string[]> {
    for (const authors of this.statements.authorLists.iterate()) yield JSON.parse(authors) as string[];
  }
}

function datesOfRow(row: DatesRow): PaperDates {
  const digests = JSON.parse(row.digests) as Pick<Paper['digests'][number], 'date'>[];
  return { n: row.n, dates: digests.map((d) => d.date), ...(row.published !== null ? { published: row.published } : {}), upvotes: row.upvotes };
}
