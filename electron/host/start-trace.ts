/**
 * Start-up timestamps for `npm run bench:ui`'s breakdown (spawn → Node ready → CLI loaded → folder claimed → listening
 * → host code loaded → database open → running). Off unless FRONTDESK_START_TRACE=1: then each mark is one stderr line
 * with the wall-clock time in ms (performance.timeOrigin + now, so the bench can line it up with the page's clock).
 */
const enabled = process.env.FRONTDESK_START_TRACE === '1';

export function startMark(name: string): void {
  if (!enabled) return;
  process.stderr.write(`[start-trace] ${name} ${(performance.timeOrigin + performance.now()).toFixed(1)}\n`);
}
