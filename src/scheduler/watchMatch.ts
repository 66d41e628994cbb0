import { toTerms } from '../index/terms.js';
import type { Paper } from '../model/paper.js';

/**
 * Alerts must be precise, so a watch matches a paper only when every word of the query is in
 * its title or abstract (same stemming as search), where an acronym also counts when its
 * expansion is there: `moe routing` matches "mixture-of-experts … routing".
 */
export function watchMatcher(query: string, acronyms: ReadonlyMap<string, string[]>): (paper: Paper) => boolean {
  const requirements = [...new Set(toTerms(query))].map((term) => [
    [term],
    ...(acronyms.get(term) ?? []).map((phrase) => toTerms(phrase)).filter((terms) => terms.length > 0),
  ]);
  return (paper) => {
    if (requirements.length === 0) return false;
    const text = ` ${toTerms(`${paper.title} ${paper.abstract}`).join(' ')} `;
    return requirements.every((alternatives) => alternatives.some((terms) => text.includes(` ${terms.join(' ')} `)));
  };
}
