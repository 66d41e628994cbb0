import Database from 'better-sqlite3';
const db = new Database('/tmp/sq/100k.sqlite', { readonly: true });
const q = process.argv[2]!;
const time = (label: string, f: () => unknown) => { const t = performance.now(); const r = f(); console.log(label, (performance.now() - t).toFixed(1), Array.isArray(r) ? r.length : r); };
for (let i = 0; i < 2; i++) {
time('count', () => db.prepare('SELECT count(*) AS n FROM docs WHERE docs MATCH ?').pluck().get(q));
time('rowids', () => db.prepare('SELECT rowid FROM docs WHERE docs MATCH ?').pluck().all(q));
time('bm25 limit', () => db.prepare('SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 3, 1, 1.5) LIMIT 600').all(q));
time('bm25+text limit', () => db.prepare('SELECT rowid, title, abstract, people FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 3, 1, 1.5) LIMIT 600').all(q));
time('rank limit', () => db.prepare('SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 600').all(q));
}
