/**
 * Two desks whose wall clocks are an hour apart share one book through a CouchDB-compatible server on loopback (desk
 * processes as in multi-desk.test.ts). A booking made on the desk ahead is confirmed by the lease holder, whose clock is
 * behind its stamp, within seconds — not an hour later (DESIGN §2 "immediately"; shared/engine/immediate.ts) — and
 * the two desks' plans settle on one outbox: nothing rewrites the confirmation back and forth.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionLocation } from '../../../../../electron/host/sync/provision.ts';
import { isTerminalJobState, type Job } from '../../../../../shared/domain/job.ts';
import { stableJson } from '../../../../../shared/sync/merge-core.ts';
import { startCouchServer, type CouchTestServer } from '../../../../support/couch-server.ts';
import { startCrashSink, type CrashSink } from '../../engine/integration/support/crash-sink.ts';
import { HOUR, LOCATION_ID, MINUTE } from '../../engine/integration/support/salon.ts';
import { eventually, makeDesk, type Desk } from './support/desks.ts';

const PREFIX = 'fd-skew';
const TUNING = { leaseTtlMs: 4_000, longpollMs: 2_000, retryMs: 300, baseBackoffMs: 100, maxBackoffMs: 1_000, handOffTimeoutMs: 10_000, requestTimeoutMs: 5_000 };

let server: CouchTestServer;
let sink: CrashSink;
/** Holds the lease; its clock is right. */
let behind: Desk;
/** Its clock runs an hour fast. */
let ahead: Desk;

const confirmation = (appointmentId: string) => `bookingConfirmation|${appointmentId}|booked|cascade`;
const cancellationOf = (job: Job) => job.type === 'cancellationNotice';
const received = (jobId: string) => sink.received.filter((mail) => String(mail.headers.get('x-frontdesk-job') ?? '') === jobId).length;

async function describeDesks(): Promise<string> {
  const parts: string[] = [];
  for (const desk of [behind, ahead]) parts.push(`${desk.name}: sends=${desk.sends.join(',')} stderr=${desk.stderr.slice(-2000)}`);
  return parts.join('\n');
}

/** Every job of the appointment on a desk, as stable JSON: a rewrite changes at least its `updatedAt`. */
async function jobsOf(desk: Desk, appointmentId: string): Promise<string> {
  return stableJson((await desk.dump()).jobs.filter((job) => job.subjectId === appointmentId).sort((x, y) => x.id.localeCompare(y.id)));
}

beforeAll(async () => {
  server = await startCouchServer();
  sink = await startCrashSink([]);
  await provisionLocation({ endpoint: server.url, admin: server.admin, databasePrefix: PREFIX, desks: [{ username: 'desk-a', password: 'pw-a' }, { username: 'desk-b', password: 'pw-b' }] });
  const setup = { serverUrl: server.url, smtpPort: sink.port, locationId: LOCATION_ID, prefix: PREFIX, tuning: TUNING };
  behind = await makeDesk('Desk A', 'desk-a', 'pw-a', setup, { seed: { clients: 2 } });
  ahead = await makeDesk('Desk B', 'desk-b', 'pw-b', setup, { clockOffsetMs: HOUR });
  await behind.start();
  await eventually(async () => ((await behind.status()).locations[0]?.dispatcher?.self === true ? true : undefined), 30_000, describeDesks);
  await ahead.start();
  await eventually(async () => ((await ahead.call<number>({ cmd: 'count', collection: 'clients' })) === 2 ? true : undefined), 30_000, describeDesks);
}, 90_000);

afterAll(async () => {
  for (const desk of [behind, ahead]) {
    await desk?.quit();
    if (desk) await rm(desk.dataDir, { recursive: true, force: true });
  }
  await sink?.close();
  await server?.close();
}, 60_000);

describe('two desks an hour apart', () => {
  it('a booking on the desk ahead is confirmed at once by the holder behind it, and the desks agree on its outbox', { timeout: 90_000 }, async () => {
    await ahead.book('k1', 'c0', 5 * HOUR);
    await eventually(async () => (received(confirmation('k1')) > 0 ? true : undefined), 30_000, describeDesks);
    expect(behind.sends).toContain(confirmation('k1'));
    expect(ahead.sends).not.toContain(confirmation('k1'));
    // Both desks hold the same jobs for the visit, and they stay as they are: no desk rewrites the other's plan.
    const settled = await eventually(async () => {
      const [mine, theirs] = [await jobsOf(behind, 'k1'), await jobsOf(ahead, 'k1')];
      const done = (JSON.parse(mine) as Job[]).find((job) => job.type === 'bookingConfirmation');
      return mine === theirs && done && isTerminalJobState(done.state) ? mine : undefined;
    }, 30_000, describeDesks);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await jobsOf(behind, 'k1')).toBe(settled);
    expect(await jobsOf(ahead, 'k1')).toBe(settled);
    expect(received(confirmation('k1'))).toBe(1);
  });

  it('a cancellation made 40 minutes before the start on the desk ahead, stamped after the start, is told by the holder behind it', { timeout: 90_000 }, async () => {
    await behind.book('k2', 'c1', 40 * MINUTE);
    await eventually(async () => ((await ahead.dump()).appointments.some((a) => a.id === 'k2') ? true : undefined), 30_000, describeDesks);
    await ahead.cancel('k2', true);
    const visit = await eventually(async () => (await behind.dump()).appointments.find((a) => a.id === 'k2' && a.status === 'cancelled'), 30_000, describeDesks);
    expect(Date.parse(visit.history.at(-1)!.at)).toBeGreaterThan(visit.startMs);
    const notice = await eventually(async () => (await behind.dump()).jobs.find((job) => job.subjectId === 'k2' && cancellationOf(job)), 30_000, describeDesks);
    await eventually(async () => (received(notice.id) > 0 ? true : undefined), 30_000, describeDesks);
    expect(behind.sends).toContain(notice.id);
    expect(received(notice.id)).toBe(1);
  });
});
