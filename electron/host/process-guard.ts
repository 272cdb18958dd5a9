/**
 * The host process's last line of defence (web mode's CLI and Electron main install it). Nothing a peer sends should
 * reach code that can throw outside a request's own promise — the API router and the storage hub answer every request
 * themselves — so reaching these handlers means a bug in the host:
 * - an unhandled promise rejection is logged with its stack and the host keeps serving: the failed operation has
 *   already unwound, and one lost background operation (logged) is better than a desk without its app;
 * - an uncaught exception is fatal: Node cannot tell what state the interrupted code left behind, so the host says so
 *   loudly, stops cleanly (the database is closed; every saved change is already on disk) and exits with code 70.
 */
export const EXIT_INTERNAL_ERROR = 70;
/** How long a clean stop may take after an uncaught exception before the process exits anyway. */
export const FATAL_STOP_TIMEOUT_MS = 5000;

export interface ProcessGuardOptions {
  log: (line: string) => void;
  /** Stops the host (servers, database). Called once, after the first uncaught exception. */
  stop: () => Promise<void>;
  /**
   * Says what happened where a person sees it (Electron: a dialog), after the log. Optional. `message` is the English
   * text with the error's; `detail` the error's own words, for a caller that says the rest in the person's language.
   */
  tellUser?: (message: string, detail: string) => void;
  /** Tests: where the guard listens and how it exits (default: this process). */
  target?: NodeJS.EventEmitter;
  exit?: (code: number) => void;
  stopTimeoutMs?: number;
}

export function installProcessGuard(options: ProcessGuardOptions): () => void {
  const target = options.target ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;

  const onRejection = (reason: unknown) => {
    options.log(`Internal error: an operation failed and nothing handled it. FrontDesk keeps running; if something looks wrong, restart it and report this message.\n${describe(reason)}`);
  };
  const onException = (error: unknown) => {
    if (stopping) {
      options.log(`Another internal error while stopping; exiting now.\n${describe(error)}`);
      exit(EXIT_INTERNAL_ERROR);
      return;
    }
    stopping = true;
    const message =
      'FrontDesk hit an internal error it cannot safely continue from and is stopping. Every change saved before this ' +
      'is safe on disk. Start FrontDesk again; if this happens again, report this message with the details below.';
    options.log(`${message}\n${describe(error)}`);
    try {
      const detail = error instanceof Error ? error.message : String(error);
      options.tellUser?.(`${message}\n\n${detail}`, detail);
    } catch {
      // Telling the user is best effort; the log above already has everything.
    }
    const timeout = setTimeout(() => {
      options.log(`FrontDesk did not stop within ${(options.stopTimeoutMs ?? FATAL_STOP_TIMEOUT_MS) / 1000} s; exiting anyway.`);
      exit(EXIT_INTERNAL_ERROR);
    }, options.stopTimeoutMs ?? FATAL_STOP_TIMEOUT_MS);
    timeout.unref?.();
    options
      .stop()
      .catch((stopError: unknown) => options.log(`Stopping after the internal error failed too: ${describe(stopError)}`))
      .finally(() => {
        clearTimeout(timeout);
        exit(EXIT_INTERNAL_ERROR);
      });
  };

  target.on('unhandledRejection', onRejection);
  target.on('uncaughtException', onException);
  return () => {
    target.removeListener('unhandledRejection', onRejection);
    target.removeListener('uncaughtException', onException);
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  try {
    return `A non-error value: ${JSON.stringify(error)?.slice(0, 500)}`;
  } catch {
    return `A non-error value: ${String(error)}`;
  }
}
