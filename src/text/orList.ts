/** “a”, “b” or “c”: alternatives in a sentence, each already quoted as the caller likes. */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
