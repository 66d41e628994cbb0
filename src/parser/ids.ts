import { createHash } from 'node:crypto';
import { titleKey } from './text.js';

/**
 * Id for a paper whose arXiv id is unknown: derived from the normalised title only,
 * so the same paper gets the same id in every file and on every run.
 */
export function titleId(title: string): string {
  return 't-' + createHash('sha1').update(titleKey(title)).digest('hex').slice(0, 10);
}

/** New-style arXiv ids (since 2007): YYMM.NNNN or YYMM.NNNNN, optionally with a version. */
const ARXIV_ID = /^(\d{4}\.\d{4,5})(?:v\d+)?$/i;
/** Pages that name a paper by its arXiv id: arxiv.org abs/pdf/html, Hugging Face paper pages. */
const PAPER_URL = /^(?:https?:\/\/)?(?:www\.|export\.)?(?:arxiv\.org\/(?:abs|pdf|html)|(?:huggingface\.co|hf\.co)\/papers)\/([^/?#\s]+)/i;

/**
 * The arXiv id (without version) that a typed reference names: `2511.05271`, `2511.05271v2`,
 * `arXiv:2511.05271`, or an arxiv.org / huggingface.co/papers URL; undefined for anything else.
 */
export function arxivIdOf(text: string): string | undefined {
  const typed = text.trim().replace(/^<(.*)>$/, '$1');
  const fromUrl = PAPER_URL.exec(typed)?.[1]?.replace(/\.pdf$/i, '');
  const candidate = fromUrl ?? typed.replace(/^arxiv:\s*/i, '');
  return ARXIV_ID.exec(candidate)?.[1];
}

/**
 * Whether typed text is shaped like a paper id rather than title words: one word that is an
 * arXiv id or URL (or part of one), a title-derived id (`t-…`), or holds a digit.
 */
export function looksLikeId(text: string): boolean {
  const typed = text.trim();
  if (typed === '' || /\s/.test(typed)) return false;
  return arxivIdOf(typed) !== undefined || PAPER_URL.test(typed) || /^t-[0-9a-f]*$/i.test(typed) || /\d/.test(typed) || /^arxiv:/i.test(typed);
}
