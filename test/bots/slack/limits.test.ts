import { describe, expect, it } from 'vitest';
import { ELLIPSIS, fitMessage, LIMITS, truncate, truncateEscaped } from '../../../src/bots/slack/limits.js';
import { escapeMrkdwn } from '../../../src/bots/slack/mrkdwn.js';

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

describe('truncate', () => {
  it('keeps text at exactly the limit and cuts one character over it', () => {
    const text = 'a'.repeat(LIMITS.sectionText);
    expect(truncate(text, LIMITS.sectionText)).toBe(text);
    const over = truncate(text + 'b', LIMITS.sectionText);
    expect(over).toHaveLength(LIMITS.sectionText);
    expect(over.endsWith(ELLIPSIS)).toBe(true);
  });

  it('cuts at a word boundary and ends with an ellipsis', () => {
    const cut = truncate(words(100), 50);
    expect(cut.length).toBeLessThanOrEqual(50);
    expect(cut).toMatch(/word\d+…$/);
    expect(words(100).startsWith(cut.slice(0, -1))).toBe(true);
  });

  it('never splits an emoji in half', () => {
    const cut = truncate('ab' + '😀'.repeat(10), 5);
    expect(cut).toBe('ab😀…');
  });

  it.each([
    ['header', LIMITS.headerText],
    ['button text', LIMITS.buttonText],
    ['section', LIMITS.sectionText],
  ])('%s: at the limit unchanged, one over shortened to the limit', (_name, max) => {
    const exact = 'x'.repeat(max);
    expect(truncate(exact, max)).toBe(exact);
    expect(truncate(exact + 'y', max)).toHaveLength(max);
  });
});

describe('truncateEscaped', () => {
  it('fits the escaped text, not the raw one, and never leaves half an entity', () => {
    const raw = '&'.repeat(LIMITS.sectionText);
    const out = truncateEscaped(raw, LIMITS.sectionText, escapeMrkdwn);
    expect(out.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(out.replace(/&amp;/g, '')).toBe(ELLIPSIS);
  });

  it('leaves text that fits after escaping alone', () => {
    const raw = 'a<b'.padEnd(LIMITS.sectionText - 3, 'c');
    expect(truncateEscaped(raw, LIMITS.sectionText, escapeMrkdwn)).toBe(escapeMrkdwn(raw));
  });
});

describe('fitMessage', () => {
  const block = (i: number, size = 10) => ({ type: 'section', text: { type: 'mrkdwn', text: `${i}`.padEnd(size, '.') } });
  const note = (dropped: number) => ({ type: 'context', text: { type: 'mrkdwn', text: `${dropped} more` } });

  it('leaves 50 blocks alone and turns 51 into 49 plus a note', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => block(i));
    expect(fitMessage(fifty, note)).toBe(fifty);
    const fitted = fitMessage([...fifty, block(50)], note);
    expect(fitted).toHaveLength(LIMITS.blocks);
    expect(fitted.at(-1)).toEqual(note(2));
    expect(fitted[48]).toEqual(block(48));
  });

  it('drops trailing blocks until the message is within about 40k characters', () => {
    const big = Array.from({ length: 20 }, (_, i) => block(i, 2900));
    expect(JSON.stringify(big).length).toBeGreaterThan(LIMITS.messageChars);
    const fitted = fitMessage(big, note);
    expect(JSON.stringify(fitted).length).toBeLessThanOrEqual(LIMITS.messageChars);
    const kept = fitted.length - 1;
    expect(fitted.at(-1)).toEqual(note(20 - kept));
    expect(JSON.stringify([...big.slice(0, kept + 1), note(19 - kept)]).length).toBeGreaterThan(LIMITS.messageChars);
  });
});
