import { toTerm, toTerms } from '../index/terms.js';
import { findDateRef, type DateRef } from './dates.js';

/** What a paper-scoped question asks about. */
export type Aspect = 'authors' | 'date' | 'upvotes' | 'code' | 'similar' | 'text';

/** What a question asks for: a structural question is answered from the data, an open one from the abstracts. */
export type Intent =
  | { kind: 'empty' }
  | { kind: 'count'; date?: DateRef }
  | { kind: 'byDate'; date: DateRef }
  | { kind: 'org'; who: string; date?: DateRef }
  | { kind: 'author'; who: string; date?: DateRef }
  | { kind: 'popular'; date?: DateRef }
  | { kind: 'compare'; ids: string[] }
  /** `soft`: asked in a thread without naming the paper, so an answer from the whole digest is fine too. */
  | { kind: 'paper'; id: string; aspect: Aspect; text: string; soft: boolean }
  | { kind: 'open'; text: string; date?: DateRef };

export interface AnalyseOptions {
  today: string;
  threadPaperId?: string;
  /** Whether the digest has an organisation with this handle or name. */
  isOrg(name: string): boolean;
}

const PAPER_ID = /\b(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?\b|\b(t-[0-9a-f]{10})\b/gi;
/** Words that point at the thread's paper. */
const THREAD_REF = /\b(it|its|it's|this (?:paper|work|one|article|study|method|model)|the (?:paper|authors?|method|model|work)|they|their|them)\b/i;
const COMPARE = /\b(compare[sd]?|comparison|versus|vs\.?|differ(?:s|ence|ences)?|better than)\b/i;
const POPULAR = /\b(?:most|top|best|highest)\b.*\b(?:upvot\w*|popular|liked|voted|discussed)\b|\btrending\b|\bmost popular\b|\bhottest\b|\btop (?:\d+ )?papers?\b|\bmost upvoted\b/i;
const GREETING = /^\s*(?:hi|hello|hey|yo|hiya|thanks|thank you|good (?:morning|afternoon|evening))\b[\s\p{P}]*(?:paperbot)?[\s\p{P}]*$/iu;
const NEWS = /\b(?:new|latest|recent|newest)\b/i;
const COUNT = /\bhow many\b|\bnumber of\b|\bcount\b/i;
const PUBLISHED_BY = [
  /\b(?:what|which|how many)\s+(?:papers?\s+)?(?:did|does|has|have)\s+(.+?)\s+(?:publish\w*|release\w*|put out|post\w*|share\w*|submit\w*|write|written)\b/i,
  /\b(?:papers?|work|research|publications?|anything|something|stuff)\s+(?:written\s+|published\s+)?(?:by|from)\s+(.+)$/i,
  /^(?:by|from)\s+(.+)$/i,
];
/** "NVIDIA papers", "nvidia's papers": only when the words before "papers" are a known organisation. */
const ORG_PAPERS = /((?:[\p{L}\p{N}][\p{L}\p{N}.&-]*\s+){0,2}[\p{L}\p{N}][\p{L}\p{N}.&-]*?)(?:'s)?\s+(?:papers?|publications?|work)\b/iu;

const ASPECTS: [Aspect, RegExp][] = [
  ['similar', /\b(?:similar|related|other|more like)\b/i],
  ['authors', /\bauthors?\b|\bwho\s+(?:wrote|made|built|created|published|did|is behind|are behind)\b|\bwritten by\b|\bwhich (?:lab|org|organi[sz]ation|company|team|group|institution)\b/i],
  ['date', /\bwhen\b.*\b(?:publish\w*|release\w*|out|appear\w*|come|came|submit\w*|posted)\b|\bwhat date\b|\bhow old\b|\bpublication date\b/i],
  ['upvotes', /\bupvot\w*|\bvotes?\b|\bhow popular\b|\blikes?\b|\bcomments?\b/i],
  ['code', /\b(?:code|github|repo|repository|project page|implementation|open[- ]sourced?)\b/i],
];

/** Words that frame a question without naming a topic ("what came out", "anything new"). */
const FRAMING = new Set(
  'tell explain describe know anything anyone something all some mention mentioned talk discuss digest digests please could would should came come out publish published released release new list give latest recent happened happen get got see look make makes made method methods approach approaches way ways technique techniques help helps use exist exists study studies studied up run best'
    .split(' ')
    .map((w) => toTerm(w))
    .filter((t): t is string => t !== null),
);

/** The terms of `text` that name a topic, framing words removed. */
export function topicTerms(text: string): string[] {
  return toTerms(text).filter((t) => t.length > 1 && !FRAMING.has(t));
}

export function paperIdsIn(text: string): string[] {
  const ids: string[] = [];
  for (const m of text.matchAll(PAPER_ID)) {
    const id = (m[1] ?? m[2]!).toLowerCase();
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

export function analyseQuestion(question: string, options: AnalyseOptions): Intent {
  const text = question.trim().replace(/\s+/g, ' ');
  if (!/[\p{L}\p{N}]/u.test(text) || GREETING.test(text)) return { kind: 'empty' };
  const ids = paperIdsIn(text);
  const thread = options.threadPaperId;
  const refersToThread = thread !== undefined && THREAD_REF.test(text);

  if (COMPARE.test(text)) {
    const both = refersToThread && !ids.includes(thread.toLowerCase()) ? [thread, ...ids] : ids;
    if (both.length >= 2) return { kind: 'compare', ids: both.slice(0, 2) };
  }
  if (ids.length >= 2) return { kind: 'compare', ids: ids.slice(0, 2) };
  if (ids.length === 1) return { kind: 'paper', id: ids[0]!, aspect: aspectOf(text), text: text.replace(PAPER_ID, ' '), soft: false };
  if (refersToThread) return { kind: 'paper', id: thread, aspect: aspectOf(text), text, soft: false };

  const found = findDateRef(text, options.today);
  const date = found?.ref;
  const rest = found?.rest ?? text;
  const who = publisherIn(rest, options.isOrg);
  if (who) return who.org ? { kind: 'org', who: who.name, ...(date ? { date } : {}) } : { kind: 'author', who: who.name, ...(date ? { date } : {}) };
  if (POPULAR.test(text)) return { kind: 'popular', ...(date ? { date } : {}) };
  if (COUNT.test(text) && !/\b(?:upvot|author|citation|comment)/i.test(text)) return { kind: 'count', ...(date ? { date } : {}) };
  if (date && date.kind !== 'all' && topicTerms(rest).length === 0) return { kind: 'byDate', date };
  // "What's new?": the latest digest.
  if (!date && NEWS.test(text) && topicTerms(text).length === 0) return { kind: 'byDate', date: { kind: 'today' } };
  if (thread !== undefined) return { kind: 'paper', id: thread, aspect: aspectOf(text), text, soft: true };
  return { kind: 'open', text: rest, ...(date && date.kind !== 'all' ? { date } : {}) };
}

function aspectOf(text: string): Aspect {
  return ASPECTS.find(([, re]) => re.test(text))?.[0] ?? 'text';
}

/** Who a "what did X publish" / "papers by X" question is about, and whether X is an organisation. */
function publisherIn(text: string, isOrg: (name: string) => boolean): { name: string; org: boolean } | undefined {
  // A bare article is no name: "what are the papers about…" must not mean every organisation called "The …".
  const clean = (s: string) =>
    s
      .replace(/[?!.,;:]+$/g, '')
      .replace(/^(?:the|an?)(?:\s+|$)/i, '')
      .replace(/\s+(?:recently|lately|so far)$/i, '')
      .trim();
  for (const re of PUBLISHED_BY) {
    const m = re.exec(text);
    if (!m) continue;
    const name = clean(m[1]!);
    if (!name || name.split(' ').length > 5) continue;
    if (isOrg(name)) return { name, org: true };
    // A person's name: a few capitalised words ("Tri Dao", "Yann LeCun").
    if (/^\p{Lu}[\p{L}.'-]*(?:\s+\p{Lu}[\p{L}.'-]*){0,3}$/u.test(name)) return { name, org: false };
  }
  const m = ORG_PAPERS.exec(text);
  if (m) {
    const words = m[1]!.split(' ');
    // Longest trailing run of words that names an organisation ("ByteDance Seed papers").
    for (let i = 0; i < words.length; i++) {
      const name = clean(words.slice(i).join(' '));
      if (name && isOrg(name)) return { name, org: true };
    }
  }
  return undefined;
}
