import type { Paper } from '../model/paper.js';
import { tokenize } from './terms.js';

/**
 * Whether the query names one of the paper's people: every word of it is a word of one author's
 * name or of the organisation's ("Tri Dao", "Carnegie Mellon University"). A one-word query must
 * be an organisation or a surname ("nvidia", "bengio"), so "long" does not pick out "Long Ouyang".
 */
export function namesPerson(paper: Paper, query: string): boolean {
  const words = tokenize(query).map((w) => w.toLowerCase());
  if (words.length === 0) return false;
  const names = nameWords(paper);
  if (words.length === 1) return names.some(({ name, organization }) => (organization ? name.includes(words[0]!) : name.at(-1) === words[0]));
  return names.some(({ name }) => words.every((w) => name.includes(w)));
}

function nameWords(paper: Paper): { name: string[]; organization: boolean }[] {
  const words = (text: string) => tokenize(text).map((w) => w.toLowerCase());
  const people = paper.authors.map((a) => ({ name: words(a), organization: false }));
  if (!paper.organization) return people;
  return [{ name: [...words(paper.organization.name), ...words(paper.organization.handle)], organization: true }, ...people];
}
