/**
 * One host per data folder, with real hosts in child processes (test/electron/host/support/host-child.ts) on real
 * node:sqlite files, sending to a loopback SMTP server:
 *   - web mode holds the folder and seeds a booking: its confirmation goes out at once, its reminder falls due a few
 *     seconds later; until the reminder has arrived, the desktop app and a second web mode keep trying to start on the
 *     same folder, and each is refused with a message naming the running host (mode, pid, since when);
 *   - the holder is SIGKILLed: its lock dies with it, the desktop app starts on the folder (stale lock), says that the
 *     previous host did not stop cleanly, and is in turn the one a later web mode is refused by;
 *   - the reminder and the confirmation arrived exactly once each, whoever sent them.
 * No step depends on how fast the machine is: the competitors run for as long as the reminder takes to arrive.
 * Also, in-process: a stopped host frees the folder at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFolderInUseError } from '../../../electron/host/data-folder-lock.ts';
import { FrontDeskHost } from '../../../electron/host/host.ts';
import { startCrashSink, type CrashSink } from './engine/integration/support/crash-sink.ts';

const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'host-child.ts');
/** When the reminder falls due, counted from the seeding. */
const REMINDER_DUE_MS = 4_000;
/** Competing hosts refused at least (more while the reminder is not there yet). */
const MIN_COMPETITORS = 2;

interface HostChild {
  child: ChildProcess;
  /** The first line: `ready {...}` or `refused <message>`. */
  first: Promise<string>;
  /** Resolves when the child printed this line. */
  line(text: string): Promise<void>;
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
  const line = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => stdout.split('\n').includes(text) && resolve();
      check();
      child.stdout!.on('data', check);
      void exited.then(({ code, signal }) => reject(new Error(`host child exited (${code ?? signal}) before '${text}':\n${stderr}`)));
    });
  return { child, first, line, stderr: () => stderr, exited };
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

describe('one host per data folder', () => {
  it('refuses a second host naming the first, frees the folder when the first is SIGKILLed, and delivers the due reminder once', { timeout: 150_000 }, async () => {
    // 1. Web mode takes the folder and seeds a salon: the confirmation goes out now, the reminder in REMINDER_DUE_MS.
    const web = startChild('web', dataDir, keyDir, 'seed', String(sink.port), String(REMINDER_DUE_MS));
    children.push(web.child);
    expect(readyInfo(await web.first).mode).toBe('web');
    const webPid = web.child.pid!;

    const holderMessage = (pid: number, mode: string) =>
      new RegExp(
        `^refused The data folder ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by another FrontDesk \\(${mode}, process ${pid}, running since ${ISO}\\)\\. ` +
          'Only one FrontDesk may run on a data folder at a time: switch to the one that is running, or quit it first, or open a different folder with --data-dir\\.$',
      );
    const arrived = (prefix: string) => sink.received.some((m) => String(m.headers.get('x-frontdesk-job')).startsWith(prefix));

    // 2. The desktop app and a second web mode try to start, in turn, until the reminder has arrived: each is refused,
    //    naming the running host, and exits.
    let competitors = 0;
    while (competitors < MIN_COMPETITORS || !arrived('reminder|a-1|')) {
      const mode = competitors % 2 === 0 ? 'electron' : 'web';
      const second = startChild(mode, dataDir, keyDir);
      children.push(second.child);
      expect(await second.first).toMatch(holderMessage(webPid, 'web mode'));
      expect((await second.exited).code).toBe(3);
      competitors += 1;
      expect(competitors, `the reminder did not arrive:\n${web.stderr()}`).toBeLessThan(60);
    }
    expect(arrived('bookingConfirmation|a-1|')).toBe(true);

    // 3. The holder is killed.
    web.child.kill('SIGKILL');
    expect((await web.exited).signal).toBe('SIGKILL');

    // 4. The lock died with its process: the desktop app starts on the folder and notices the unclean stop.
    const desktop = startChild('electron', dataDir, keyDir);
    children.push(desktop.child);
    expect(readyInfo(await desktop.first).mode).toBe('electron');
    expect(desktop.stderr()).toMatch(new RegExp(`The previous FrontDesk on this data folder \\(web mode, process ${webPid}, running since ${ISO}\\) did not stop cleanly`));
    // ... and is now the one a web mode is refused by.
    const late = startChild('web', dataDir, keyDir);
    children.push(late.child);
    expect(await late.first).toMatch(holderMessage(desktop.child.pid!, 'the desktop app'));
    expect((await late.exited).code).toBe(3);
    // The desktop app ran its engine over the same outbox (recovery, re-planning) until it had nothing left to do.
    await desktop.line('idle');
    desktop.child.kill('SIGTERM');
    expect((await desktop.exited).code).toBe(0);

    // 5. Exactly one delivery each.
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

describe('a damaged lock file', () => {
  it('is emptied in place and locked: the folder starts, and a live holder elsewhere still refuses a second host', { timeout: 60_000 }, async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-lock-damaged-'));
    const script = `import { acquireDataFolderLock } from ${JSON.stringify(path.resolve('electron/host/data-folder-lock.ts'))};
      await acquireDataFolderLock(process.argv[1], { mode: 'web', pid: process.pid, since: new Date().toISOString(), version: 'holder' });
      console.log('held');
      setInterval(() => undefined, 1000);`;
    let holder: ChildProcess | undefined;
    try {
      const first = new FrontDeskHost({ dataDir: folder, keyDir, mode: 'web', version: 'test' });
      await first.start();
      await first.stop();
      await writeFile(path.join(folder, 'frontdesk.lock'), Buffer.alloc(4096, 0x5a));
      const second = new FrontDeskHost({ dataDir: folder, keyDir, mode: 'web', version: 'test' });
      await second.start();
      await second.stop();

      // Another process holds the lock, and its file is damaged meanwhile: this host is refused, naming it.
      holder = spawn(process.execPath, ['--input-type=module', '-e', script, folder], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => holder!.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve()));
      await writeFile(path.join(folder, 'frontdesk.lock'), Buffer.alloc(4096, 0x5a));
      const third = new FrontDeskHost({ dataDir: folder, keyDir, mode: 'web', version: 'test' });
      await expect(third.start()).rejects.toThrow(/is in use by another FrontDesk \(web mode, process \d+/);
    } finally {
      holder?.kill('SIGKILL');
      await rm(folder, { recursive: true, force: true });
    }
  });
});
