import type { PaperIndex } from '../index/paperIndex.js';
import { tokenize, toTerm } from '../index/terms.js';
import type { TrendingPeriod } from '../index/trending.js';
import type { Paper } from '../model/paper.js';
import { tldr } from '../summary/tldr.js';
import { CitationList, type Answer, type AnswerLine } from './answer.js';
import { resolveWindow, type DateRef, type DayWindow } from './dates.js';
import type { PaperDates } from '../index/digestLookups.js';
import { datesInWindow, digestFacts, type DigestFacts } from './digestFacts.js';
import { quoteLine } from './extractive.js';
import { MAX_LISTED, moreLine, paperFactLine } from './factLines.js';
import { countForm, plural } from '../text/plural.js';
import { humanDate } from '../time/days.js';

/** Answers read from the digest's data (days, organisations, authors, upvotes), not from text search. */
export class StructuralAnswers {
  private readonly facts: DigestFacts;

  constructor(
    private readonly index: PaperIndex,
    private readonly today: string,
  ) {
    this.facts = digestFacts(index);
  }

  window(ref: DateRef): DayWindow | undefined {
    return resolveWindow(ref, this.today, this.facts.dates, humanDate);
  }

  count(question: string, ref: DateRef | undefined): Answer {
    const facts = this.facts;
    const window = ref ? this.window(ref) : undefined;
    if (!window || ref?.kind === 'all') {
      const first = facts.dates[0];
      const last = facts.dates.at(-1);
      const lines: AnswerLine[] = [
        {
          text: `The digest holds ${plural(this.index.size, 'paper')}${first && last ? ` from ${plural(facts.dates.length, 'digest day')}, ${humanDate(first)} – ${humanDate(last)}` : ''}.`,
          cites: [],
        },
      ];
      if (facts.dates.length <= 10) for (const d of facts.dates) lines.push({ text: `${humanDate(d)}: ${plural(facts.countInWindow(d, d), 'paper')}`, cites: [] });
      return { kind: 'facts', heading: question, lines, citations: [] };
    }
    const days = facts.dates.filter((d) => d >= window.from && d <= window.to);
    const lines: AnswerLine[] = [];
    if (window.movedFrom) lines.push({ text: window.movedFrom, cites: [] });
    if (days.length === 0) {
      lines.push({ text: `There is no digest for ${window.label}.`, cites: [] }, ...this.nearbyDays(window.from));
      return { kind: 'facts', heading: question, lines, citations: [] };
    }
    const perDay = days.length > 1 ? ` in ${plural(days.length, 'digest')} (${days.map((d) => `${humanDate(d)}: ${facts.countInWindow(d, d)}`).join(', ')})` : '';
    lines.push({ text: `${capitalise(window.label)}: ${plural(facts.countInWindow(window.from, window.to), 'paper')}${perDay}.`, cites: [] });
    return { kind: 'facts', heading: question, lines, citations: [] };
  }

  byDate(question: string, ref: DateRef): Answer {
    const window = this.window(ref);
    if (!window) return this.noDigests(question);
    const count = this.facts.countInWindow(window.from, window.to);
    const citations = new CitationList();
    const lines: AnswerLine[] = [];
    if (window.movedFrom) lines.push({ text: window.movedFrom, cites: [] });
    if (count > 0) {
      lines.push({ text: `${plural(count, 'paper')} in the digest for ${window.label}${count > MAX_LISTED ? `; the first ${MAX_LISTED} in page order` : ''}:`, cites: [] });
      for (const p of this.facts.firstInWindow(window.from, window.to, MAX_LISTED)) lines.push(paperFactLine(p, citations.cite(p)));
      lines.push(...moreLine(count, MAX_LISTED, 'Try /paper trending for the top ones.'));
      return { kind: 'facts', heading: question, lines, citations: citations.papers };
    }
    // No digest that day: papers first published then are the next best reading of "came out".
    const published = this.index.publishedBetween(window.from, window.to);
    lines.push({ text: `There is no digest for ${window.label}.`, cites: [] });
    if (published.length > 0) {
      lines.push({ text: `${plural(published.length, 'paper')} in the digests ${countForm(published.length, 'was', 'were')} first published then:`, cites: [] });
      for (const p of published.slice(0, MAX_LISTED)) lines.push(paperFactLine(p, citations.cite(p), { published: true }));
      lines.push(...moreLine(published.length, MAX_LISTED, ''));
    } else {
      lines.push(...this.nearbyDays(window.from));
    }
    return { kind: 'facts', heading: question, lines, citations: citations.papers };
  }

  org(question: string, who: string, ref: DateRef | undefined): Answer {
    const orgs = this.facts.findOrgs(who);
    const name = orgs.map((o) => o.name).join(' / ') || who;
    const all = this.facts.datesOf([...new Set(orgs.flatMap((o) => o.papers))]).sort(newestFirst);
    return this.listBy(question, name, all, ref, `from ${name}`);
  }

  author(question: string, who: string, ref: DateRef | undefined): Answer {
    if (!this.facts.hasAuthorNames()) {
      return {
        kind: 'facts',
        heading: question,
        lines: [{ text: `These digests list only how many authors each paper has, not their names, so I cannot look up papers by ${who}. Try /paper find ${who} to search the text.`, cites: [] }],
        citations: [],
      };
    }
    const papers = this.facts.authorPapers(who).sort(newestFirst);
    return this.listBy(question, who, papers, ref, `by ${who}`);
  }

  popular(question: string, ref: DateRef | undefined): Answer {
    const period: TrendingPeriod = ref?.kind === 'span' ? (ref.days === 30 ? 'month' : 'week') : ref ? 'day' : /\bweek/i.test(question) ? 'week' : 'day';
    const window = ref ? this.window(ref) : undefined;
    const asOf = window?.to ?? this.today;
    const result = this.index.trending(period, asOf, 5);
    if (!result.anchor || result.hits.length === 0) return this.noDigests(question);
    const citations = new CitationList();
    const span = period === 'day' ? humanDate(result.anchor) : `${humanDate(result.from!)} – ${humanDate(result.anchor)}`;
    const lines: AnswerLine[] = [];
    if (window?.movedFrom) lines.push({ text: window.movedFrom, cites: [] });
    else if (period === 'day' && ref?.kind === 'day' && result.anchor !== ref.date)
      lines.push({ text: `There is no digest for ${humanDate(ref.date)}; the one before it is ${humanDate(result.anchor)}.`, cites: [] });
    lines.push({ text: `Most upvoted in the digest${period === 'day' ? ` of ${span}` : `s of ${span}`}:`, cites: [] });
    for (const hit of result.hits) lines.push(paperFactLine(hit.paper, citations.cite(hit.paper), { upvotes: true }));
    return { kind: 'facts', heading: question, lines, citations: citations.papers, note: 'Ranked by upvotes, then by position on the digest page.' };
  }

  compare(question: string, a: Paper, b: Paper): Answer {
    const citations = new CitationList();
    const lines: AnswerLine[] = [];
    for (const p of [a, b]) {
      const n = citations.cite(p);
      lines.push(paperFactLine(p, n, { upvotes: true, published: true }));
      for (const s of tldr(p, 1)) lines.push(quoteLine({ paper: p, sentence: s }, n, false));
    }
    const shared = sharedWords(a, b);
    if (shared.length > 0) lines.push({ text: `Both abstracts talk about: ${shared.join(', ')}.`, cites: [1, 2] });
    const diffs: string[] = [];
    if (a.upvotes !== b.upvotes) diffs.push(`[${a.upvotes > b.upvotes ? 1 : 2}] has more upvotes (${Math.max(a.upvotes, b.upvotes)} vs ${Math.min(a.upvotes, b.upvotes)})`);
    if (a.published && b.published && a.published !== b.published) diffs.push(`[${a.published > b.published ? 1 : 2}] is newer`);
    if (diffs.length > 0) lines.push({ text: `${capitalise(diffs.join('; '))}.`, cites: [] });
    return { kind: 'facts', heading: question, lines, citations: citations.papers };
  }

  /** Lists papers of one organisation or author, in a date window when one was asked for. */
  private listBy(question: string, name: string, all: PaperDates[], ref: DateRef | undefined, phrase: string): Answer {
    const citations = new CitationList();
    const lines: AnswerLine[] = [];
    if (all.length === 0) {
      return { kind: 'facts', heading: question, lines: [{ text: `The digest has no papers ${phrase}.`, cites: [] }], citations: [] };
    }
    const window = ref ? this.window(ref) : undefined;
    const papers = window ? all.filter((p) => datesInWindow(p, window.from, window.to)) : all;
    if (window && papers.length === 0) {
      lines.push({ text: `No papers ${phrase} in the digests of ${window.label}. The latest ${countForm(all.length, 'one', 'ones')} in the digest:`, cites: [] });
      for (const p of this.read(all.slice(0, 3))) lines.push(paperFactLine(p, citations.cite(p), { by: false, upvotes: true }));
      return { kind: 'facts', heading: question, lines, citations: citations.papers };
    }
    lines.push({ text: `${plural(papers.length, 'paper')} ${phrase} in the digest${window ? `s of ${window.label}` : ''}, newest first:`, cites: [] });
    for (const p of this.read(papers.slice(0, MAX_LISTED))) lines.push(paperFactLine(p, citations.cite(p), { by: false, upvotes: true }));
    lines.push(...moreLine(papers.length, MAX_LISTED, `Try /paper find ${name} to page through them.`));
    return { kind: 'facts', heading: question, lines, citations: citations.papers };
  }

  private read(papers: readonly PaperDates[]): Paper[] {
    return papers.map((p) => this.facts.paper(p.n));
  }

  private nearbyDays(date: string): AnswerLine[] {
    const dates = this.facts.dates;
    const before = [...dates].reverse().find((d) => d < date);
    const after = dates.find((d) => d > date);
    const near = [before, after].filter((d): d is string => d !== undefined);
    if (near.length === 0) return [];
    return [{ text: `Nearest digest days: ${near.map((d) => `${humanDate(d)} (${plural(this.facts.countInWindow(d, d), 'paper')})`).join(', ')}.`, cites: [] }];
  }

  private noDigests(question: string): Answer {
    return { kind: 'facts', heading: question, lines: [{ text: 'No digest has been loaded up to today.', cites: [] }], citations: [] };
  }
}

function newestFirst(a: PaperDates, b: PaperDates): number {
  const da = a.dates.at(-1) ?? a.published ?? '';
  const db = b.dates.at(-1) ?? b.published ?? '';
  return db.localeCompare(da) || b.upvotes - a.upvotes;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Topic words both abstracts use, most used first, as the words appear in the text. */
function sharedWords(a: Paper, b: Paper, max = 6): string[] {
  const count = (text: string) => {
    const m = new Map<string, { word: string; n: number }>();
    for (const w of tokenize(text)) {
      const t = toTerm(w);
      if (!t || t.length < 4 || /^\d+$/.test(t)) continue;
      const e = m.get(t);
      if (e) e.n++;
      else m.set(t, { word: w.toLowerCase(), n: 1 });
    }
    return m;
  };
  const ca = count(`${a.title} ${a.abstract}`);
  const cb = count(`${b.title} ${b.abstract}`);
  return [...ca]
    .filter(([t]) => cb.has(t) && !GENERIC.has(t))
    .sort((x, y) => y[1].n + cb.get(y[0])!.n - (x[1].n + cb.get(x[0])!.n))
    .slice(0, max)
    .map(([, e]) => e.word);
}

/** Words every abstract uses; shared, they say nothing about two papers. */
const GENERIC = new Set(
  'propose present introduce method methods approach results show model models task tasks performance achieve based work demonstrate experiments existing new also novel use using state art significantly'
    .split(' ')
    .map((w) => toTerm(w))
    .filter((t): t is string => t !== null),
);
