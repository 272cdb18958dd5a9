/**
 * Performance marks of the page's start (`frontdesk:<name>`, the first time each happens), which `npm run bench:ui`
 * reads to say where the time between the spawn of the host and the painted calendar goes. A mark costs microseconds.
 */
const marked = new Set<string>();

export function markStart(name: string): void {
  if (marked.has(name)) return;
  marked.add(name);
  performance.mark(`frontdesk:${name}`);
}
