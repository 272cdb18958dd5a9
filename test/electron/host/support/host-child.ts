/**
 * A whole FrontDeskHost in a child process, as `npm run web` or the desktop app run it: node:sqlite files in the data
 * folder, the real SMTP client built from the seeded mail server provider, the real clock. Tests start several of these on one
 * data folder (RxDB allows 13 collections per process, and a lock is only worth testing across processes).
 *
 *   node host-child.ts <electron|web> <dataDir> <keyDir> [seed <smtpPort> <reminderDueInMs>]
 *
 * stdout: `ready <app.info JSON>` once running, or `refused <message>` (exit 3) when the host did not start; then
 * `idle` once the engine has nothing left to do now (recovery, planning and every due job handled).
 * `seed` (into an empty folder) adds a salon whose SMTP is the given loopback port and one booking whose confirmation
 * is due at once and whose 1-minute reminder falls due `reminderDueInMs` from now. SIGTERM stops the host (exit 0).
 */
import { FrontDeskHost } from '../../../../electron/host/host.ts';
import { MINUTE, appointment, salonClient, seedSalon } from '../engine/integration/support/salon.ts';

const [mode, dataDir, keyDir, action, portArg, dueArg] = process.argv.slice(2);
if ((mode !== 'electron' && mode !== 'web') || !dataDir || !keyDir) throw new Error(`usage: host-child.ts electron|web <dataDir> <keyDir> [seed <port> <ms>]`);

const host = new FrontDeskHost({ dataDir, keyDir, mode, version: 'test', log: (line) => process.stderr.write(`${line}\n`) });
try {
  await host.start();
} catch (error) {
  process.stdout.write(`refused ${(error as Error).message}\n`);
  process.exit(3);
}
// The engine's timers are unref'd (they must not keep the app alive): hold the process open ourselves.
const keepAlive = setInterval(() => undefined, 60_000);

if (action === 'seed') {
  const now = Date.now();
  const db = host.runtime.db;
  await seedSalon(db, {
    now,
    smtpPort: Number(portArg),
    clients: [salonClient('c-1', now, { firstName: 'Anna', email: 'anna@clients.example' })],
    settings: (s) => (s.type === 'reminder' ? { ...s, timing: { ...s.timing, reminderOffsetsMinutes: [1] } } : s),
  });
  await db.appointments.insert(appointment('a-1', 'c-1', now + MINUTE + Number(dueArg), now));
}

const info = await host.api.call('app.info', {});
process.stdout.write(`ready ${JSON.stringify(info.ok ? info.value : info.error)}\n`);
await host.runtime.engine.idle();
process.stdout.write('idle\n');

process.once('SIGTERM', () => {
  clearInterval(keepAlive);
  void host.stop().then(() => process.exit(0));
});
