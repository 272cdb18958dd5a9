/**
 * "Nothing is sent for a job the engine did not plan." The outbox is a database collection, and documents can reach
 * it from outside this engine: replication from a peer, a damaged or hostile client of the storage. So right before a
 * job is handed to a provider, the dispatcher asks the planner what it wants for that subject NOW and sends only a job
 * that planning would have made: the id its type, subject, occasion and channel give, a subject that exists in the
 * job's location, a type and channel the settings want for it. Anything else is closed unsent with the reason. (Jobs
 * planned by another desk pass: planning is deterministic, so every desk wants the same jobs.) The text that goes out
 * is always rendered by the dispatcher itself, never taken from the job.
 */
import type { Appointment } from '../domain/appointment.ts';
import type { Client } from '../domain/client.ts';
import type { ClientPerk } from '../domain/client-perk.ts';
import { jobId, type Job } from '../domain/job.ts';
import type { Service } from '../domain/service.ts';
import type { Staff } from '../domain/staff.ts';
import type { TeamEvent } from '../domain/team-event.ts';
import type { Reason } from '../notifications/reasons.ts';
import { desiredAppointmentJobs, desiredClientJobs, desiredPerkJobs, type DesiredJob, type PlanSettings } from './plan.ts';
import { staffJobs, teamEventDrafts, toastDeskOf, TEAM_MESSAGE_CHANNELS, type TeamEventDraft, type ToastDesk } from './team-events.ts';

/** The subject of a client job as the dispatcher found it (undefined: it does not exist). */
export type ClientJobSubject =
  | { kind: 'appointment'; appointment: Appointment | undefined; services: readonly Service[]; laterVisitByService?: ReadonlyMap<string, number>; client?: Client | undefined; staff?: Staff | undefined }
  | { kind: 'client'; client: Client | undefined }
  | { kind: 'perk'; perk: ClientPerk | undefined; client?: Client | undefined };

/**
 * The client, specialist and services a booking or perk names, when one of them is another location's. The forms
 * refuse such a booking (appointment.*.wrongLocation), but the sync boundary sees one document at a time: a peer
 * that can write one location's database could have a desk serving two locations message the other one's clients.
 */
function namesOtherLocation(subject: ClientJobSubject, locationId: string): boolean {
  if (subject.kind === 'client') return false;
  if (subject.client && subject.client.locationId !== locationId) return true;
  if (subject.kind === 'perk') return false;
  return (subject.staff !== undefined && subject.staff.locationId !== locationId) || subject.services.some((service) => service.locationId !== locationId);
}

function idMismatch(job: Job): Reason | undefined {
  return job.id === jobId(job) ? undefined : { code: 'notPlanned.id' };
}

/**
 * `send`: planning wants exactly this job and it is due. `wait`: planning wants it, but not before `dueAt` (a job
 * whose due time was moved earlier outside planning goes back to its planned time). `close`: planning does not want it.
 */
export type ClientJobVerdict = { verdict: 'send' } | { verdict: 'wait'; dueAt: number } | { verdict: 'close'; reason: Reason };

function matchDesired(job: Job, desired: readonly DesiredJob[], now: number): ClientJobVerdict {
  const want = desired.find((d) => jobId(d) === job.id);
  if (!want || want.subjectKind !== job.subjectKind || want.state === 'skipped') return { verdict: 'close', reason: { code: 'notPlanned.notWanted', params: { type: job.type } } };
  if (want.dueAt > now && want.dueFromNow === undefined) return { verdict: 'wait', dueAt: want.dueAt };
  return { verdict: 'send' };
}

/** What to do with a due client job (channel `cascade`), asked of planning right before anything is sent. */
export function checkClientJob(job: Job, subject: ClientJobSubject, plan: PlanSettings, now: number): ClientJobVerdict {
  const close = (reason: Reason): ClientJobVerdict => ({ verdict: 'close', reason });
  const mismatch = idMismatch(job);
  if (mismatch) return close(mismatch);
  if (job.channel !== 'cascade' || job.subjectKind !== subject.kind) return close({ code: 'notPlanned.channel', params: { type: job.type, channel: job.channel } });
  let desired: DesiredJob[] = [];
  let locationId: string | undefined;
  if (subject.kind === 'appointment' && subject.appointment) {
    locationId = subject.appointment.locationId;
    // The job asked about is one this desk planned and has not finished.
    const context = { existingIds: new Set([job.id]), plannedIds: new Set([job.id]), ...(subject.laterVisitByService ? { laterVisitByService: subject.laterVisitByService } : {}) };
    desired = desiredAppointmentJobs(subject.appointment, subject.services, plan, now, context);
  } else if (subject.kind === 'client' && subject.client) {
    locationId = subject.client.locationId;
    desired = desiredClientJobs(subject.client, plan, now);
  } else if (subject.kind === 'perk' && subject.perk) {
    locationId = subject.perk.locationId;
    desired = desiredPerkJobs(subject.perk, plan, now);
  }
  if (locationId === undefined) return close({ code: 'notPlanned.subjectGone' });
  if (locationId !== job.locationId || plan.location.id !== job.locationId || namesOtherLocation(subject, job.locationId)) return close({ code: 'notPlanned.otherLocation' });
  return matchDesired(job, desired, now);
}

export interface StaffJobFacts {
  event: TeamEvent | undefined;
  /** The visit the event is about. */
  appointment: Appointment | undefined;
  /** The staff member the message is for (the job's occasion). */
  staff: Staff | undefined;
  plan: PlanSettings;
  /** The desk dispatching: a desktop toast planned for a desk goes out only there, for staff who work there. */
  desk?: ToastDesk;
}

export type StaffJobVerdict = { ok: true; draft: TeamEventDraft } | { ok: false; reason: Reason };

/**
 * A team message (staff email, SMS, push, desktop toast) must belong to a notification-center event that is one of
 * the changes in its visit's own history, go to a staff member that change concerns, over a channel the type's
 * settings set to `always` (toasts only for members who want them, on the desk they were planned for, to staff who
 * work there). Answers the change it is about, from which the dispatcher renders the text — the event's stored text
 * and staff list are not trusted either.
 */
export function checkStaffJob(job: Job, facts: StaffJobFacts, now: number): StaffJobVerdict {
  const refuse = (reason: Reason): StaffJobVerdict => ({ ok: false, reason });
  const mismatch = idMismatch(job);
  if (mismatch) return refuse(mismatch);
  if (job.subjectKind !== 'teamEvent' || !(TEAM_MESSAGE_CHANNELS as readonly string[]).includes(job.channel)) {
    return refuse({ code: 'notPlanned.channel', params: { type: job.type, channel: job.channel } });
  }
  const { event, appointment, plan } = facts;
  if (!event) return refuse({ code: 'notPlanned.subjectGone' });
  if (event.locationId !== job.locationId || plan.location.id !== job.locationId) return refuse({ code: 'notPlanned.otherLocation' });
  if (facts.staff && facts.staff.locationId !== job.locationId) return refuse({ code: 'notPlanned.otherLocation' });
  const draft = appointment && appointment.locationId === event.locationId ? teamEventDrafts(appointment, event.atMs).find((d) => d.id === event.id && d.type === event.type) : undefined;
  if (!draft || draft.type !== job.type) return refuse({ code: 'notPlanned.event' });
  const toastDesk = toastDeskOf(job);
  if (toastDesk !== undefined && toastDesk !== facts.desk?.id) return refuse({ code: 'notPlanned.notWanted', params: { type: job.type } });
  const desk = toastDesk !== undefined ? facts.desk : undefined;
  const wanted = staffJobs({ ...event, staffIds: draft.staffIds }, facts.staff ? [facts.staff] : [], plan.settings.get(draft.type), now, () => ({ body: '' }), 'en', desk);
  if (!wanted.some((j) => j.id === job.id)) return refuse({ code: 'notPlanned.notWanted', params: { type: job.type } });
  return { ok: true, draft };
}
