/**
 * One desk of the multi-desk sync tests, in its own process (RxDB open-core allows 13 collections per process; a desk
 * has 10): the host's salon runtime on node:sqlite files in its own data folder, the REAL email provider pointed at
 * the parent's loopback SMTP sink, sync to the parent's CouchDB-compatible server.
 *
 *   node desk-child.ts <dataDir> <json options>
 *
 * The parent sends one JSON command per line on stdin; each gets one answer line `@<id> <json>`. Unprompted lines:
 * `ready`, `send <jobId>` right before a provider call, `sent <jobId> <status>` after it, and with `recordToasts`
 * `toast <jobId> <staffId>` for each desktop toast shown.
 */
import { createInterface } from 'node:readline';
import { smtpChannel } from '../../channels/support/smtp-channel.ts';
import { SalonRuntime } from '../../../../../electron/host/salon-runtime.ts';
import { systemClock, systemTimers } from '../../../../../electron/host/system-clock.ts';
import { cancelAppointment, moveAppointment } from '../../../../../shared/domain/booking-edits.ts';
import type { ChannelProvider } from '../../../../../shared/engine/provider.ts';
import type { Clock } from '../../../../../shared/time/clock.ts';
import type { SyncConfig } from '../../../../../shared/sync/sync-config.ts';
import type { SyncTuning } from '../../../../../electron/host/sync/sync-service.ts';
import { allJobs, appointment, deliveryLog, salonClient, seedSalon } from '../../engine/integration/support/salon.ts';

export interface DeskOptions {
  smtpPort: number;
  /** Seed the salon into this desk's empty folder (the first desk; the others get it by sync). */
  seed?: { clients: number };
  sync: SyncConfig;
  /** Start with sync off; the `configure` command turns it on (the bench measures the desk before and after). */
  deferSync?: boolean;
  password: string;
  tuning: Partial<SyncTuning>;
  /** A desktop provider that shows nothing and reports each toast on stdout (instead of the OS notifier). */
  recordToasts?: boolean;
  /** This desk's wall clock runs this far ahead of the others' (negative: behind); its timers do not. */
  clockOffsetMs?: number;
}

const [dataDir, json] = process.argv.slice(2);
if (!dataDir || !json) throw new Error('usage: desk-child.ts <dataDir> <json options>');
const options = JSON.parse(json) as DeskOptions;
const offset = options.clockOffsetMs ?? 0;
const clock: Clock = offset === 0 ? systemClock : { now: () => Date.now() + offset };

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function observed(inner: ChannelProvider): ChannelProvider {
  return {
    channel: inner.channel,
    readiness: (locationId) => inner.readiness(locationId),
    async send(message, signal) {
      say(`send ${message.jobId}`);
      const outcome = await inner.send(message, signal);
      say(`sent ${message.jobId} ${outcome.status}`);
      return outcome;
    },
  };
}

const email = smtpChannel({ host: '127.0.0.1', port: options.smtpPort, secure: false, from: { name: 'Lumière Front Desk', address: 'desk@lumiere.example' }, connectionTimeoutMs: 5_000 }, systemClock);
const toasts: ChannelProvider = {
  channel: 'desktop',
  readiness: () => ({ ready: true }),
  send: (message) => {
    say(`toast ${message.jobId} ${message.recipient.staffId ?? ''}`);
    return Promise.resolve({ status: 'delivered' });
  },
};
const runtime = await SalonRuntime.open({
  dataDir,
  clock,
  timers: systemTimers,
  providers: { email: observed(email), ...(options.recordToasts ? { desktop: toasts } : {}) },
  log: (line) => process.stderr.write(`${line}\n`),
  syncTuning: options.tuning,
});
if (options.seed && (await runtime.db.locations.count().exec()) === 0) {
  const now = clock.now();
  await seedSalon(runtime.db, { now, smtpPort: options.smtpPort, clients: Array.from({ length: options.seed.clients }, (_, i) => salonClient(`c${i}`, now)) });
}
if (!options.deferSync) await runtime.sync.configure(options.sync, options.password);
// Peaks between two `memory` commands (the bench): sampled, so a short spike may be missed, a sustained one is not.
let peak = { rss: 0, heapUsed: 0 };
setInterval(() => {
  const usage = process.memoryUsage();
  peak = { rss: Math.max(peak.rss, usage.rss), heapUsed: Math.max(peak.heapUsed, usage.heapUsed) };
}, 50).unref();
// The engine's and sync's timers are unref'd (they must not keep the app alive): hold the process open ourselves.
const keepAlive = setInterval(() => undefined, 60_000);
say('ready');

type Command =
  | { id: number; cmd: 'book'; appointmentId: string; clientId: string; startInMs: number; staffId?: string }
  | { id: number; cmd: 'cancel'; appointmentId: string; notifyClient?: boolean }
  | { id: number; cmd: 'staffToasts'; staffId: string; desktopToasts: boolean }
  | { id: number; cmd: 'move'; appointmentId: string; startInMs: number }
  | { id: number; cmd: 'dump' }
  | { id: number; cmd: 'status' }
  | { id: number; cmd: 'count'; collection: 'appointments' | 'jobs' | 'delivery_log' | 'team_events' | 'clients' }
  | { id: number; cmd: 'configure' }
  | { id: number; cmd: 'put'; url: string; doc: Record<string, unknown> }
  | { id: number; cmd: 'memory' }
  | { id: number; cmd: 'quit' };

type Gc = (options?: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

async function handle(command: Command): Promise<unknown> {
  const now = clock.now();
  switch (command.cmd) {
    case 'book': {
      await runtime.db.appointments.insert(appointment(command.appointmentId, command.clientId, now + command.startInMs, now, command.staffId ? { staffId: command.staffId } : {}));
      return { ok: true };
    }
    case 'cancel': {
      const doc = await runtime.db.appointments.findOne(command.appointmentId).exec();
      if (!doc) throw new Error(`no appointment ${command.appointmentId}`);
      const cancelled = cancelAppointment(doc.toMutableJSON(), now, 'desk', { notifyClient: command.notifyClient === true });
      if (!cancelled.ok) throw new Error(JSON.stringify(cancelled.issues));
      await doc.incrementalModify(() => cancelled.value);
      return { ok: true };
    }
    case 'staffToasts': {
      const doc = await runtime.db.staff.findOne(command.staffId).exec();
      if (!doc) throw new Error(`no staff ${command.staffId}`);
      await doc.incrementalPatch({ desktopToasts: command.desktopToasts });
      return { ok: true };
    }
    case 'move': {
      const doc = await runtime.db.appointments.findOne(command.appointmentId).exec();
      if (!doc) throw new Error(`no appointment ${command.appointmentId}`);
      const moved = moveAppointment(doc.toMutableJSON(), now + command.startInMs, now);
      if (!moved.ok) throw new Error(JSON.stringify(moved.issues));
      await doc.incrementalModify(() => moved.value);
      return { ok: true };
    }
    case 'dump': {
      await runtime.engine.idle();
      const appointments = (await runtime.db.appointments.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.toMutableJSON());
      const teamEvents = (await runtime.db.team_events.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.toMutableJSON());
      return { appointments, jobs: await allJobs(runtime.db), log: await deliveryLog(runtime.db), teamEvents, deskId: runtime.sync.deskId };
    }
    case 'status':
      return runtime.sync.status();
    case 'count':
      return (runtime.db[command.collection] as unknown as { count(): { exec(): Promise<number> } }).count().exec();
    case 'configure':
      await runtime.sync.configure(options.sync, options.password);
      return { ok: true };
    case 'put': {
      // The bench's baseline: one plain HTTP write from this process, no RxDB or engine on the way.
      const auth = `Basic ${Buffer.from(`${options.sync.username}:${options.password}`).toString('base64')}`;
      const answer = await fetch(command.url, { method: 'PUT', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(command.doc) });
      if (!answer.ok) throw new Error(`PUT ${command.url}: HTTP ${answer.status}`);
      return { ok: true };
    }
    case 'memory': {
      // Run with --expose-gc: what the desk holds on to, apart from garbage not yet collected.
      const rss = process.memoryUsage.rss();
      const gc = (globalThis as { gc?: Gc }).gc;
      gc?.();
      await new Promise((resolve) => setTimeout(resolve, 200));
      gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
      const usage = process.memoryUsage();
      const peaks = peak;
      peak = { rss: 0, heapUsed: 0 };
      return { rss, rssAfterGc: usage.rss, heapUsed: usage.heapUsed, peakRss: peaks.rss, peakHeapUsed: peaks.heapUsed };
    }
    case 'quit': {
      await runtime.close();
      email.close();
      clearInterval(keepAlive);
      setImmediate(() => process.exit(0));
      return { ok: true };
    }
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let command: Command;
  try {
    command = JSON.parse(line) as Command;
  } catch {
    return;
  }
  handle(command).then(
    (value) => say(`@${command.id} ${JSON.stringify({ ok: true, value })}`),
    (error: unknown) => say(`@${command.id} ${JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) })}`),
  );
});
