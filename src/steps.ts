/**
 * Long synchronous work (parsing 100,000 lines, laying out an index) written once as a
 * generator that yields between steps, then either run straight through, or run with a pause
 * at each step so a running bot keeps answering while it reloads.
 */
export type Steps<T> = Generator<void, T, void>;

export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

export async function runStepsPausing<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await pause();
  }
}

/** Lets whatever else is waiting (answers, I/O) run before going on. */
export function pause(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
