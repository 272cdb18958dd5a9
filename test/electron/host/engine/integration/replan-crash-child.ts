/**
 * Child process of replan-crash.test.ts: a salon whose only notification is two reminders per visit, planned by the
 * host's salon runtime on node:sqlite files; then the reminders are switched off, which re-plans the whole book.
 *
 *   node replan-crash-child.ts seed <dataDir> <appointments>   seed the salon and exit
 *   node replan-crash-child.ts run  <dataDir> save|keep         plan; with `save` switch reminders off; stay up
 *
 * stdout lines: `planned <reminder jobs>` once the start's plan is done, `saved` once the settings change is written,
 * `replanned` once the engine is idle again. The parent SIGKILLs it at a moment of its choosing.
 */
import { openFrontDeskDatabase } from '../../../../../electron/host/db/open-database.ts';
import { SalonRuntime } from '../../../../../electron/host/salon-runtime.ts';
import { getRxStorageNodeSqlite } from '../../../../../electron/host/storage/index.ts';
import { systemClock, systemTimers } from '../../../../../electron/host/system-clock.ts';
import { DAY, MINUTE, appointment, salonClient, seedSalon } from './support/salon.ts';

const [mode, dataDir, extra] = process.argv.slice(2);
if (!dataDir) throw new Error(`usage: replan-crash-child.ts seed|run <dataDir> ... (got ${process.argv.slice(2).join(' ')})`);
const say = (line: string) => process.stdout.write(`${line}\n`);

async function seed(count: number): Promise<void> {
  const db = await openFrontDeskDatabase({ storage: getRxStorageNodeSqlite({ directory: dataDir! }), name: 'frontdesk', multiInstance: false });
  const now = Date.now();
  const clients = Array.from({ length: 40 }, (_, i) => salonClient(`c${i}`, now));
  await seedSalon(db, {
    now,
    clients,
    settings: (s) => (s.type === 'reminder' ? { ...s, enabled: true, timing: { ...s.timing, reminderOffsetsMinutes: [1440, 120] } } : { ...s, enabled: false }),
  });
  // Days ahead: nothing falls due while the test runs, every reminder stays planned until the switch.
  await db.appointments.bulkInsert(Array.from({ length: count }, (_, i) => appointment(`a${i}`, `c${i % 40}`, now + 3 * DAY + i * 10 * MINUTE, now)));
  await db.close();
  say('seeded');
}

async function run(save: boolean): Promise<void> {
  const runtime = await SalonRuntime.open({ dataDir: dataDir!, clock: systemClock, timers: systemTimers, providers: {}, log: (line) => process.stderr.write(`${line}\n`) });
  setInterval(() => undefined, 60_000);
  await runtime.engine.idle();
  const reminders = await runtime.db.jobs.count({ selector: { type: 'reminder' } }).exec();
  say(`planned ${reminders}`);
  if (!save) return;
  const setting = await runtime.db.notification_settings.findOne({ selector: { type: 'reminder' } }).exec();
  await setting!.incrementalPatch({ enabled: false, updatedAt: new Date().toISOString() });
  say('saved');
  await runtime.engine.idle();
  say('replanned');
}

if (mode === 'seed') await seed(Number(extra));
else if (mode === 'run') await run(extra === 'save');
else throw new Error(`unknown mode ${mode}`);
