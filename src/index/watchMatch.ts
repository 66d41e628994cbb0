import { toTerms } from './terms.js';
import type { Paper } from '../model/paper.js';

/**
 * What a watch asks for: words that must all be in the title or abstract, words that must not
 * be (`-video`), authors (`author:"Tri Dao"`) and organisations (`org:nvidia`). Every part must
 * hold; a watch needs at least one part that is not a negative word.
 */
export interface WatchRule {
  words: string[];
  without: string[];
  authors: string[];
  orgs: string[];
}

/** `author:"Tri Dao"`, `org:nvidia`, `-video`, plain words; quotes keep a name's words together. */
const PART = /(-)?(?:(author|org):)?(?:"([^"]*)"?|(\S+))/gi;

export function parseWatch(query: string): WatchRule {
  const rule: WatchRule = { words: [], without: [], authors: [], orgs: [] };
  for (const m of query.matchAll(PART)) {
    const [, negative, field, quoted, bare] = m;
    const value = (quoted ?? bare ?? '').trim();
    if (!value) continue;
    if (field?.toLowerCase() === 'author') rule.authors.push(value);
    else if (field?.toLowerCase() === 'org') rule.orgs.push(value);
    else if (negative) rule.without.push(value);
    else rule.words.push(value);
  }
  return rule;
}

/** Whether the rule has something to look for: a negative word alone would match nearly every paper. */
export function hasPositivePart(rule: WatchRule): boolean {
  return rule.words.some((w) => toTerms(w).length > 0) || rule.authors.some((a) => nameKey(a)) || rule.orgs.some((o) => nameKey(o));
}

/** The rule in words, for the reply to `watch`: "papers by Tri Dao with the words “diffusion” and without “video”". */
export function describeWatch(rule: WatchRule): string {
  const quoted = (items: readonly string[]) => items.map((i) => `“${i}”`).join(', ');
  const parts: string[] = [];
  if (rule.authors.length > 0) parts.push(`by ${quoted(rule.authors)}`);
  if (rule.orgs.length > 0) parts.push(`from ${quoted(rule.orgs)}`);
  if (rule.words.length > 0) parts.push(`with every one of ${quoted(rule.words)} in the title or abstract (an acronym or its long form both count)`);
  if (rule.without.length > 0) parts.push(`without ${quoted(rule.without)}`);
  return `papers ${parts.join(', ')}`;
}

/** Names compared without case, accents or punctuation: `Tri Dao` = `tri dao` = `Trí Đao`. */
export function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** A full name matches that author; a single word matches an author with that surname. */
function authorMatches(wanted: string, authors: readonly string[]): string | undefined {
  const key = nameKey(wanted);
  if (!key) return undefined;
  const single = !key.includes(' ');
  return authors.find((a) => {
    const author = nameKey(a);
    return author === key || (single && author.split(' ').at(-1) === key);
  });
}

/** The organisation's handle, or its name's words in a row: `org:nvidia`, `org:"google deepmind"`. */
function orgMatches(wanted: string, paper: Pick<Paper, 'organization'>): string | undefined {
  const key = nameKey(wanted);
  const org = paper.organization;
  if (!key || !org) return undefined;
  const handle = nameKey(org.handle);
  return handle === key || ` ${nameKey(org.name)} `.includes(` ${key} `) || ` ${handle} `.includes(` ${key} `) ? org.name : undefined;
}

/**
 * Alerts must be precise, so words match a paper only when every one is in its title or
 * abstract (same stemming as search), where an acronym also counts when its expansion is
 * there: `moe routing` matches "mixture-of-experts … routing". Per term of the words, the
 * ways a paper has it: the term, or an expansion's terms in a row.
 */
function requirementsOf(words: readonly string[], acronyms: ReadonlyMap<string, string[]>): string[][][] {
  return [...new Set(words.flatMap((w) => toTerms(w)))].map((term) => [[term], ...(acronyms.get(term) ?? []).map((phrase) => toTerms(phrase)).filter((terms) => terms.length > 0)]);
}

/** Whether the text (index terms between spaces, see textTerms) meets every requirement. */
function meetsAll(requirements: readonly (readonly string[][])[], text: string): boolean {
  return requirements.every((alternatives) => alternatives.some((terms) => text.includes(` ${terms.join(' ')} `)));
}

/** A paper's title and abstract as the rule reads them: their index terms, each between spaces. */
export function textTerms(paper: Pick<Paper, 'title' | 'abstract'>): string {
  return ` ${toTerms(`${paper.title} ${paper.abstract}`).join(' ')} `;
}

/**
 * A watch's rule made ready to test papers, part by part, so that an index can test the parts
 * it holds without the whole paper (see watchMatch, which puts them together).
 */
export interface CompiledWatch {
  /** Whether the rule has something to look for (see hasPositivePart): without it, nothing matches. */
  readonly positive: boolean;
  /** Per term of the rule's words, the ways a paper has it: each a run of index terms (the term, or an acronym's expansion). */
  readonly words: readonly (readonly string[][])[];
  /** Per word to leave out, its index terms: a paper has the word when it has all of them. */
  readonly without: readonly (readonly string[])[];
  /** Per author and organisation asked for, the words of its name (see nameKey). */
  readonly names: readonly (readonly string[])[];
  /** Whether the rule reads the title and abstract (the `text` test). */
  readonly readsText: boolean;
  /** Reasons from the authors and organisation, or undefined when they do not match ([] when the rule names none). */
  people(paper: Pick<Paper, 'authors' | 'organization'>): string[] | undefined;
  /** Reasons from the title and abstract given as textTerms, or undefined when they do not match. */
  text(terms: string): string[] | undefined;
}

export function compileWatch(query: string, acronyms: ReadonlyMap<string, string[]>): CompiledWatch {
  const rule = parseWatch(query);
  const words = requirementsOf(rule.words, acronyms);
  const without = rule.without.map((word) => ({ word, terms: [...new Set(toTerms(word))] })).filter((w) => w.terms.length > 0);
  const names = [...rule.authors, ...rule.orgs].map((name) => nameKey(name).split(' ').filter(Boolean));
  return {
    positive: hasPositivePart(rule),
    words,
    without: without.map((w) => w.terms),
    names,
    readsText: rule.words.length > 0 || without.length > 0,
    people(paper) {
      const reasons: string[] = [];
      for (const wanted of rule.authors) {
        const author = authorMatches(wanted, paper.authors);
        if (!author) return undefined;
        reasons.push(`by ${author}`);
      }
      for (const wanted of rule.orgs) {
        const org = orgMatches(wanted, paper);
        if (!org) return undefined;
        reasons.push(`from ${org}`);
      }
      return reasons;
    },
    text(text) {
      const reasons: string[] = [];
      if (rule.words.length > 0) {
        if (!meetsAll(words, text)) return undefined;
        reasons.push(`has “${rule.words.join(' ')}”`);
      }
      if (without.some((w) => w.terms.every((term) => text.includes(` ${term} `)))) return undefined;
      if (without.length > 0) reasons.push(`without ${without.map((w) => `“${w.word}”`).join(', ')}`);
      return reasons;
    },
  };
}

/**
 * Why a paper matches the watch, part by part (`by Tri Dao`, `from NVIDIA`, `has “moe routing”`,
 * `without “video”`), or undefined when it does not match.
 */
export function watchMatch(query: string, acronyms: ReadonlyMap<string, string[]>): (paper: Paper) => string[] | undefined {
  const watch = compileWatch(query, acronyms);
  return (paper) => {
    if (!watch.positive) return undefined;
    const people = watch.people(paper);
    if (!people || !watch.readsText) return people;
    const text = watch.text(textTerms(paper));
    return text && [...people, ...text];
  };
}

export function watchMatcher(query: string, acronyms: ReadonlyMap<string, string[]>): (paper: Paper) => boolean {
  const match = watchMatch(query, acronyms);
  return (paper) => match(paper) !== undefined;
}

/** The latest digest a paper was in (its digests are in date order), '' for none. */
export function latestDigest(paper: Pick<Paper, 'digests'>): string {
  return paper.digests.at(-1)?.date ?? '';
}

/** The order a watch's matches are listed in: latest digest first, then most upvoted (then in paper order, the sort being stable). */
export function latestFirst(a: Pick<Paper, 'digests' | 'upvotes'>, b: Pick<Paper, 'digests' | 'upvotes'>): number {
  return byLatest({ latest: latestDigest(a), upvotes: a.upvotes }, { latest: latestDigest(b), upvotes: b.upvotes });
}

/** latestFirst on a paper's latestDigest and upvotes, as an index can read them without the whole paper. */
export function byLatest(a: { latest: string; upvotes: number }, b: { latest: string; upvotes: number }): number {
  return b.latest.localeCompare(a.latest) || b.upvotes - a.upvotes;
}
