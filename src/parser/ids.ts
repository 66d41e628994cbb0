import { createHash } from 'node:crypto';
import { titleKey } from './text.js';

/**
 * Id for a paper whose arXiv id is unknown: derived from the normalised title only,
 * so the same paper gets the same id in every file and on every run.
 */
export function titleId(title: string): string {
  return 't-' + createHash('sha1').update(titleKey(title)).digest('hex').slice(0, 10);
}
