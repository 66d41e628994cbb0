import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHfDailyJson } from '../../src/parser/hfJson.js';
import { RAW_DIR } from '../helpers/seeds.js';

const raw = (day: string) => readFileSync(join(RAW_DIR, `${day}.json`), 'utf8');
/** Days saved as JSON objects (the others hold Python-repr strings, see SOURCE.md). */
const objectDays = readdirSync(RAW_DIR)
  .map((f) => f.replace('.json', ''))
  .filter((d) => typeof (JSON.parse(raw(d)) as unknown[])[0] === 'object');

describe('Hugging Face daily-papers JSON', () => {
  it('has real object-shaped days to test against', () => {
    expect(objectDays.length).toBeGreaterThanOrEqual(5);
  });

  it.each(objectDays)('reads every entry of %s with its arXiv id, title and upvotes', (day) => {
    const entries = JSON.parse(raw(day)) as { paper: { id: string; title: string; upvotes: number; authors: unknown[] } }[];
    const r = parseHfDailyJson(`${day}.json`, raw(day));
    expect(r.issues).toEqual([]);
    expect(r.digests).toEqual([{ file: `${day}.json`, date: day, yearInferred: false, entries: entries.length }]);
    expect(r.papers.map((p) => p.id)).toEqual(entries.map((e) => e.paper.id));
    expect(r.papers.map((p) => p.upvotes)).toEqual(entries.map((e) => e.paper.upvotes));
    expect(r.papers.map((p) => p.authors.length)).toEqual(entries.map((e) => e.paper.authors.length));
    for (const p of r.papers) expect(p.title).not.toMatch(/\n|\s{2}/);
  });

  it('reads the {status, date, data} wrapper, taking the date from it', () => {
    const day = objectDays[0]!;
    const wrapped = JSON.stringify({ status: 'success', date: '2030-01-02', count: 1, data: JSON.parse(raw(day)) });
    const r = parseHfDailyJson('wrapped.json', wrapped);
    expect(r.issues).toEqual([]);
    expect(r.digests[0]!.date).toBe('2030-01-02');
    expect(r.papers.length).toBe((JSON.parse(raw(day)) as unknown[]).length);
  });

  it('reads the organisation when the API gives one', () => {
    const day = objectDays.find((d) => raw(d).includes('"organization"'))!;
    const withOrg = parseHfDailyJson(`${day}.json`, raw(day)).papers.filter((p) => p.organization);
    expect(withOrg.length).toBeGreaterThan(0);
    for (const p of withOrg) expect(p.organization!.name.length).toBeGreaterThan(0);
  });

  it.each(['2024-12-11', '2025-01-02', '2025-01-10'])('rejects %s, saved as Python-repr strings, with a clear message', (day) => {
    const r = parseHfDailyJson(`${day}.json`, raw(day));
    expect(r.papers).toEqual([]);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]!.message).toMatch(/Python-repr strings/);
  });

  it('accepts an empty day (weekends have no papers)', () => {
    const r = parseHfDailyJson('2026-08-22.json', '[]');
    expect(r.issues).toEqual([]);
    expect(r.digests[0]).toMatchObject({ date: '2026-08-22', entries: 0 });
  });

  it('names the line of a JSON syntax error', () => {
    const r = parseHfDailyJson('bad.json', '[\n  {"paper": {"id": "1"}},\n  oops\n]');
    expect(r.issues[0]).toMatchObject({ file: 'bad.json', line: 3, severity: 'error', message: expect.stringMatching(/not valid JSON/) });
  });

  it('rejects a file of the wrong shape whole, naming the entry and field', () => {
    const entries = JSON.parse(raw(objectDays[0]!)) as { paper: Record<string, unknown> }[];
    delete entries[1]!.paper['title'];
    const r = parseHfDailyJson('2026-01-01.json', JSON.stringify(entries));
    expect(r.papers).toEqual([]);
    expect(r.issues[0]!.message).toMatch(/entry 2 .*paper\.title/);
    expect(parseHfDailyJson('x.json', '{"hello": 1}').issues[0]!.message).toMatch(/expected a JSON array/);
  });
});
