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
function nameKey(name: string): string {
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
function orgMatches(wanted: string, paper: Paper): string | undefined {
  const key = nameKey(wanted);
  const org = paper.organization;
  if (!key || !org) return undefined;
  const handle = nameKey(org.handle);
  return handle === key || ` ${nameKey(org.name)} `.includes(` ${key} `) || ` ${handle} `.includes(` ${key} `) ? org.name : undefined;
}

/**
 * Alerts must be precise, so words match a paper only when every one is in its title or
 * abstract (same stemming as search), where an acronym also counts when its expansion is
 * there: `moe routing` matches "mixture-of-experts … routing".
 */
function wordMatcher(words: readonly string[], acronyms: ReadonlyMap<string, string[]>): (text: string) => boolean {
  const requirements = [...new Set(words.flatMap((w) => toTerms(w)))].map((term) => [[term], ...(acronyms.get(term) ?? []).map((phrase) => toTerms(phrase)).filter((terms) => terms.length > 0)]);
  return (text) => requirements.every((alternatives) => alternatives.some((terms) => text.includes(` ${terms.join(' ')} `)));
}

/**
 * Why a paper matches the watch, part by part (`by Tri Dao`, `from NVIDIA`, `has “moe routing”`,
 * `without “video”`), or undefined when it does not match.
 */
export function watchMatch(query: string, acronyms: ReadonlyMap<string, string[]>): (paper: Paper) => string[] | undefined {
  const rule = parseWatch(query);
  const positive = hasPositivePart(rule);
  const words = wordMatcher(rule.words, acronyms);
  const without = rule.without.map((w) => ({ word: w, matches: wordMatcher([w], new Map()) })).filter((w) => toTerms(w.word).length > 0);
  const needsText = rule.words.length > 0 || without.length > 0;
  return (paper) => {
    if (!positive) return undefined;
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
    if (needsText) {
      const text = ` ${toTerms(`${paper.title} ${paper.abstract}`).join(' ')} `;
      if (rule.words.length > 0) {
        if (!words(text)) return undefined;
        reasons.push(`has “${rule.words.join(' ')}”`);
      }
      if (without.some((w) => w.matches(text))) return undefined;
      if (without.length > 0) reasons.push(`without ${without.map((w) => `“${w.word}”`).join(', ')}`);
    }
    return reasons;
  };
}

export function watchMatcher(query: string, acronyms: ReadonlyMap<string, string[]>): (paper: Paper) => boolean {
  const match = watchMatch(query, acronyms);
  return (paper) => match(paper) !== undefined;
}
