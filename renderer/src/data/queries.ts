/** Live queries the screens share; each uses an index of its collection. */
import { useMemo } from 'react';
import type { Appointment } from '../../../shared/domain/appointment.ts';
import type { Client } from '../../../shared/domain/client.ts';
import { useRxQuery } from './hooks.ts';

/** Visits starting in [fromMs, toMs) — index [locationId, startMs]. */
export function useAppointmentsBetween(locationId: string, fromMs: number, toMs: number) {
  return useRxQuery<Appointment>(
    (db) => db.appointments.find({ selector: { locationId, startMs: { $gte: fromMs, $lt: toMs } }, sort: [{ startMs: 'asc' }] }),
    [locationId, fromMs, toMs],
  );
}

/** Clients by id (primary key lookups), live. */
export function useClientsByIds(ids: readonly string[]): Map<string, Client> {
  const key = [...new Set(ids)].sort().join('|');
  const result = useRxQuery<Client>((db) => (key === '' ? undefined : db.clients.findByIds(key.split('|'))), [key]);
  return useMemo(() => new Map(result.docs.map((c) => [c.id, c])), [result.docs]);
}
