/**
 * One host per data folder, with real hosts in child processes (test/electron/host/support/host-child.ts) on real
 * node:sqlite files, sending to a loopback SMTP server:
 *   - web mode holds the folder; the desktop app and a second web mode are refused, with a message naming the
 *     running host (mode, pid, since when);
 *   - the holder is SIGKILLed: its lock dies with it, the desktop app starts on the folder (stale lock), says that the
 *     previous host did not stop cleanly, and is in turn the one a later web mode is refused by;
 *   - a reminder that falls due after the kill is delivered exactly once, and the confirmation sent before it too.
 * Also, in-process: a stopped host frees the folder at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFolderInUseError } from '../../../electron/host/data-folder-lock.ts';
import { FrontDeskHost } from '../../../electron/host/host.ts';
import { startCrashSink, type CrashSink } from './engine/integration/support/crash-sink.ts';

const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'host-child.ts');
/** When the reminder falls due, counted from the seeding: after the first host is killed and the second one is up. */
const REMINDER_DUE_MS = 6_000;

interface HostChild {
  child: ChildProcess;
  /** The first line: `ready {...}` or `refused <message>`. */
  first: Promise<string>;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startChild(mode: 'electron' | 'web', dataDir: string, keyDir: string, ...extra: string[]): HostChild {
  const child = spawn(process.execPath, ['--no-warnings', childScript, mode, dataDir, keyDir, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const first = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) resolve(line);
    });
    void exited.then(({ code, signal }) => reject(new Error(`host child exited (${code ?? signal}) without a word:\n${stderr}`)));
  });
  return { child, first, stderr: () => stderr, exited };
}

function readyInfo(line: string): { mode: string } {
  expect(line, 'expected the host to start').toMatch(/^ready /);
  return JSON.parse(line.slice('ready '.length)) as { mode: string };
}

const ISO = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';

let sink: CrashSink;
let dataDir: string;
let keyDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  sink = await startCrashSink([]);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-lock-'));
  keyDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-lock-keys-'));
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await sink?.close();
  for (const dir of [dataDir, keyDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

async function arrivals(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const mail of sink.received) {
    const jobId = String(mail.headers.get('x-frontdesk-job') ?? '');
    counts.set(jobId, (counts.get(jobId) ?? 0) + 1);
  }
  return counts;
}

async function until(check: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('one host per data folder', () => {
  it('refuses a second host naming the first, frees the folder when the first is SIGKILLed, and delivers the due reminder once', { timeout: 90_000 }, async () => {
    // 1. Web mode takes the folder and seeds a salon: the confirmation goes out now, the reminder in REMINDER_DUE_MS.
    const web = startChild('web', dataDir, keyDir, 'seed', String(sink.port), String(REMINDER_DUE_MS));
    children.push(web.child);
    expect(readyInfo(await web.first).mode).toBe('web');
    const webPid = web.child.pid!;

    // 2. The desktop app and a second web mode are refused, each naming the running host, and exit.
    for (const mode of ['electron', 'web'] as const) {
      const second = startChild(mode, dataDir, keyDir);
      children.push(second.child);
      const line = await second.first;
      expect(line).toMatch(
        new RegExp(
          `^refused The data folder ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by another FrontDesk \\(web mode, process ${webPid}, running since ${ISO}\\)\\. ` +
            'Only one FrontDesk may run on a data folder at a time: switch to the one that is running, or quit it first, or open a different folder with --data-dir\\.$',
        ),
      );
      expect((await second.exited).code).toBe(3);
    }

    // 3. The confirmation arrives (sent by web mode); then web mode is killed before the reminder falls due.
    await until(() => [...sink.received].some((m) => String(m.headers.get('x-frontdesk-job')).startsWith('bookingConfirmation|a-1|')), 30_000, () => `no confirmation yet:\n${web.stderr()}`);
    web.child.kill('SIGKILL');
    expect((await web.exited).signal).toBe('SIGKILL');
    expect(sink.received.some((m) => String(m.headers.get('x-frontdesk-job')).startsWith('reminder|'))).toBe(false);

    // 4. The lock died with its process: the desktop app starts on the folder and notices the unclean stop.
    const desktop = startChild('electron', dataDir, keyDir);
    children.push(desktop.child);
    expect(readyInfo(await desktop.first).mode).toBe('electron');
    expect(desktop.stderr()).toMatch(new RegExp(`The previous FrontDesk on this data folder \\(web mode, process ${webPid}, running since ${ISO}\\) did not stop cleanly`));
    // ... and is now the one a web mode is refused by.
    const late = startChild('web', dataDir, keyDir);
    children.push(late.child);
    expect(await late.first).toContain(`is in use by another FrontDesk (the desktop app, process ${desktop.child.pid}, running since `);
    expect((await late.exited).code).toBe(3);

    // 5. The reminder falls due while the desktop app runs: delivered once; nothing is sent twice.
    await until(() => [...sink.received].some((m) => String(m.headers.get('x-frontdesk-job')).startsWith('reminder|a-1|')), 30_000, () => `no reminder yet:\n${desktop.stderr()}`);
    // Time for a wrongly repeated send to show up.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    desktop.child.kill('SIGTERM');
    expect((await desktop.exited).code).toBe(0);

    const counts = await arrivals();
    const reminders = [...counts].filter(([jobId]) => jobId.startsWith('reminder|a-1|'));
    const confirmations = [...counts].filter(([jobId]) => jobId.startsWith('bookingConfirmation|a-1|'));
    expect(reminders).toEqual([[expect.stringMatching(/^reminder\|a-1\|/), 1]]);
    expect(confirmations).toEqual([[expect.stringMatching(/^bookingConfirmation\|a-1\|/), 1]]);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // A clean stop leaves no holder behind.
    expect(await readdir(dataDir)).not.toContain('frontdesk.lock.json');
  });

  it('frees the folder as soon as a host stops, and refuses a second host in the same process too', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-lock-inproc-'));
    try {
      const first = new FrontDeskHost({ dataDir: folder, keyDir, mode: 'web', version: 'test' });
      await first.start();
      const second = new FrontDeskHost({ dataDir: folder, keyDir, mode: 'electron', version: 'test' });
      const refused = await second.start().catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(DataFolderInUseError);
      expect((refused as DataFolderInUseError).holder).toMatchObject({ mode: 'web', pid: process.pid });
      expect(second.state).toBe('failed');
      expect(first.state).toBe('running');
      await first.stop();
      const third = new FrontDeskHost({ dataDir: folder, keyDir, mode: 'electron', version: 'test' });
      await third.start();
      await third.stop();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
