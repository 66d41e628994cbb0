/** Levenshtein distance: how many single-letter edits turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** Reused by editDistanceAtMost: it runs over every id of the index for one typed id. */
let previous = new Uint16Array(64);
let current = new Uint16Array(64);
const counts = new Int16Array(65536);

/**
 * The Levenshtein distance when it is at most `max`, else undefined. Cheap for the common
 * "far apart" case: strings whose letters differ by more than 2·max cannot be that close, and
 * the table stops as soon as a whole row exceeds `max`.
 */
export function editDistanceAtMost(a: string, b: string, max: number): number | undefined {
  if (Math.abs(a.length - b.length) > max) return undefined;
  // Each edit changes the letter counts by at most two.
  for (let i = 0; i < a.length; i++) counts[a.charCodeAt(i)]!++;
  for (let i = 0; i < b.length; i++) counts[b.charCodeAt(i)]!--;
  let differing = 0;
  for (const text of [a, b]) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      differing += Math.abs(counts[code]!);
      counts[code] = 0;
    }
  }
  if (differing > 2 * max) return undefined;
  if (previous.length <= b.length) {
    previous = new Uint16Array(b.length + 1);
    current = new Uint16Array(b.length + 1);
  }
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cell = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      current[j] = cell;
      if (cell < best) best = cell;
    }
    // Every later row is at least this row's least value.
    if (best > max) return undefined;
    [previous, current] = [current, previous];
  }
  const distance = previous[b.length]!;
  return distance <= max ? distance : undefined;
}
