import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/cli.js';
import { ROOT, SEEDS_DIR, fixedClock, seedIndex } from '../helpers/seeds.js';

const cli = (args: string[], env: NodeJS.ProcessEnv = { DIGESTS_DIR: SEEDS_DIR }) => runCliCaptured(args, env, fixedClock());

describe('paperbot CLI', () => {
  it('find --json prints only the JSON list of hits', async () => {
    const { code, out } = await cli(['find', 'moe routing', '--json', '--limit', '3']);
    expect(code).toBe(0);
    const hits = JSON.parse(out) as { id: string; title: string; score: number; published: string | null; upvotes: number; link: string }[];
    const expected = (await seedIndex()).search('moe routing', { limit: 3 });
    expect(hits.map((h) => h.id)).toEqual(expected.map((h) => h.paper.id));
    for (const h of hits) expect(Object.keys(h).sort()).toEqual(['id', 'link', 'published', 'score', 'title', 'upvotes']);
  });

  it('a terminal takes more papers than a chat message: --limit goes past 10 in the CLI, text and JSON alike', async () => {
    const expected = (await seedIndex()).search('moe routing', { limit: 11 });
    expect(expected.length).toBe(11);
    const json = await cli(['find', 'moe routing', '--json', '--limit', '11']);
    expect((JSON.parse(json.out) as { id: string }[]).map((h) => h.id)).toEqual(expected.map((h) => h.paper.id));
    const text = await cli(['find', 'moe routing', '--limit', '11']);
    expect(text.out).toContain(`\n11. ${expected[10]!.paper.title}\n`);
  });

  it('zero hits is success with an empty list', async () => {
    const { code, out } = await cli(['find', 'zzqxv', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual([]);
  });

  it('a query no paper answers prints an empty list, not the papers having one of its words', async () => {
    const index = await seedIndex();
    expect(index.searchPage('banana bread recipe').someWords).toBeGreaterThan(0);
    const { code, out } = await cli(['find', 'banana bread recipe', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual([]);
  });

  it('--digests reads another folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperbot-cli-'));
    writeFileSync(join(dir, 'one.txt'), 'Daily Papers\n\nDec 1\n\nOnly Paper About Zebras\n\nZebras are striped. We study zebras.\n');
    const { code, out } = await cli(['find', 'zebras', '--json', '--digests', dir]);
    expect(code).toBe(0);
    expect((JSON.parse(out) as { title: string }[]).map((h) => h.title)).toEqual(['Only Paper About Zebras']);
  });

  it.each([
    [['frob'], /unknown command "frob"/],
    [['find'], /paperbot find needs a query/],
    [['find', 'x', '--limit', 'many'], /--limit takes a whole number from 1 to 100/],
    [['find', 'x', '--bogus'], /paperbot find has no option --bogus/],
    [['trending', 'year'], /Period must be day, week or month/],
    [['summary', 't-91e2b2567c', '--json'], /--json is for find, show, trending, like/],
    [['find', 'x', '--digests', '/nonexistent'], /cannot read digests from \/nonexistent/],
    [[], /no command given[\s\S]*Usage: paperbot/],
  ])('%j is bad usage: exit 2 with a message on stderr', async (args, message) => {
    const { code, out, err } = await cli(args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(out).toBe('');
  });

  it('show and trending print what the console chat shows', async () => {
    const index = await seedIndex();
    const paper = index.papers()[0]!;
    const show = await cli(['show', paper.id]);
    expect(show.code).toBe(0);
    expect(show.out).toContain(paper.title);
    const trending = await cli(['trending', 'week', '--json']);
    expect((JSON.parse(trending.out) as { id: string }[]).map((h) => h.id)).toEqual(index.trending('week', '2026-11-23', 10).hits.map((h) => h.paper.id));
  });

  it('check lists every problem with file:line and exits 2 when a file is bad', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperbot-check-'));
    writeFileSync(join(dir, 'bad.json'), '[\n{"paper": 1}\n]');
    writeFileSync(join(dir, 'empty.txt'), '');
    const bad = await cli(['check', dir]);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain(`${join(dir, 'bad.json')}:0: error: entry 1 does not have the daily-papers shape`);
    expect(bad.out).toContain(`${join(dir, 'empty.txt')}:0: error: file is empty`);
    const good = await cli(['check', SEEDS_DIR]);
    expect(good.code).toBe(0);
    expect(good.out).toMatch(/000_d79c0fbeffbda81e\.txt:11: warning: page date "Dec 10" has no year: read as 2025-12-10/);
    expect(good.err).toMatch(/4 digests, 204 distinct papers; 0 errors, 4 warnings; \d+ dates without a year/);
    const json = await cli(['check', dir, '--json']);
    expect(json.code).toBe(2);
    const report = JSON.parse(json.out) as { errors: number; issues: { file: string; severity: string }[] };
    expect(report.errors).toBe(2);
    expect(
      report.issues
        .filter((i) => i.severity === 'error')
        .map((i) => i.file)
        .sort(),
    ).toEqual([join(dir, 'bad.json'), join(dir, 'empty.txt')]);
  });

  it('the installed bin runs as a program, logs off stdout', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'bin/paperbot.js'), 'find', 'kv cache', '--json', '--limit', '2'], {
      cwd: ROOT,
      env: { ...process.env, DIGESTS_DIR: SEEDS_DIR, LOG_LEVEL: 'info' },
    });
    expect((JSON.parse(stdout) as unknown[]).length).toBe(2);
  });
});
