/**
 * Provider benchmark: `npm run bench:providers` prints one JSON object per line.
 *
 * N bookings (default 10,000) are made at once; each gets a booking confirmation by SMS only, sent by the real engine
 * (node:sqlite database, system clock and timers) through the real generic HTTP SMS gateway client built by the
 * ProviderHub, to a loopback gateway that allows 50 requests per rolling second (429 + Retry-After beyond) and
 * answers 5 % of the create requests with a transient 503. The client's own rate limit is set just under the
 * gateway's. It reports: messages delivered and how many reached the "handset" more than once (must be 0), the
 * achieved rate against the limit (the baseline: 50/s is the best possible), retries, 429s, the busiest second seen
 * by the gateway, and how many repeats the idempotency key absorbed.
 *
 * Environment: BENCH_PROVIDERS_MESSAGES (N), BENCH_PROVIDERS_LIMIT (gateway limit per second, 50),
 * BENCH_PROVIDERS_TRANSIENT (share of 503s, 0.05). Quick run: BENCH_PROVIDERS_MESSAGES=500 npm run bench:providers
 */
import { rmSync } from 'node:fs';
import { ProviderHub } from '../../electron/host/channels/provider-hub.ts';
import { NotificationEngine } from '../../electron/host/engine/notification-engine.ts';
import { systemClock, systemTimers } from '../../electron/host/system-clock.ts';
import type { Appointment } from '../../shared/domain/appointment.ts';
import type { FrontDeskDatabase } from '../../shared/domain/database-types.ts';
import { isTerminalJobState } from '../../shared/domain/job.ts';
import type { NotificationSettings } from '../../shared/domain/notification-settings.ts';
import { providerDocId, providerSecretRef } from '../../shared/providers/catalog.ts';
import { gatewayConfig, startFakeGateway } from '../electron/host/channels/support/fake-sms-gateway.ts';
import { MemorySecrets } from '../electron/host/channels/support/provider-setup.ts';
import { appointmentDoc, benchDir, DAY, emit, envInt, insertAll, LOC, openDb, round, seed } from './engine-bench-support.ts';

const N = envInt('BENCH_PROVIDERS_MESSAGES', 10_000);
const LIMIT = envInt('BENCH_PROVIDERS_LIMIT', 50);
const TRANSIENT = Number(process.env.BENCH_PROVIDERS_TRANSIENT ?? 0.05);
/** Under the gateway's limit, so timer jitter does not tip a second over it. */
const CLIENT_RATE = LIMIT * 0.96;

/** Only booking confirmations, only by SMS: every message of the run is one the gateway must get exactly once. */
function smsOnly(settings: NotificationSettings): NotificationSettings {
  if (settings.type !== 'bookingConfirmation') return { ...settings, enabled: false };
  return {
    ...settings,
    respectQuietHours: false,
    channels: { email: { scenario: 'off', verdictWindowMinutes: 0 }, aggregatorPush: { scenario: 'off', verdictWindowMinutes: 0 }, brandedPush: { scenario: 'off', verdictWindowMinutes: 0 }, sms: { scenario: 'always', verdictWindowMinutes: 10 } },
  };
}

async function waitForAll(db: FrontDeskDatabase, onTick: (done: number) => void): Promise<void> {
  for (;;) {
    const jobs = await db.jobs.find({ selector: { type: 'bookingConfirmation' } }).exec();
    const done = jobs.filter((j) => isTerminalJobState(j.state)).length;
    onTick(done);
    if (jobs.length >= N && done >= N) return;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

async function main(): Promise<void> {
  const gateway = await startFakeGateway({ limitPerSecond: LIMIT, transientRate: TRANSIENT, seed: 42 });
  const dir = benchDir();
  const db = await openDb(dir, 'bench-providers');
  await seed(db, N, { location: { quietHours: { enabled: false, start: '21:00', end: '09:00' } }, settings: smsOnly });
  const secrets = new MemorySecrets();
  const { apiKey, statusUrl: _noReports, ...settings } = gatewayConfig(gateway);
  secrets.values.set(providerSecretRef(LOC, 'sms', 'httpSms', 'apiKey'), apiKey);
  await db.provider_settings.insert({
    id: providerDocId(LOC, 'sms', 'httpSms'), locationId: LOC, channel: 'sms', kind: 'httpSms', enabled: true,
    settings: { ...settings, ratePerSecond: CLIENT_RATE }, secretsSet: ['apiKey'], updatedAt: new Date().toISOString(),
  });
  const hub = new ProviderHub({ db, secrets, deps: { clock: systemClock, timers: systemTimers }, log: (line) => console.error(line) });
  await hub.start();
  const routers = hub.routers();
  const engine = new NotificationEngine({ db, clock: systemClock, timers: systemTimers, provider: (c) => routers[c] ?? routers.sms!, log: (line) => console.error(line) });
  await engine.start();
  await engine.idle();

  // N bookings made now, starting in three days: N confirmations fall due at once.
  const now = Date.now();
  for (let from = 0; from < N; from += 1000) {
    const batch: Appointment[] = [];
    for (let i = from; i < Math.min(N, from + 1000); i++) batch.push(appointmentDoc(`a${i}`, `c${i}`, now + 3 * DAY + (i % 500) * 15 * 60_000, now));
    await insertAll(db.appointments.bulkInsert(batch));
  }
  const t0 = performance.now();
  let last = -1;
  await waitForAll(db, (done) => {
    if (done !== last && done % 1000 < 50) console.error(`bench:providers ${done}/${N} confirmations final`);
    last = done;
  });
  const seconds = (performance.now() - t0) / 1000;
  await engine.idle();

  const jobs = (await db.jobs.find({ selector: { type: 'bookingConfirmation' } }).exec()).map((d) => d.toMutableJSON());
  const states: Record<string, number> = {};
  for (const job of jobs) states[job.state] = (states[job.state] ?? 0) + 1;
  const retrying = await db.delivery_log.count({ selector: { status: 'retrying' } }).exec();
  const handsetDuplicates = [...gateway.received.values()].filter((n) => n > 1).length;
  const accepted = gateway.counts.accepted;
  const sendSpan = gateway.messages.length > 1 ? (gateway.messages.at(-1)!.acceptedAt - gateway.messages[0]!.acceptedAt) / 1000 : seconds;
  const achieved = accepted / sendSpan;
  emit({
    bench: 'providers_10k_through_rate_limited_gateway', messages: N, delivered: states.delivered ?? 0, states,
    handset_deliveries: accepted, handset_duplicates: handsetDuplicates, idempotent_repeats_dropped: gateway.counts.duplicatesDropped,
    gateway_limit_per_s: LIMIT, client_rate_per_s: round(CLIENT_RATE), achieved_rate_per_s: round(achieved), ratio_to_limit: round(achieved / LIMIT),
    busiest_second_seen_by_gateway: gateway.counts.maxPerSecond, rate_respected: gateway.counts.maxPerSecond <= LIMIT,
    retries_logged: retrying, transient_503s: gateway.counts.transient, rate_limited_429s: gateway.counts.rateLimited,
    wall_seconds: round(seconds), send_span_seconds: round(sendSpan),
    meets_target: (states.delivered ?? 0) === N && handsetDuplicates === 0 && gateway.counts.maxPerSecond <= LIMIT,
  });
  await engine.stop();
  hub.stop();
  await db.close();
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
