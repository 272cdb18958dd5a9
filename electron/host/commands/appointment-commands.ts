/**
 * The appointment commands: book (with an existing client or a new one), move, change the length, re-assign, change services, set the
 * status, cancel. Each reads what the edit refers to, runs the pure edit of shared/domain/booking-edits.ts, and
 * writes only when every rule holds — otherwise it answers every issue found, each naming its request field. Edits of
 * an existing visit carry the revision the desk saw; a visit changed since is refused with `conflict`.
 */
import type { Appointment, AppointmentStatus } from '../../../shared/domain/appointment.ts';
import {
  cancelAppointment,
  changeDuration,
  changeServices,
  changeStatus,
  createAppointment,
  instantOf,
  moveAppointment,
  reassignAppointment,
  type EditResult,
} from '../../../shared/domain/booking-edits.ts';
import type { Client } from '../../../shared/domain/client.ts';
import { checkClientContact } from '../../../shared/domain/client-input.ts';
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import { issue, underField, type Issue } from '../../../shared/domain/issues.ts';
import type { Location } from '../../../shared/domain/location.ts';
import type { Service } from '../../../shared/domain/service.ts';
import type { ParsedRequestOf } from '../../../shared/ipc/contract.ts';
import type { Clock } from '../../../shared/time/clock.ts';
import type { Handlers } from '../api/router.ts';
import type { SalonRuntime } from '../salon-runtime.ts';
import { newClientDocument } from './client-commands.ts';
import { checkRevision, findLocation, newDocumentId, notFound, refuse, replaceDocument, writeError } from './command-support.ts';

type AppointmentChannels = 'appointments.create' | 'appointments.move' | 'appointments.changeDuration' | 'appointments.reassign' | 'appointments.changeServices' | 'appointments.setStatus' | 'appointments.cancel';

async function servicesById(db: FrontDeskDatabase, ids: readonly string[]): Promise<Map<string, Service>> {
  const found = await db.services.findByIds([...new Set(ids)]).exec();
  return new Map([...found.values()].map((doc) => [doc.id, doc.toMutableJSON()]));
}

async function staffById(db: FrontDeskDatabase, id: string) {
  return (await db.staff.findOne(id).exec())?.toMutableJSON();
}

/** The client of a new booking: an existing one of this location, or a new one built from the form. */
async function bookingClient(db: FrontDeskDatabase, location: Location, request: ParsedRequestOf<'appointments.create'>['client'], now: number): Promise<{ id: string; create?: Client; issues: Issue[] }> {
  if (request.kind === 'existing') {
    const client = await db.clients.findOne(request.id).exec();
    if (!client) return { id: request.id, issues: [issue('appointment.client.unknown', 'client.id', `client "${request.id}" does not exist (was it removed?)`, { id: request.id })] };
    if (client.locationId !== location.id) return { id: request.id, issues: [issue('appointment.client.wrongLocation', 'client.id', 'this client belongs to another location')] };
    return { id: request.id, issues: [] };
  }
  const { kind: _kind, language, marketingConsent, ...contact } = request;
  const checked = checkClientContact({ ...contact, lastName: contact.lastName ?? '' }, location.countryCode);
  if (!checked.ok) return { id: '', issues: underField('client', checked.issues) };
  const { client, issues } = newClientDocument(location, { contact: checked.value, language, marketingConsent }, now);
  return { id: client?.id ?? '', ...(client ? { create: client } : {}), issues: underField('client', issues) };
}

async function create(db: FrontDeskDatabase, request: ParsedRequestOf<'appointments.create'>, now: number) {
  const location = await findLocation(db, request.locationId);
  const issues: Issue[] = [];
  const client = await bookingClient(db, location, request.client, now);
  issues.push(...client.issues);
  const start = instantOf(request.start, location.timeZone, 'start');
  const end = request.end ? instantOf(request.end, location.timeZone, 'end') : undefined;
  if (!start.ok) issues.push(...start.issues);
  if (end && !end.ok) issues.push(...end.issues);
  const booking = createAppointment(
    {
      id: newDocumentId('apt'),
      locationId: location.id,
      clientId: client.id || 'pending',
      staffId: request.staffId,
      serviceIds: request.serviceIds,
      // An instant that could not be read makes the interval checks vacuous (NaN); its own issue is already listed.
      startMs: start.ok ? start.ms : Number.NaN,
      ...(end ? { endMs: end.ok ? end.ms : Number.NaN } : {}),
      ...(request.notes !== undefined ? { notes: request.notes } : {}),
      now,
    },
    { staff: await staffById(db, request.staffId), services: await servicesById(db, request.serviceIds) },
  );
  // A start or end that could not be read is already reported with its reason; the edit only knows it is missing.
  if (!booking.ok) issues.push(...booking.issues.filter((i) => !(i.code === 'appointment.start.required' && !start.ok) && !(i.code === 'appointment.end.required' && end && !end.ok)));
  if (issues.length > 0 || !booking.ok) refuse(issues);

  // Two documents, no transaction across collections: the client goes first (the engine planning the booking finds
  // it), and is taken back if the booking cannot be written, so nothing is left half-done.
  const created = client.create ? await db.clients.insert(client.create).catch((error: unknown) => Promise.reject(writeError(error, 'client', 'clients'))) : undefined;
  try {
    const saved = await db.appointments.insert(booking.value);
    return { appointmentId: saved.id, revision: saved.revision, clientId: client.id, clientCreated: created !== undefined };
  } catch (error) {
    await created?.remove().catch(() => undefined);
    throw writeError(error, 'appointment', 'appointments');
  }
}

interface Target {
  appointmentId: string;
  expectedRevision: string;
}

/** Reads the visit, refuses a stale desk, runs the edit and writes it over exactly the revision that was read. */
async function edit(db: FrontDeskDatabase, target: Target, change: (current: Appointment, location: Location) => Promise<EditResult> | EditResult) {
  const doc = await db.appointments.findOne(target.appointmentId).exec();
  if (!doc) notFound('appointment.notFound', 'appointmentId', `no visit "${target.appointmentId}" exists (was it removed?)`, { id: target.appointmentId });
  // A desk that saw an older visit is told so first: the issues of its edit would be about a visit it has not seen.
  checkRevision(doc, target.expectedRevision, 'appointment');
  const location = await findLocation(db, doc.locationId);
  const result = await change(doc.toMutableJSON(), location);
  if (!result.ok) refuse(result.issues);
  const saved = await replaceDocument(doc, result.value, 'appointment', 'appointments');
  return { appointmentId: saved.id, revision: saved.revision };
}

export function appointmentHandlers(runtime: () => SalonRuntime, clock: Clock): Pick<Handlers, AppointmentChannels> {
  const db = () => runtime().db;
  return {
    'appointments.create': (request) => create(db(), request, clock.now()),
    'appointments.move': (request) =>
      edit(db(), request, (current, location) => {
        const start = instantOf(request.start, location.timeZone, 'start');
        return start.ok ? moveAppointment(current, start.ms, clock.now()) : { ok: false, issues: start.issues };
      }),
    'appointments.changeDuration': (request) =>
      edit(db(), request, (current, location) => {
        const end = instantOf(request.end, location.timeZone, 'end');
        return end.ok ? changeDuration(current, end.ms, clock.now()) : { ok: false, issues: end.issues };
      }),
    'appointments.reassign': (request) =>
      edit(db(), request, async (current) => {
        const services = await servicesById(db(), current.serviceIds);
        const ofVisit = current.serviceIds.map((id) => services.get(id)).filter((s) => s !== undefined);
        return reassignAppointment(current, await staffById(db(), request.staffId), request.staffId, ofVisit, clock.now());
      }),
    'appointments.changeServices': (request) =>
      edit(db(), request, async (current) => {
        const staff = await staffById(db(), current.staffId);
        return changeServices(current, request.serviceIds, await servicesById(db(), request.serviceIds), staff, clock.now());
      }),
    'appointments.setStatus': (request) => edit(db(), request, (current) => changeStatus(current, request.status as AppointmentStatus, clock.now())),
    'appointments.cancel': (request) =>
      edit(db(), request, (current) => cancelAppointment(current, clock.now(), undefined, { notifyClient: request.notifyClient, ...(request.reason !== undefined ? { reason: request.reason } : {}) })),
  };
}
