/**
 * Child process of crash.test.ts: the host's salon runtime (node:sqlite files in the data folder, the notification
 * engine on the real clock, the REAL email provider pointed at the parent's loopback SMTP sink).
 *
 *   node crash-child.ts seed  <dataDir> <smtpPort> <appointments>   seed the salon and exit
 *   node crash-child.ts run   <dataDir> <smtpPort>                  dispatch until SIGKILLed
 *   node crash-child.ts final <dataDir> <smtpPort> <dumpFile>       dispatch until every job is terminal, dump, exit
 *   node crash-child.ts verdict <dataDir> <smtpPort>                dispatch; die by SIGKILL as the first `delivered`
 *                                                                   entry is being written (a crash inside the writes
 *                                                                   that record a provider's verdict)
 *   node crash-child.ts seed-sandbox <dataDir> <smtpPort> <appointments>   seed as `seed`, the salon in sandbox mode
 *   node crash-child.ts sandboxed <dataDir> <smtpPort>              dispatch; die by SIGKILL as the first `sandboxed`
 *                                                                   entry is being written (`dying <jobId>`)
 *
 * stdout lines: `ready`, `send <jobId>` just before the provider is called, `sent <jobId> <status>` after it.
 */
import { writeFileSync } from 'node:fs';
import { smtpChannel } from '../../channels/support/smtp-channel.ts';
import { openFrontDeskDatabase } from '../../../../../electron/host/db/open-database.ts';
import { EngineStore } from '../../../../../electron/host/engine/engine-store.ts';
import { SalonRuntime } from '../../../../../electron/host/salon-runtime.ts';
import { getRxStorageNodeSqlite } from '../../../../../electron/host/storage/index.ts';
import { systemClock, systemTimers } from '../../../../../electron/host/system-clock.ts';
import type { ChannelProvider } from '../../../../../shared/engine/provider.ts';
import { CLIENTS, REJECTED_CLIENTS, REMINDER_OFFSETS_MINUTES, SPACING_MS, rejectedAddress } from './support/crash-plan.ts';
import { LOCATION_ID, MINUTE, allJobs, appointment, deliveryLog, isTerminal, salonClient, seedSalon } from './support/salon.ts';

const [mode, dataDir, portArg, extra] = process.argv.slice(2);
const port = Number(portArg);
if (!dataDir || !Number.isInteger(port)) throw new Error(`usage: crash-child.ts seed|run|final <dataDir> <smtpPort> [...] (got ${process.argv.slice(2).join(' ')})`);

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function seed(count: number, options: { sandbox?: boolean } = {}): Promise<void> {
  const db = await openFrontDeskDatabase({ storage: getRxStorageNodeSqlite({ directory: dataDir! }), name: 'frontdesk', multiInstance: false });
  const now = Date.now();
  const clients = Array.from({ length: CLIENTS }, (_, i) => {
    const id = `c${i}`;
    return salonClient(id, now, { firstName: `Client${i}`, ...(REJECTED_CLIENTS.includes(id) ? { email: rejectedAddress(id) } : {}) });
  });
  await seedSalon(db, {
    now,
    smtpPort: port,
    clients,
    settings: (s) => (s.type === 'reminder' ? { ...s, timing: { ...s.timing, reminderOffsetsMinutes: REMINDER_OFFSETS_MINUTES } } : s),
  });
  // Starts 2 min + 3 s + i × SPACING_MS ahead: the 2 min reminders fall due one after another over the next seconds,
  // the 1 min ones a minute later, all well before the appointments start. Confirmations are due at once.
  const appointments = Array.from({ length: count }, (_, i) => appointment(`a${i}`, `c${i % CLIENTS}`, now + 2 * MINUTE + 3_000 + i * SPACING_MS, now));
  await db.appointments.bulkInsert(appointments);
  if (options.sandbox) await (await db.locations.findOne(LOCATION_ID).exec())!.incrementalPatch({ sandboxMode: true });
  await db.close();
  say(`seeded ${now}`);
}

/** The real provider, with a line on stdout around each call so the parent can kill mid-send. */
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

async function run(final: boolean): Promise<void> {
  const email = smtpChannel({ host: '127.0.0.1', port, secure: false, from: { name: 'Lumière Front Desk', address: 'desk@lumiere.example' }, connectionTimeoutMs: 5_000 }, systemClock);
  const runtime = await SalonRuntime.open({
    dataDir: dataDir!,
    clock: systemClock,
    timers: systemTimers,
    providers: { email: observed(email) },
    log: (line) => process.stderr.write(`${line}\n`),
  });
  say('ready');
  // The engine's timers are unref'd (they must not keep the app alive): hold the process open ourselves.
  const keepAlive = setInterval(() => undefined, 60_000);
  if (!final) return;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const jobs = await allJobs(runtime.db);
    if (jobs.length > 0 && jobs.every(isTerminal)) break;
  }
  await runtime.engine.idle();
  writeFileSync(extra!, JSON.stringify({ jobs: await allJobs(runtime.db), log: await deliveryLog(runtime.db) }));
  clearInterval(keepAlive);
  await runtime.close();
  email.close();
  say('done');
  process.exit(0);
}

if (mode === 'verdict') {
  const appendLog = EngineStore.prototype.appendLog;
  EngineStore.prototype.appendLog = function (entries) {
    if (entries.some((entry) => entry.status === 'delivered')) {
      say('dying');
      process.kill(process.pid, 'SIGKILL');
    }
    return appendLog.call(this, entries);
  };
}

if (mode === 'sandboxed') {
  const appendLog = EngineStore.prototype.appendLog;
  EngineStore.prototype.appendLog = function (entries) {
    const victim = entries.find((entry) => entry.status === 'sandboxed');
    if (victim) {
      say(`dying ${victim.jobId}`);
      process.kill(process.pid, 'SIGKILL');
    }
    return appendLog.call(this, entries);
  };
}

if (mode === 'seed') await seed(Number(extra));
else if (mode === 'seed-sandbox') await seed(Number(extra), { sandbox: true });
else if (mode === 'sandboxed') await run(false);
else if (mode === 'verdict') await run(false);
else if (mode === 'run') await run(false);
else if (mode === 'final') await run(true);
else throw new Error(`unknown mode ${mode}`);
