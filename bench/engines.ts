import { Index as FlexIndex } from 'flexsearch';
import lunr from 'lunr';
import MiniSearch from 'minisearch';
import { PaperIndex } from '../src/index/paperIndex.js';
import { sqliteEngine } from '../src/index/sqliteEngine.js';
import type { Paper } from '../src/model/paper.js';

/**
 * Paperbot's index and the baselines, behind one shape so evaluation and benchmarks run the
 * very same queries on each. Baselines index title + abstract with the options a user gets
 * by following each library's README; they are not tuned for this data.
 */

export type Snapshot = string | Uint8Array;

function text(snapshot: Snapshot): string {
  return typeof snapshot === 'string' ? snapshot : Buffer.from(snapshot).toString('utf8');
}

export interface BuiltEngine {
  /** Paper ids, best first; an empty list means "no results". */
  search(query: string, limit: number): string[];
  /** The serialised index, as an application would store it between runs. */
  snapshot(): Snapshot;
}

export interface Engine {
  name: string;
  build(papers: readonly Paper[]): BuiltEngine;
  load(snapshot: Snapshot): BuiltEngine | Promise<BuiltEngine>;
}

export const paperbot: Engine = {
  name: 'paperbot',
  build: (papers) => wrapPaperIndex(PaperIndex.build(papers)),
  load: async (snapshot) => wrapPaperIndex(await PaperIndex.load(savedOf(snapshot))),
};

/** Paperbot's relevance layer over the SQLite FTS5 engine. */
export const paperbotSqlite: Engine = {
  name: 'paperbot-sqlite',
  build: (papers) => wrapPaperIndex(PaperIndex.build(papers, undefined, sqliteEngine)),
  load: async (snapshot) => wrapPaperIndex(await PaperIndex.load(savedOf(snapshot), {}, sqliteEngine)),
};

/** The saved index from wrapPaperIndex's snapshot: the catalog's byte length, a newline, the catalog, then the engine's saved state. */
function savedOf(snapshot: Snapshot): { catalog: Uint8Array; engine: Uint8Array } {
  const bytes = Buffer.from(snapshot);
  const newline = bytes.indexOf(0x0a);
  const catalogEnd = newline + 1 + Number(bytes.toString('utf8', 0, newline));
  return { catalog: bytes.subarray(newline + 1, catalogEnd), engine: bytes.subarray(catalogEnd) };
}

function wrapPaperIndex(index: PaperIndex): BuiltEngine {
  return {
    search: (query, limit) => index.search(query, { limit }).map((h) => h.paper.id),
    snapshot: () => {
      const { catalog, engine } = index.save();
      return Buffer.concat([Buffer.from(`${catalog.byteLength}\n`), catalog, engine]);
    },
  };
}

interface TextDoc {
  id: string;
  title: string;
  abstract: string;
}

function toTextDoc(p: Paper): TextDoc {
  return { id: p.id, title: p.title, abstract: p.abstract };
}

const MINISEARCH_DEFAULT = { fields: ['title', 'abstract'] };

/** MiniSearch with default options: BM25+, no prefix or fuzzy matching, OR of the terms. */
export const minisearchDefault: Engine = {
  name: 'minisearch',
  build(papers) {
    const ms = new MiniSearch<TextDoc>(MINISEARCH_DEFAULT);
    ms.addAll(papers.map(toTextDoc));
    return wrapMiniSearch(ms);
  },
  load: (snapshot) => wrapMiniSearch(MiniSearch.loadJSON<TextDoc>(text(snapshot), MINISEARCH_DEFAULT)),
};

function wrapMiniSearch(ms: MiniSearch<TextDoc>): BuiltEngine {
  return {
    search: (query, limit) =>
      ms
        .search(query)
        .slice(0, limit)
        .map((r) => String(r.id)),
    snapshot: () => JSON.stringify(ms),
  };
}

/**
 * Lunr with its default pipeline (stop words, Porter stemmer). Queries go through `query()`
 * term by term, as its docs advise for user input: `search()` would throw on `:` or `~`.
 */
export const lunrDefault: Engine = {
  name: 'lunr',
  build(papers) {
    const idx = lunr(function () {
      this.ref('id');
      this.field('title');
      this.field('abstract');
      for (const doc of papers.map(toTextDoc)) this.add(doc);
    });
    return wrapLunr(idx);
  },
  load: (snapshot) => wrapLunr(lunr.Index.load(JSON.parse(text(snapshot)))),
};

function wrapLunr(idx: lunr.Index): BuiltEngine {
  return {
    search(query, limit) {
      const tokens = lunr.tokenizer(query);
      return idx
        .query((q) => {
          for (const token of tokens) q.term(token, {});
        })
        .slice(0, limit)
        .map((r) => r.ref);
    },
    snapshot: () => JSON.stringify(idx),
  };
}

/**
 * FlexSearch's default Index over "title abstract", searched with `suggest: true` so that a
 * query whose words are not all present still returns the partial matches (its default is AND).
 */
export const flexsearchDefault: Engine = {
  name: 'flexsearch',
  build(papers) {
    const idx = new FlexIndex();
    for (const p of papers) idx.add(p.id, `${p.title} ${p.abstract}`);
    return wrapFlex(idx);
  },
  load(snapshot) {
    const idx = new FlexIndex();
    for (const [key, data] of Object.entries(JSON.parse(text(snapshot)) as Record<string, string>)) idx.import(key, data);
    return wrapFlex(idx);
  },
};

function wrapFlex(idx: FlexIndex): BuiltEngine {
  return {
    search: (query, limit) => (idx.search(query, { limit, suggest: true }) as (string | number)[]).map(String),
    snapshot() {
      const parts: Record<string, string> = {};
      idx.export((key, data) => {
        parts[key] = data;
      });
      return JSON.stringify(parts);
    },
  };
}

export const ENGINES: readonly Engine[] = [paperbot, paperbotSqlite, minisearchDefault, lunrDefault, flexsearchDefault];
