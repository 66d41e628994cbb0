import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/cli.js';
import { RAW_DIR, SEEDS_DIR, fixedClock } from '../helpers/seeds.js';

/** The seeds and one API day (arXiv ids), as a user's DIGESTS_DIR. */
let env: NodeJS.ProcessEnv;
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'paperbot-cli-ids-'));
  cpSync(SEEDS_DIR, dir, { recursive: true });
  cpSync(join(RAW_DIR, '2025-11-10.json'), join(dir, '2025-11-10.json'));
  env = { DIGESTS_DIR: dir };
});
const cli = (args: string[]) => runCliCaptured(args, env, fixedClock());

describe('paperbot show and find with ids', () => {
  it('show takes an arXiv id with a version or a paper URL, in text and --json', async () => {
    for (const typed of ['2511.05271v2', 'https://arxiv.org/abs/2511.05271', 'https://huggingface.co/papers/2511.05271']) {
      const text = await cli(['show', typed]);
      expect(text.code, typed).toBe(0);
      expect(text.out).toContain('DeepEyesV2: Toward Agentic Multimodal Model');
      const json = await cli(['show', typed, '--json']);
      expect((JSON.parse(json.out) as { id: string }).id).toBe('2511.05271');
    }
  });

  it('find --json with an arXiv URL lists exactly that paper', async () => {
    const { code, out } = await cli(['find', 'https://arxiv.org/pdf/2511.05271v1.pdf', '--json']);
    expect(code).toBe(0);
    expect((JSON.parse(out) as { id: string; score: number | null }[]).map((h) => h.id)).toEqual(['2511.05271']);
  });

  it('find --json with an arXiv id the digests do not have is an empty list, exit 0', async () => {
    const { code, out } = await cli(['find', '2401.00001v2', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual([]);
  });

  it('an unknown id exits 2 naming the closest id, and prints no paper', async () => {
    for (const args of [
      ['show', 't-91e2b2567'],
      ['show', 't-91e2b2567', '--json'],
    ]) {
      const { code, out, err } = await cli(args);
      expect(code, args.join(' ')).toBe(2);
      expect(out).toBe('');
      expect(err).toContain('No paper with id or title “t-91e2b2567”. Closest ids:\n• t-91e2b2567c: Exploiting Inter-Layer Expert Affinity');
    }
  });
});
