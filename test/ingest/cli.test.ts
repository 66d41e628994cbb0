import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { FakeHfServer } from '../fakes/hf/server.js';
import { runCliCaptured } from '../helpers/cli.js';

let hf: FakeHfServer;
let tmp: string;

beforeEach(async () => {
  hf = await new FakeHfServer().start();
  tmp = await mkdtemp(join(tmpdir(), 'paperbot-fetch-cli-'));
});
afterEach(async () => {
  await hf.close();
  await rm(tmp, { recursive: true, force: true });
});

function cli(args: string[]) {
  const env = { DIGESTS_DIR: join(tmp, 'digests'), DATA_DIR: join(tmp, 'data'), HF_API_URL: hf.url };
  return runCliCaptured(args, env, new FixedClock(new Date('2025-12-10T18:00:00Z')));
}

describe('paperbot fetch and stats', () => {
  it('fetches a range, skips empty days, and stats shows what was ingested', async () => {
    const fetched = await cli(['fetch', '--since', '2025-12-08']);
    expect(fetched.code).toBe(0);
    expect(fetched.out).toMatch(/^2025-12-08 {2}no papers/m);
    expect(fetched.out).toMatch(/^2025-12-09 {2}saved \d+ papers to .*2025-12-09\.json$/m);
    expect(fetched.out).toMatch(/^2025-12-10 {2}saved \d+ papers/m);
    expect(await readdir(join(tmp, 'digests'))).toEqual(['2025-12-09.json', '2025-12-10.json']);
    const indexPapers = Number(/index: (\d+) papers/.exec(fetched.out)?.[1]);

    const stats = await cli(['stats', '--json']);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.out)).toMatchObject({ papers: indexPapers, digests: 2, from: '2025-12-09', to: '2025-12-10', files: 2, errors: 0, engine: 'minisearch', snapshot: { current: true } });
    expect(JSON.parse(stats.out).lastIngest).toBe('2025-12-10T18:00:00.000Z');
  });

  it('exits 1 and names the day whose response was not a daily-papers list', async () => {
    hf.script('2025-12-09', { kind: 'body', body: '<html>Bad gateway</html>', status: 200 });
    const { code, out } = await cli(['fetch', '--date', '2025-12-09']);
    expect(code).toBe(1);
    expect(out).toMatch(/2025-12-09 {2}failed: the response for 2025-12-09 is not a daily-papers list/);
  });

  it('will not fetch into an empty folder that is not the one the index was made from (an unmounted disk)', async () => {
    expect((await cli(['fetch', '--date', '2025-12-09'])).code).toBe(0);
    await rename(join(tmp, 'digests'), join(tmp, 'mounted'));
    await mkdir(join(tmp, 'digests'));
    const requests = hf.requests.length;
    const { code, err } = await cli(['fetch']);
    expect(code).toBe(2);
    expect(err).toMatch(/not fetching into .*digests: is empty and not the folder the index was made from \(an unmounted disk\?\)/);
    expect(hf.requests.length).toBe(requests);
    expect(await readdir(join(tmp, 'digests'))).toEqual([]);
  });

  it.each([
    [['fetch', '--date', '2025-02-30'], /dates are YYYY-MM-DD/],
    [['fetch', '--date', '2025-12-11'], /in the future/],
    [['fetch', '--date', '2025-12-01', '--since', '2025-11-01'], /not both/],
    [['fetch', '--since', '2020-01-01'], /fetch at most 366/],
    [['fetch', '--since', '2025-12-11'], /in the future/],
    [['fetch', '2025-12-01'], /fetch takes --date or --since, not "2025-12-01"; did you mean --date 2025-12-01\?/],
  ])('%j is bad usage: exit 2, nothing requested', async (args, message) => {
    const { code, err } = await cli(args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(hf.requests).toEqual([]);
  });
});
