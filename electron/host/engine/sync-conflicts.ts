/**
 * A real sync conflict as a notification-center row (DESIGN §5): both versions, which one was kept and why. The id is
 * derived from the two versions, so the desk that resolved it and any desk that resolves the same pair again write one
 * row, which replicates to every desk of the location. The engine writes it (only the engine writes team events).
 */
import type { Appointment } from '../../../shared/domain/appointment.ts';
import type { Location } from '../../../shared/domain/location.ts';
import type { TeamEvent } from '../../../shared/domain/team-event.ts';
import { shortHash, stableJson } from '../../../shared/sync/merge-core.ts';
import { formatLocalDateTime } from '../../../shared/notifications/zoned-time.ts';
import type { SyncConflictReport } from '../sync/location-sync.ts';

function describeVisit(a: Appointment, location: Location, staffNames: Map<string, string>): string {
  const when = formatLocalDateTime(a.startMs, { locale: location.locale, timeZone: location.timeZone });
  const by = [...a.history].reverse().find((h) => h.kind !== 'created')?.by;
  return `${when}, ${staffNames.get(a.staffId) ?? a.staffId}, ${a.status}${by ? ` (changed by ${by})` : ''}`;
}

export function syncConflictEvent(report: SyncConflictReport, location: Location, staffNames: Map<string, string>, now: number): TeamEvent {
  const at = new Date(now).toISOString();
  if (report.kind === 'appointment') {
    const { kept, replaced, fields } = report.conflict;
    // The merge compares a visit's end as its length (`durationMs`), which is no stored field.
    const valueOf = (a: Appointment, key: string) => (key === 'durationMs' ? Date.parse(a.end) - a.startMs : (a as unknown as Record<string, unknown>)[key]);
    const id = `syncConflict|${kept.id}|${shortHash(stableJson([kept, replaced].map((a) => fields.map((f) => f.split('+').map((k) => valueOf(a, k))))))}`;
    return {
      id: id.slice(0, 128),
      locationId: location.id,
      type: 'syncConflict',
      appointmentId: kept.id,
      clientId: kept.clientId,
      staffIds: [...new Set([kept.staffId, replaced.staffId])],
      title: 'Booking changed on two desks',
      body: `Kept (the later change): ${describeVisit(kept, location, staffNames)}. Not applied: ${describeVisit(replaced, location, staffNames)}. Check with the client which one is right.`.slice(0, 2000),
      at,
      atMs: now,
      readBy: [],
      read: false,
    };
  }
  const { kept, replaced } = report.conflict;
  const what = report.collection === 'locations' ? 'Location settings' : `${kept.type ?? 'Notification'} settings`;
  const stamp = (s: { updatedBy?: string | undefined; updatedAt?: string | undefined }) =>
    `${s.updatedBy ?? 'another desk'}${s.updatedAt ? ` at ${formatLocalDateTime(Date.parse(s.updatedAt), { locale: location.locale, timeZone: location.timeZone })}` : ''}`;
  return {
    id: `syncConflict|${kept.id}|${shortHash(stableJson([kept.updatedAt, replaced.updatedAt, replaced.updatedBy]))}`.slice(0, 128),
    locationId: location.id,
    type: 'syncConflict',
    staffIds: [],
    title: `${what} changed on two desks`,
    body: `The newer edit by ${stamp(kept)} was kept; the edit by ${stamp(replaced)} was replaced. Open the settings to check them.`.slice(0, 2000),
    at,
    atMs: now,
    readBy: [],
    read: false,
  };
}
