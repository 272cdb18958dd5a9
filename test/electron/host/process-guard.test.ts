import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT_INTERNAL_ERROR, installProcessGuard } from '../../../electron/host/process-guard.ts';
import { internalErrorText } from '../../../shared/i18n/desktop-shell.ts';

const guardModule = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../electron/host/process-guard.ts');

function guarded(stop: () => Promise<void> = () => Promise.resolve()) {
  const target = new EventEmitter();
  const log: string[] = [];
  const told: string[] = [];
  const details: string[] = [];
  const exits: number[] = [];
  const exited = new Promise<number>((resolve) => {
    installProcessGuard({ target, log: (line) => log.push(line), tellUser: (m, detail) => (told.push(m), details.push(detail)), stop, stopTimeoutMs: 200, exit: (code) => (exits.push(code), resolve(code)) });
  });
  return { target, log, told, details, exits, exited };
}

describe('the host process guard', () => {
  it('logs an unhandled rejection with its stack and keeps the process running', () => {
    const { target, log, exits } = guarded();
    target.emit('unhandledRejection', new Error('lost write'));
    target.emit('unhandledRejection', 'a string reason');
    expect(log[0]).toContain('FrontDesk keeps running');
    expect(log[0]).toContain('Error: lost write');
    expect(log[1]).toContain('"a string reason"');
    expect(exits).toEqual([]);
  });

  it('stops cleanly and exits 70 after an uncaught exception, telling the user what to do', async () => {
    const steps: string[] = [];
    const { target, log, told, details, exited } = guarded(async () => {
      steps.push('stopping');
      await new Promise((resolve) => setTimeout(resolve, 10));
      steps.push('stopped');
    });
    target.emit('uncaughtException', new TypeError('x is undefined'));
    expect(await exited).toBe(EXIT_INTERNAL_ERROR);
    expect(steps).toEqual(['stopping', 'stopped']);
    expect(log[0]).toContain('cannot safely continue');
    expect(log[0]).toContain('Start FrontDesk again');
    expect(log[0]).toContain('TypeError: x is undefined');
    expect(told[0]).toContain('x is undefined');
    // The error's own words apart, for the desktop app's dialog in the system's language (desktop-shell.ts).
    expect(details).toEqual(['x is undefined']);
    expect(internalErrorText('ru', details[0]!)).toMatch(/^В FrontDesk произошла внутренняя ошибка.*\n\nx is undefined$/s);
  });

  it('exits anyway when stopping hangs, and at once on a second exception', async () => {
    const hanging = guarded(() => new Promise<void>(() => {}));
    hanging.target.emit('uncaughtException', new Error('first'));
    expect(await hanging.exited).toBe(EXIT_INTERNAL_ERROR);
    expect(hanging.log.at(-1)).toContain('did not stop within');

    const twice = guarded(() => new Promise<void>(() => {}));
    twice.target.emit('uncaughtException', new Error('first'));
    twice.target.emit('uncaughtException', new Error('second'));
    expect(await twice.exited).toBe(EXIT_INTERNAL_ERROR);
    expect(twice.log.at(-1)).toContain('Another internal error while stopping');
  });

  it('works on a real Node process: survives a rejection, stops on an exception', async () => {
    const script = `
      const { installProcessGuard } = await import(${JSON.stringify(guardModule)});
      installProcessGuard({ log: (line) => console.error(line), stop: async () => console.log('stopped cleanly') });
      Promise.reject(new Error('nobody caught me'));
      setTimeout(() => { console.log('still serving'); setTimeout(() => { throw new Error('kaboom'); }, 10); }, 50);
    `;
    const child = spawn(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(EXIT_INTERNAL_ERROR);
    expect(stderr).toContain('Error: nobody caught me');
    expect(stdout).toContain('still serving');
    expect(stderr).toContain('Error: kaboom');
    expect(stdout).toContain('stopped cleanly');
  });
});
