/**
 * Runs a test's child script (a host that the test kills) under this Node and collects what it says, line by line.
 * The crash tests decide when to SIGKILL it from its lines (`onLine`) or their own timers (`later`).
 */
import { spawn } from 'node:child_process';

export interface ChildOutcome {
  lines: string[];
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildControl {
  /** SIGKILLs the child now. */
  kill(): void;
  /** SIGKILLs the child `ms` from now (cancelled if it ends before). */
  killIn(ms: number): void;
}

export interface RunScriptOptions {
  /** Killed at the latest this long after the spawn. */
  guardMs: number;
  /** Each stdout line as it comes. */
  onLine?: (line: string, control: ChildControl) => void;
}

export function runScript(script: string, args: readonly string[], { guardMs, onLine }: RunScriptOptions): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-warnings', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let buffered = '';
    let stderr = '';
    const timers: NodeJS.Timeout[] = [];
    const control: ChildControl = {
      kill: () => child.kill('SIGKILL'),
      killIn: (ms) => void timers.push(setTimeout(() => child.kill('SIGKILL'), ms)),
    };
    control.killIn(guardMs);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        onLine?.(line, control);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const timer of timers) clearTimeout(timer);
      if (buffered) lines.push(buffered);
      resolve({ lines, stderr, code, signal });
    });
  });
}
