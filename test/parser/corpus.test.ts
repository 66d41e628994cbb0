import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCorpus } from '../../src/parser/corpus.js';
import { CORPUS_DIR } from '../helpers/seeds.js';

const realLines = readFileSync(join(CORPUS_DIR, 'papers.jsonl'), 'utf8').split('\n').slice(0, 40);

describe('corpus papers.jsonl', () => {
  it('reads the same papers and problems from bytes (decoded line by line) as from text', async () => {
    // Real lines plus what breaks line splitting: a byte-order mark, CRLF, a bad line, non-ASCII, a trailing CR.
    const text = `\uFEFF${realLines.slice(0, 20).join('\r\n')}\r\nnot json\n{"id":"x1","title":"Ünïcode — “quoted” 日本語"}\n${realLines.slice(20).join('\n')}\r`;
    const fromText = parseCorpus('papers.jsonl', text);
    const fromBytes = parseCorpus('papers.jsonl', Buffer.from(text, 'utf8'));
    expect(fromText.papers.length).toBeGreaterThan(30);
    expect(fromText.papers.some((p) => p.title === 'Ünïcode — “quoted” 日本語')).toBe(true);
    expect(fromText.issues).toEqual([expect.objectContaining({ line: 21, message: 'not valid JSON: line skipped' })]);
    expect(fromBytes).toEqual(fromText);
  });
});
