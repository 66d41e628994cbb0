/** "1 paper", "2 papers", "1,204 papers": a count with the noun that goes with it. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${countForm(n, word, many)}`;
}

/** The form of a word that agrees with a count, for verbs beside it: countForm(n, 'has', 'have'). */
export function countForm(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
