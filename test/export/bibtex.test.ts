import { describe, expect, it } from 'vitest';
import { bibtexEntry, bibtexFile, citationKey, escapeBibtex } from '../../src/export/bibtex.js';
import type { SavedPaperRecord } from '../../src/model/savedPaper.js';
import { manySavedRecords } from './savedRecords.js';

const paper = (over: Partial<SavedPaperRecord> = {}): SavedPaperRecord => ({
  id: '2511.05271',
  arxivId: '2511.05271',
  title: 'Schrödinger {Bridges} cut 50% of the cost',
  authors: ['José Álvarez', 'Zoë Lindqvist'],
  published: '2025-11-07',
  url: 'https://huggingface.co/papers/2511.05271',
  ...over,
});

describe('BibTeX export', () => {
  it('escapes braces, accents and % in a title, keeping the braces balanced', () => {
    const entry = bibtexEntry(paper());
    expect(entry).toContain('title = {{Schr{\\"o}dinger \\{Bridges\\} cut 50\\% of the cost}}');
    const depth = [...entry].reduce((d, c, i) => (entry[i - 1] === '\\' ? d : c === '{' ? d + 1 : c === '}' ? d - 1 : d), 0);
    expect(depth).toBe(0);
  });

  it('escapes every TeX special and accented names', () => {
    expect(escapeBibtex('Q&A_on C# for $5 ~ 2^3 \\ ok')).toBe('Q\\&A\\_on C\\# for \\$5 \\textasciitilde{} 2\\textasciicircum{}3 \\textbackslash{} ok');
    expect(escapeBibtex('José Ålvarez-Müller, Łukasz, Søren, ï')).toBe('Jos{\\\'e} {\\r A}lvarez-M{\\"u}ller, {\\L}ukasz, S{\\o}ren, {\\"\\i}');
  });

  it('carries authors, year, the arXiv eprint and its URL', () => {
    const entry = bibtexEntry(paper());
    expect(entry).toMatch(/^@misc\{alvarez2025schrodinger:2511\.05271,\n/);
    expect(entry).toContain("author = {Jos{\\'e} {\\'A}lvarez and Zo{\\\"e} Lindqvist}");
    expect(entry).toContain('year = {2025}');
    expect(entry).toContain('eprint = {2511.05271}');
    expect(entry).toContain('archivePrefix = {arXiv}');
    expect(entry).toContain('url = {https://arxiv.org/abs/2511.05271}');
  });

  it('ends the authors with "and others" when the digest only counts them', () => {
    expect(bibtexEntry(paper({ authors: ['Ada Lovelace'], authorCount: 6 }))).toContain('author = {Ada Lovelace and others}');
    expect(bibtexEntry(paper({ authors: [], authorCount: 6 }))).toContain('author = {others}');
    expect(bibtexEntry(paper({ authors: [] }))).not.toContain('author =');
  });

  it('a paper without an arXiv id has no eprint, and keeps its own link', () => {
    const entry = bibtexEntry(paper({ id: 't-91e2b2567c', arxivId: undefined, url: 'https://huggingface.co/papers?q=A%20title' }));
    expect(entry).not.toContain('eprint');
    expect(entry).toContain('url = {https://huggingface.co/papers?q=A%20title}');
    expect(entry).toMatch(/^@misc\{[a-z0-9]+:t-91e2b2567c,/);
  });

  it('keys are unique across 500 papers and do not change when other papers are saved', () => {
    const records = manySavedRecords(500);
    const keys = records.map(citationKey);
    expect(new Set(keys).size).toBe(500);
    expect(keys.every((k) => /^[a-z0-9]+:[A-Za-z0-9.-]+$/.test(k))).toBe(true);
    const alone = bibtexFile([records[42]!]);
    expect(bibtexFile(records)).toContain(alone);
  });
});
