import { createHash } from 'node:crypto';
import { titleKey } from './text.js';

const ARXIV_ID = /^\d{4}\.\d{4,5}$/;

export function isArxivId(id: string): boolean {
  return ARXIV_ID.test(id);
}

/**
 * Id for a paper whose arXiv id is unknown: derived from the normalised title only,
 * so the same paper gets the same id in every file and on every run.
 */
export function titleId(title: string): string {
  return 't-' + createHash('sha1').update(titleKey(title)).digest('hex').slice(0, 10);
}
