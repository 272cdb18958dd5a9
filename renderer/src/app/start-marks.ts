/**
 * Performance marks of the page's start (`frontdesk:<name>`, the first time each happens), which `npm run bench:ui`
 * reads to say where the time between the spawn of the host and the painted calendar goes. A mark costs microseconds.
 * The same marks let reads the first screen does not need wait until it has its data (whenStartMarked).
 */
const marked = new Set<string>();
const waiting = new Map<string, Set<() => void>>();

export function markStart(name: string): void {
  if (marked.has(name)) return;
  marked.add(name);
  performance.mark(`frontdesk:${name}`);
  const resolvers = waiting.get(name);
  waiting.delete(name);
  for (const resolve of resolvers ?? []) resolve();
}

/**
 * Resolves once the page reached `name` — at once if it already has — or after `capMs` (the page may have opened on a
 * screen that never reaches it). At start the host answers one query at a time, so a read that waits here leaves the
 * host to the calendar's.
 */
export function whenStartMarked(name: string, capMs: number): Promise<void> {
  if (marked.has(name)) return Promise.resolve();
  return new Promise((resolve) => {
    const resolvers = waiting.get(name) ?? new Set<() => void>();
    waiting.set(name, resolvers);
    const done = () => {
      clearTimeout(timer);
      resolvers.delete(done);
      resolve();
    };
    const timer = setTimeout(done, capMs);
    resolvers.add(done);
  });
}
