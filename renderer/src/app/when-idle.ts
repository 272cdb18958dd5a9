/**
 * Runs `task` once the page is idle — after the frame in progress has been painted and the tasks already queued have
 * run — or after `timeoutMs` at the latest; returns what cancels it. Without requestIdleCallback, a timer.
 */
export function whenIdle(task: () => void, timeoutMs: number): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(task, { timeout: timeoutMs });
    return () => window.cancelIdleCallback(handle);
  }
  const timer = setTimeout(task, Math.min(timeoutMs, 50));
  return () => clearTimeout(timer);
}
