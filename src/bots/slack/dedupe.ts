/**
 * Remembers the last `capacity` delivery keys (trigger_id, event_id), so a retried request from
 * Slack is answered once. Memory stays bounded: the oldest key is forgotten first.
 */
export class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = 2000) {}

  /** True the first time a key is seen, false for a repeat. */
  first(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.values().next().value!);
    return true;
  }

  get size(): number {
    return this.keys.size;
  }
}
