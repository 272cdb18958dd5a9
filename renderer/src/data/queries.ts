/**
 * Live queries the screens share; each uses an index of its collection. The queries are built in one place so the
 * start's prefetch (screens/calendar/prefetch-day.ts) asks exactly what the screens ask: RxDB then hands the screen
 * the same query object, already answered.
 */
import { useMemo } from 'react';
import type { Appointment } from '../../../shared/domain/appointment.ts';
import type { Client } from '../../../shared/domain/client.ts';
import type { MessagesDatabase, PageDatabase } from './database.ts';
import { useRxQuery } from './hooks.ts';

/** Every location of the data folder, by id (the header's choice, app/location-provider.tsx). */
export function locationsQuery(db: PageDatabase) {
  return db.locations.find({ sort: [{ id: 'asc' }] });
}

/** The location of an id (a list of at most one). */
export function locationByIdQuery(db: PageDatabase, locationId: string) {
  return db.locations.find({ selector: { id: locationId } });
}

/** A location's staff by name — index locationId. */
export function staffOfLocationQuery(db: PageDatabase, locationId: string) {
  return db.staff.find({ selector: { locationId }, sort: [{ name: 'asc' }] });
}

/** A location's services by name — index locationId. */
export function servicesOfLocationQuery(db: PageDatabase, locationId: string) {
  return db.services.find({ selector: { locationId }, sort: [{ name: 'asc' }] });
}

/** Visits starting in [fromMs, toMs), oldest first — index [locationId, startMs]. */
export function appointmentsBetweenQuery(db: PageDatabase, locationId: string, fromMs: number, toMs: number) {
  return db.appointments.find({ selector: { locationId, startMs: { $gte: fromMs, $lt: toMs } }, sort: [{ startMs: 'asc' }] });
}

/** One key per set of ids (sorted, without repeats): the same clients are one query, whatever order they came in. */
export function clientIdsKey(ids: readonly string[]): string {
  return [...new Set(ids)].sort().join('|');
}

/** Clients by the ids of a clientIdsKey (primary key lookups); undefined for no ids. */
export function clientsByKeyQuery(db: PageDatabase, key: string) {
  return key === '' ? undefined : db.clients.findByIds(key.split('|'));
}

/** Visits starting in [fromMs, toMs), live. */
export function useAppointmentsBetween(locationId: string, fromMs: number, toMs: number) {
  return useRxQuery<Appointment>((db) => appointmentsBetweenQuery(db, locationId, fromMs, toMs), [locationId, fromMs, toMs]);
}

/** Clients by id (primary key lookups), live, with a flag for "loaded for exactly these ids". */
export function useClientsOf(ids: readonly string[]): { clients: Map<string, Client>; fresh: boolean } {
  // Sorting a day's 600 ids at every render costs; a caller that keeps its array keeps the key.
  const key = useMemo(() => clientIdsKey(ids), [ids]);
  const result = useRxQuery<Client>((db) => clientsByKeyQuery(db, key), [key]);
  const clients = useMemo(() => new Map(result.docs.map((c) => [c.id, c])), [result.docs]);
  return { clients, fresh: result.fresh };
}

/** The jobs of a visit (or any subject), by due time. */
export function visitJobsQuery(db: MessagesDatabase, subjectId: string) {
  return db.jobs.find({ selector: { subjectId }, sort: [{ dueAt: 'asc' }] });
}

/** One key per list of job ids, in the jobs' order. */
export function jobIdsKey(jobIds: readonly string[]): string {
  return jobIds.join('\n');
}

/** The delivery log entries of the jobs of a jobIdsKey, oldest first; undefined for no jobs. */
export function jobsLogQuery(db: MessagesDatabase, key: string) {
  return key === '' ? undefined : db.delivery_log.find({ selector: { jobId: { $in: key.split('\n') } }, sort: [{ atMs: 'asc' }] });
}
