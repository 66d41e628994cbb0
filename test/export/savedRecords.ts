import type { SavedPaperRecord } from '../../src/model/savedPaper.js';

/**
 * Many distinct papers as a reading list keeps them, with the hard cases of real titles mixed
 * in (accents, braces, TeX specials), for exports at scale without the corpus.
 */
export function manySavedRecords(n: number): SavedPaperRecord[] {
  const hard = ['Schrödinger’s {Bridge} at 50% Cost', 'Q&A over C# code_bases for $5', 'Müller & Øster: #1 on Ünïcode'];
  return Array.from({ length: n }, (_, i) => {
    const month = String((i % 12) + 1).padStart(2, '0');
    const arxivId = `25${month}.${String(10000 + i).padStart(5, '0')}`;
    return {
      id: arxivId,
      arxivId,
      title: `${hard[i % hard.length]}: a study of scaling, part ${i + 1}`,
      authors: ['José Álvarez', 'Zoë Lindqvist', 'Wei Zhang', 'Ada Lovelace'].slice(0, 1 + (i % 4)),
      published: `2025-${month}-15`,
      url: `https://huggingface.co/papers/${arxivId}`,
    };
  });
}
