import { beforeAll, describe, expect, it } from 'vitest';
import { replyAnswerer } from '../../src/answer/replyAnswerer.js';
import { askCommand } from '../../src/commands/ask.js';
import type { Command } from '../../src/commands/command.js';
import { parseCommandText } from '../../src/commands/parseCommand.js';
import type { Paper } from '../../src/model/paper.js';
import { gradeReply, recall, type GradedReply } from './grade.js';
import { QUESTIONS } from './questions.js';
import { seedLibrary } from './seedLibrary.js';

/** Thresholds the offline answers must keep; bench/ask.ts reports the same figures. */
const MIN_MEAN_RECALL = 0.9;

describe('graded question set over the seed digests (offline answers)', () => {
  let papers: Map<string, Paper>;
  const graded: { q: (typeof QUESTIONS)[number]; g: GradedReply }[] = [];

  beforeAll(async () => {
    const seeds = await seedLibrary();
    papers = seeds.papers;
    const ask: Command = askCommand(replyAnswerer(seeds.library, seeds.clock));
    for (const q of QUESTIONS) {
      const reply = await ask.run(parseCommandText(`ask ${q.question}`), { platform: 'console', ...(q.thread ? { threadPaperId: q.thread } : {}) });
      graded.push({ q, g: gradeReply(reply, papers) });
    }
  });

  it('has at least 40 questions, each citing papers that exist in the seeds', () => {
    expect(QUESTIONS.length).toBeGreaterThanOrEqual(40);
    for (const q of QUESTIONS) for (const id of [...q.cite, ...(q.thread ? [q.thread] : [])]) expect(papers.has(id), `${q.question}: ${id}`).toBe(true);
  });

  it(`cites the papers that answer each question (mean recall ≥ ${MIN_MEAN_RECALL})`, () => {
    const withCitations = graded.filter(({ q }) => q.cite.length > 0);
    const mean = withCitations.reduce((s, { q, g }) => s + recall(g.cited, q.cite), 0) / withCitations.length;
    const misses = withCitations.filter(({ q, g }) => recall(g.cited, q.cite) < 1).map(({ q, g }) => `${q.question} → ${g.cited.join(', ')}`);
    expect(mean, misses.join('\n')).toBeGreaterThanOrEqual(MIN_MEAN_RECALL);
  });

  it(`lists the papers find ranks on the topic for list questions (mean recall ≥ ${MIN_MEAN_RECALL}), one quoted sentence each, at most ten`, () => {
    const lists = graded.filter(({ q }) => q.form === 'list' && q.cite.length > 0);
    expect(lists.length).toBeGreaterThanOrEqual(5);
    const mean = lists.reduce((s, { q, g }) => s + recall(g.cited, q.cite), 0) / lists.length;
    expect(mean, lists.map(({ q, g }) => `${q.question} → ${g.cited.join(', ')}`).join('\n')).toBeGreaterThanOrEqual(MIN_MEAN_RECALL);
    for (const { q, g } of lists) {
      const quotes = g.lines.filter((l) => l.startsWith('• ') && l.includes('“'));
      expect(quotes.length, q.question).toBe(g.cited.length);
      expect(g.cited.length, q.question).toBeLessThanOrEqual(10);
    }
  });

  it('quotes first, for a how-question, the paper find ranks best among those that answer it', () => {
    const hows = graded.filter(({ q }) => q.form === 'how' && q.cite.length > 0);
    expect(hows.length).toBeGreaterThanOrEqual(5);
    for (const { q, g } of hows) expect(g.cited[0], q.question).toBe(q.cite[0]);
  });

  it('never cites the papers judged off topic for a question', () => {
    const judged = graded.filter(({ q }) => (q.neverCite ?? []).length > 0);
    expect(judged.length).toBeGreaterThanOrEqual(3);
    for (const { q, g } of judged) for (const id of q.neverCite!) expect(g.cited, `${q.question}: ${id}`).not.toContain(id);
  });

  it('makes no uncited claims: every quote is in the abstract it cites, every claim line has a citation', () => {
    for (const { q, g } of graded) {
      expect(g.untraceable, q.question).toEqual([]);
      expect(g.uncited, q.question).toEqual([]);
      expect(g.danglingMarkers, q.question).toEqual([]);
    }
  });

  it('says so when the digest does not contain the answer, instead of answering', () => {
    for (const { q, g } of graded.filter(({ q }) => q.expect === 'not_found')) {
      expect(g.saysNotFound, `${q.question}: ${g.lines.join(' / ')}`).toBe(true);
      expect(
        g.lines.some((l) => l.includes('“')),
        q.question,
      ).toBe(false);
    }
  });

  it('names the words of an unanswerable question that no close paper mentions', () => {
    const bread = graded.find(({ q }) => q.question === 'how can I bake sourdough bread?');
    expect(bread?.g.lines[0]).toBe('The digest does not answer that: none of the papers closest to it mentions ‘bake’, ‘sourdough’ or ‘bread’.');
  });

  it('states the count of the digest day a count question is about', () => {
    for (const { q, g } of graded.filter(({ q }) => q.expect === 'count')) {
      const count = [...papers.values()].filter((p) => p.digests.some((d) => d.date === q.countDay)).length;
      expect(g.lines.join(' '), q.question).toMatch(new RegExp(`\\b${count} papers\\b`));
    }
  });
});
