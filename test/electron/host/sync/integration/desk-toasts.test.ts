/**
 * Desktop toasts with several desks (DESIGN §2 "on the desks of the staff concerned", §4.1 exactly once, §4.6 one
 * dispatcher): two desk processes with their own node:sqlite folders sync through a CouchDB-compatible server on
 * loopback; each desk is told who works at it (Desk A: Mila; Desk B: Sophie and Mila) and records the toasts it shows.
 *
 * 1. Desk A holds the dispatch lease and cancels Sophie's visit: the toast shows once on Desk B (where Sophie works,
 *    without the lease), never on Desk A, and both desks' team event and delivery log show it;
 * 2. a visit of Mila's (listed at both desks) is cancelled: one toast on each desk;
 * 3. the lease holder is SIGKILLed and restarted: nothing is shown again, and no toast of Desk B is marked uncertain.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionLocation } from '../../../../../electron/host/sync/provision.ts';
import { isTerminalJobState, type Job } from '../../../../../shared/domain/job.ts';
import { desktopOccasion } from '../../../../../shared/engine/team-events.ts';
import { startCouchServer, type CouchTestServer } from '../../../../support/couch-server.ts';
import { startCrashSink, type CrashSink } from '../../engine/integration/support/crash-sink.ts';
import { HOUR, LOCATION_ID } from '../../engine/integration/support/salon.ts';
import { eventually, makeDesk, type Desk, type Dump } from './support/desks.ts';

const LEASE_TTL_MS = 4_000;
const PREFIX = 'fd-toasts';
const TUNING = { leaseTtlMs: LEASE_TTL_MS, longpollMs: 2_000, retryMs: 300, baseBackoffMs: 100, maxBackoffMs: 1_000, handOffTimeoutMs: 3_000, requestTimeoutMs: 5_000 };
/** Long enough for a duplicate or a wrong desk's toast to have shown up, were there one. */
const QUIET_MS = 3_000;

let server: CouchTestServer;
let sink: CrashSink;
let a: Desk;
let b: Desk;

async function describeDesks(): Promise<string> {
  const parts: string[] = [];
  for (const desk of [a, b]) {
    const status = desk.running ? await desk.status(5_000).catch((e: unknown) => String(e)) : 'not running';
    parts.push(`${desk.name}: ${JSON.stringify(status).slice(0, 600)} toasts=${JSON.stringify(desk.toasts)} stderr=${desk.stderr.slice(-3000)}`);
  }
  return parts.join('\n');
}

async function dispatcher(desk: Desk): Promise<boolean> {
  return (await desk.status(5_000)).locations[0]?.dispatcher?.self === true;
}

const cancellationEvent = (dump: Dump, appointmentId: string) => dump.teamEvents.find((e) => e.appointmentId === appointmentId && e.type === 'cancellation');
const desktopJobs = (dump: Dump, eventId: string): Job[] => dump.jobs.filter((j) => j.subjectId === eventId && j.channel === 'desktop');
const quiet = () => new Promise((resolve) => setTimeout(resolve, QUIET_MS));

beforeAll(async () => {
  server = await startCouchServer();
  sink = await startCrashSink([]);
  await provisionLocation({
    endpoint: server.url,
    admin: server.admin,
    databasePrefix: PREFIX,
    desks: [
      { username: 'desk-a', password: 'pw-a' },
      { username: 'desk-b', password: 'pw-b' },
    ],
  });
  const setup = { serverUrl: server.url, smtpPort: sink.port, locationId: LOCATION_ID, prefix: PREFIX, tuning: TUNING };
  a = await makeDesk('Desk A', 'desk-a', 'pw-a', setup, { seed: { clients: 2 }, recordToasts: true, sync: { deskStaffIds: ['st-mila'] } });
  b = await makeDesk('Desk B', 'desk-b', 'pw-b', setup, { recordToasts: true, sync: { deskStaffIds: ['st-sophie', 'st-mila'] } });
  // Desk A first, so that it is the dispatcher: the desk the toasts were lost to.
  await a.start();
  await eventually(async () => ((await dispatcher(a)) ? true : undefined), 20_000, describeDesks);
  await b.start();
  await eventually(async () => ((await b.call<number>({ cmd: 'count', collection: 'clients' })) === 2 ? true : undefined), 30_000, describeDesks);
  // Mila wants toasts too (a staff edit on Desk A, replicated to Desk B).
  await a.call({ cmd: 'staffToasts', staffId: 'st-mila', desktopToasts: true });
}, 90_000);

afterAll(async () => {
  for (const desk of [a, b]) {
    await desk?.quit();
    if (desk) await rm(desk.dataDir, { recursive: true, force: true });
  }
  await sink?.close();
  await server?.close();
}, 60_000);

describe('desktop toasts on the desks of the staff concerned', () => {
  it('a cancellation for a specialist at Desk B, made while Desk A holds the lease, shows once on Desk B and never on Desk A', { timeout: 60_000 }, async () => {
    expect(await dispatcher(a)).toBe(true);
    expect(await dispatcher(b)).toBe(false);
    await a.book('t1', 'c0', 26 * HOUR);
    await eventually(async () => (await b.dump()).appointments.find((x) => x.id === 't1'), 15_000, describeDesks);
    await a.cancel('t1');
    const shown = await eventually(async () => b.toasts.find((t) => t.staffId === 'st-sophie'), 20_000, describeDesks);
    await quiet();

    const [da, db] = [await a.dump(), await b.dump()];
    const event = cancellationEvent(db, 't1');
    expect(event).toBeDefined();
    expect(cancellationEvent(da, 't1')?.id).toBe(event!.id);
    const bJobId = `cancellation|${event!.id}|${desktopOccasion('st-sophie', db.deskId)}|desktop`;
    expect(shown.jobId).toBe(bJobId);
    expect(b.toasts.filter((t) => t.jobId === bJobId)).toHaveLength(1);
    expect(a.toasts).toEqual([]);
    // One toast job for the event, Desk B's, delivered — on both desks (replicated); Desk A planned none for Sophie.
    for (const desk of [a, b]) {
      await eventually(async () => {
        const jobs = desktopJobs(await desk.dump(), event!.id);
        return jobs.length === 1 && jobs[0]!.id === bJobId && jobs[0]!.state === 'delivered' ? jobs : undefined;
      }, 15_000, describeDesks);
    }
    const log = (await b.dump()).log.filter((e) => e.jobId === bJobId);
    expect(log.map((e) => e.status)).toEqual(['attempted', 'delivered']);
    expect(log.every((e) => e.recipient === 'Sophie Wagner')).toBe(true);
    await eventually(async () => ((await a.dump()).log.filter((e) => e.jobId === bJobId).length === 2 ? true : undefined), 15_000, describeDesks);
  });

  it('a specialist listed at both desks gets one toast on each', { timeout: 60_000 }, async () => {
    await b.book('t2', 'c1', 27 * HOUR, 'st-mila');
    await eventually(async () => (await a.dump()).appointments.find((x) => x.id === 't2'), 15_000, describeDesks);
    await b.cancel('t2');
    await eventually(async () => (a.toasts.some((t) => t.staffId === 'st-mila') && b.toasts.some((t) => t.staffId === 'st-mila') ? true : undefined), 20_000, describeDesks);
    await quiet();
    const [da, db] = [await a.dump(), await b.dump()];
    const event = cancellationEvent(da, 't2')!;
    expect(a.toasts.filter((t) => t.staffId === 'st-mila').map((t) => t.jobId)).toEqual([`cancellation|${event.id}|${desktopOccasion('st-mila', da.deskId)}|desktop`]);
    expect(b.toasts.filter((t) => t.staffId === 'st-mila').map((t) => t.jobId)).toEqual([`cancellation|${event.id}|${desktopOccasion('st-mila', db.deskId)}|desktop`]);
    // Sophie's toast of the first scene was not shown again anywhere.
    expect(b.toasts.filter((t) => t.staffId === 'st-sophie')).toHaveLength(1);
    expect(a.toasts.filter((t) => t.staffId === 'st-sophie')).toEqual([]);
  });

  it('a crash and restart of the lease holder shows nothing again and leaves Desk B’s toasts alone', { timeout: 90_000 }, async () => {
    const before = { a: a.toasts.length, b: b.toasts.length };
    const dumpB = await b.dump();
    const bToasts = dumpB.jobs.filter((j) => j.channel === 'desktop' && j.occasion.endsWith(`@desk:${dumpB.deskId}`));
    expect(bToasts).toHaveLength(2);
    await a.kill();
    await a.start();
    // Desk A restarts, re-plans its book (the cancellations are fresh team events) and syncs again.
    await eventually(async () => ((await a.call<number>({ cmd: 'count', collection: 'team_events' })) >= 4 ? true : undefined), 20_000, describeDesks);
    await quiet();
    await quiet();
    expect(a.toasts.length).toBe(before.a);
    expect(b.toasts.length).toBe(before.b);
    for (const dump of [await a.dump(), await b.dump()]) {
      for (const job of bToasts) {
        const now = dump.jobs.find((j) => j.id === job.id);
        expect(now?.state, `${job.id} on ${dump.deskId}`).toBe('delivered');
        expect(isTerminalJobState(now!.state)).toBe(true);
      }
      expect(dump.log.filter((e) => e.channel === 'desktop' && e.status === 'uncertain')).toEqual([]);
      // Exactly once per (event, desk): no toast job without a desk, none twice.
      const desktop = dump.jobs.filter((j) => j.channel === 'desktop');
      expect(desktop.every((j) => j.occasion.includes('@desk:'))).toBe(true);
      expect(desktop).toHaveLength(3);
    }
  });
});
