/**
 * `staff.save` and `services.save`: a staff member or a service written whole, after the domain rules
 * (shared/domain/staff-input.ts) and the references (services of the same location) are checked. Nothing is deleted:
 * `active: false` takes a person off the calendar and a service off the booking form, and every past visit keeps them.
 */
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import { issue, type Issue } from '../../../shared/domain/issues.ts';
import type { Location } from '../../../shared/domain/location.ts';
import type { Service } from '../../../shared/domain/service.ts';
import type { Staff } from '../../../shared/domain/staff.ts';
import { nameIssues, storedName } from '../../../shared/domain/names.ts';
import { checkStaffContact, sortedHours, staffNameIssues, staffServiceIssues, timeOffIssues, workingHoursIssues } from '../../../shared/domain/staff-input.ts';
import type { ParsedRequestOf } from '../../../shared/ipc/contract.ts';
import type { Clock } from '../../../shared/time/clock.ts';
import type { Handlers } from '../api/router.ts';
import type { SalonRuntime } from '../salon-runtime.ts';
import { checkRevision, findLocation, newDocumentId, notFound, refuse, replaceDocument, writeError } from './command-support.ts';

type StaffRequest = ParsedRequestOf<'staff.save'>;
type ServiceRequest = ParsedRequestOf<'services.save'>;

/** The staff document a request describes, over `base` (the stored one on an update); issues when it cannot be. */
async function staffFromRequest(db: FrontDeskDatabase, location: Location, request: StaffRequest, base: Staff | undefined, now: number): Promise<{ staff: Staff; issues: Issue[] }> {
  const issues: Issue[] = [...staffNameIssues(request.name), ...workingHoursIssues(request.workingHours), ...timeOffIssues(request.timeOff)];
  const wanted = [...new Set(request.serviceIds)];
  const services = await db.services.findByIds(wanted).exec();
  issues.push(...staffServiceIssues(wanted, new Map([...services.values()].map((s) => [s.id, s.toJSON()])), location.id));
  const contact = checkStaffContact(request, location.countryCode);
  issues.push(...contact.issues);
  const staff: Staff = {
    ...(base ?? { id: newDocumentId('stf'), locationId: location.id, createdAt: new Date(now).toISOString() }),
    name: storedName(request.name),
    role: request.role,
    serviceIds: wanted,
    workingHours: sortedHours(request.workingHours),
    timeOff: [...request.timeOff].sort((a, b) => a.from.localeCompare(b.from)),
    desktopToasts: request.desktopToasts,
    active: request.active,
  };
  const optional = { title: request.title?.trim(), email: contact.email, phone: contact.phone, color: request.color };
  for (const [key, value] of Object.entries(optional) as [keyof typeof optional, string | undefined][]) {
    if (value) staff[key] = value;
    else if (request[key] !== undefined) delete staff[key];
  }
  if (request.ntfyTopic !== undefined) {
    const { ntfyTopic: _dropped, ...push } = staff.adminPush ?? {};
    const adminPush = request.ntfyTopic ? { ...push, ntfyTopic: request.ntfyTopic } : push;
    if (Object.keys(adminPush).length > 0) staff.adminPush = adminPush;
    else delete staff.adminPush;
  }
  return { staff, issues };
}

async function saveStaff(db: FrontDeskDatabase, request: StaffRequest, now: number) {
  const location = await findLocation(db, request.locationId);
  if (request.staffId === undefined) {
    const { staff, issues } = await staffFromRequest(db, location, request, undefined, now);
    if (issues.length > 0) refuse(issues);
    try {
      const saved = await db.staff.insert(staff);
      return { staffId: saved.id, revision: saved.revision, created: true };
    } catch (error) {
      throw writeError(error, 'staff', 'staff');
    }
  }
  const doc = await db.staff.findOne(request.staffId).exec();
  if (!doc) notFound('staff.notFound', 'staffId', `no staff member "${request.staffId}" exists`, { id: request.staffId });
  if (doc.locationId !== location.id) refuse([issue('staff.wrongLocation', 'staffId', 'this staff member works at another location')]);
  if (request.expectedRevision === undefined) refuse([issue('command.revisionRequired', 'expectedRevision', 'say which revision of the staff member was edited')]);
  checkRevision(doc, request.expectedRevision, 'staff');
  const { staff, issues } = await staffFromRequest(db, location, request, doc.toMutableJSON(), now);
  if (issues.length > 0) refuse(issues);
  const saved = await replaceDocument(doc, staff, 'staff', 'staff');
  return { staffId: saved.id, revision: saved.revision, created: false };
}

function serviceFromRequest(location: Location, request: ServiceRequest, base: Service | undefined, now: number): { service: Service; issues: Issue[] } {
  const issues = nameIssues(request.name, 'service.name', 'name', 'enter the name of the service');
  const service: Service = {
    ...(base ?? { id: newDocumentId('svc'), locationId: location.id, createdAt: new Date(now).toISOString() }),
    name: storedName(request.name),
    category: request.category,
    durationMinutes: request.durationMinutes,
    priceMinor: request.priceMinor,
    excludeFromReviewRequests: request.excludeFromReviewRequests,
    active: request.active,
  };
  if (request.repeatIntervalDays === null) delete service.repeatIntervalDays;
  else service.repeatIntervalDays = request.repeatIntervalDays;
  return { service, issues };
}

async function saveService(db: FrontDeskDatabase, request: ServiceRequest, now: number) {
  const location = await findLocation(db, request.locationId);
  if (request.serviceId === undefined) {
    const { service, issues } = serviceFromRequest(location, request, undefined, now);
    if (issues.length > 0) refuse(issues);
    try {
      const saved = await db.services.insert(service);
      return { serviceId: saved.id, revision: saved.revision, created: true };
    } catch (error) {
      throw writeError(error, 'service', 'services');
    }
  }
  const doc = await db.services.findOne(request.serviceId).exec();
  if (!doc) notFound('service.notFound', 'serviceId', `no service "${request.serviceId}" exists`, { id: request.serviceId });
  if (doc.locationId !== location.id) refuse([issue('service.wrongLocation', 'serviceId', 'this service belongs to another location')]);
  if (request.expectedRevision === undefined) refuse([issue('command.revisionRequired', 'expectedRevision', 'say which revision of the service was edited')]);
  checkRevision(doc, request.expectedRevision, 'service');
  const { service, issues } = serviceFromRequest(location, request, doc.toMutableJSON(), now);
  if (issues.length > 0) refuse(issues);
  const saved = await replaceDocument(doc, service, 'service', 'services');
  return { serviceId: saved.id, revision: saved.revision, created: false };
}

export function staffHandlers(runtime: () => SalonRuntime, clock: Clock): Pick<Handlers, 'staff.save' | 'services.save'> {
  return {
    'staff.save': (request) => saveStaff(runtime().db, request, clock.now()),
    'services.save': (request) => saveService(runtime().db, request, clock.now()),
  };
}
