/**
 * The team side: each schedule change of an appointment becomes one notification-center row (deterministic id per
 * history entry, so replays and other desks converge), and cancellations and reschedules also become desktop toast
 * jobs for the staff concerned who want them.
 */
import type { Appointment, AppointmentChange } from '../domain/appointment.ts';
import { clientDisplayName, type Client } from '../domain/client.ts';
import { jobId, type Job } from '../domain/job.ts';
import type { Location } from '../domain/location.ts';
import type { NotificationSettings, NotificationType } from '../domain/notification-settings.ts';
import type { Service } from '../domain/service.ts';
import type { Staff } from '../domain/staff.ts';
import type { TeamEvent, TeamEventFacts } from '../domain/team-event.ts';
import type { Language, StaffChannel, TeamEventType } from '../notifications/catalog.ts';
import { DAY_MS } from '../notifications/zoned-time.ts';
import { renderFor, type MessageFacts } from './message-context.ts';

/** Older history than this is not news: loading an existing book must not flood the notification center. */
export const TEAM_EVENT_FRESHNESS_MS = DAY_MS;

/**
 * A visit's latest changes that become team events (each a center row, toasts and staff messages); older fresh ones
 * do not. The desk writes one change per edit, so only a visit edited more often than this within a day meets it —
 * but a peer's single revision with 200 made-up "moved" entries showed the specialist 200 toasts (and, with staff SMS
 * on, sent 200 texts through the salon's account). The client's change alert already goes by the latest burst only.
 */
export const MAX_TEAM_EVENTS_PER_VISIT = 20;

export function teamEventTypeOf(change: AppointmentChange): TeamEventType | undefined {
  if (change.kind === 'created') return 'newBooking';
  if (change.kind === 'moved' || change.kind === 'reassigned') return 'reschedule';
  if (change.kind === 'statusChanged' && change.to === 'cancelled') return 'cancellation';
  return undefined;
}

export interface TeamEventDraft<Type extends TeamEventType | 'durationChanged' = TeamEventType> {
  id: string;
  type: Type;
  appointment: Appointment;
  change: AppointmentChange;
  /** The specialist now, and the one before a re-assignment: both need to know. */
  staffIds: string[];
}

export function teamEventDrafts(appointment: Appointment, now: number): TeamEventDraft[] {
  return draftsOf(appointment, now, teamEventTypeOf);
}

/**
 * The center rows of length changes. A length change is its own kind, never a reschedule: the start did not move, so
 * nobody is told the visit was moved. It is a center row only (no notification type, so no toast or staff message).
 */
export function lengthChangeDrafts(appointment: Appointment, now: number): TeamEventDraft<'durationChanged'>[] {
  return draftsOf(appointment, now, (change) => (change.kind === 'durationChanged' ? 'durationChanged' : undefined));
}

function draftsOf<Type extends TeamEventType | 'durationChanged'>(appointment: Appointment, now: number, typeOf: (change: AppointmentChange) => Type | undefined): TeamEventDraft<Type>[] {
  const drafts: TeamEventDraft<Type>[] = [];
  for (const change of appointment.history) {
    const type = typeOf(change);
    if (!type || now - Date.parse(change.at) > TEAM_EVENT_FRESHNESS_MS) continue;
    const staffIds = [appointment.staffId];
    if (change.kind === 'reassigned' && change.from && change.from !== appointment.staffId) staffIds.push(change.from);
    drafts.push({ id: `${type}|${appointment.id}|${change.at}`, type, appointment, change, staffIds });
  }
  return drafts.slice(-MAX_TEAM_EVENTS_PER_VISIT);
}

/**
 * The facts of a team event as they were at the change itself (a row rendered later still tells that change, even if
 * the visit changed again since): start and specialist after the change, and what they were before it.
 */
export function teamEventFacts(draft: TeamEventDraft<TeamEventType | 'durationChanged'>, names: { clientName?: string; staffName: (id: string) => string | undefined; serviceNames: readonly string[] }): TeamEventFacts {
  const { change, appointment } = draft;
  const startAt = change.kind === 'moved' && change.to ? Date.parse(change.to) : change.kind === 'created' && change.to ? Date.parse(change.to) : appointment.startMs;
  const staffId = change.kind === 'reassigned' && change.to ? change.to : appointment.staffId;
  const staffName = names.staffName(staffId);
  const previousStaffName = change.kind === 'reassigned' && change.from ? names.staffName(change.from) : undefined;
  return {
    ...(names.clientName ? { clientName: names.clientName } : {}),
    startAt,
    ...(staffName ? { staffName } : {}),
    serviceNames: [...names.serviceNames],
    ...(change.kind === 'moved' && change.from ? { previousStartAt: Date.parse(change.from) } : {}),
    ...(previousStaffName ? { previousStaffName } : {}),
    ...(change.kind === 'durationChanged' && change.to && change.from ? { endAt: Date.parse(change.to), previousEndAt: Date.parse(change.from) } : {}),
  };
}

/** A length change's row as stored (English, for logs and readers without facts; the desk renders it from the facts). */
export function durationChangedEvent(draft: TeamEventDraft<'durationChanged'>, locationId: string, facts: TeamEventFacts, timeZone: string): TeamEvent {
  const hhmm = (ms: number) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
  const day = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short' }).format(facts.startAt);
  const range = (end: number | undefined) => `${hhmm(facts.startAt)}–${end === undefined ? '?' : hhmm(end)}`;
  const title = `Visit length changed: ${facts.clientName ?? 'a client'}`;
  const body = `${day}, now ${range(facts.endAt)} (was ${range(facts.previousEndAt)}) with ${facts.staffName ?? 'the specialist'}. The start did not change.`;
  return toTeamEvent(draft, locationId, title, body, facts);
}

/** What team texts are rendered from, besides the change itself. */
export interface TeamMessageInputs {
  location: Location;
  client: Client | undefined;
  services: readonly Service[];
  staffName: (id: string) => string | undefined;
}

/**
 * The facts of a change and the message facts its team texts are rendered from. Planning uses it to write the event
 * and its messages; the dispatcher uses it again to render what it sends, so a job's stored text is never sent.
 */
export function teamMessage(draft: TeamEventDraft<TeamEventType | 'durationChanged'>, inputs: TeamMessageInputs): { facts: TeamEventFacts; message: MessageFacts } {
  const { client, services, location } = inputs;
  const facts = teamEventFacts(draft, { ...(client ? { clientName: clientDisplayName(client) } : {}), staffName: inputs.staffName, serviceNames: services.map((s) => s.name) });
  const previousStaffName = facts.previousStaffName ?? facts.staffName;
  const message: MessageFacts = {
    location,
    ...(client ? { client } : {}),
    appointment: { ...draft.appointment, startMs: facts.startAt },
    services,
    ...(facts.staffName ? { staff: { name: facts.staffName } as Staff } : {}),
    previous: { startMs: facts.previousStartAt ?? facts.startAt, ...(previousStaffName ? { staffName: previousStaffName } : {}) },
  };
  return { facts, message };
}

/** Team texts are in the salon's language (the desk renders notification-center rows in its own from the facts). */
export function salonLanguage(location: Pick<Location, 'locale'>): Language {
  return location.locale.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/** The text of a team message on one channel: a toast's title, or an email subject, and the body. */
export function teamMessageText(settings: NotificationSettings | undefined, type: TeamEventType, channel: StaffChannel, language: Language, message: MessageFacts): { subject?: string; body: string } {
  const rendered = renderFor(settings, type, channel, language, message);
  const subject = channel === 'desktop' ? (rendered.title ?? rendered.subject ?? type) : (rendered.subject ?? rendered.title);
  return { ...(subject ? { subject } : {}), body: rendered.body };
}

export function toTeamEvent(draft: TeamEventDraft<TeamEventType | 'durationChanged'>, locationId: string, title: string, body: string, facts?: TeamEventFacts): TeamEvent {
  const atMs = Date.parse(draft.change.at);
  return {
    id: draft.id,
    locationId,
    type: draft.type,
    appointmentId: draft.appointment.id,
    clientId: draft.appointment.clientId,
    staffIds: draft.staffIds,
    title,
    body,
    ...(facts ? { facts } : {}),
    at: new Date(atMs).toISOString(),
    atMs,
    readBy: [],
    read: false,
  };
}

/** The team channels a staff message can go out on; desktop toasts only for staff who want them on their desk. */
export const TEAM_MESSAGE_CHANNELS = ['email', 'adminPush', 'sms', 'desktop'] as const satisfies readonly StaffChannel[];

/**
 * The desk a desktop toast is planned for. A toast is desk-local (DESIGN §2: "on the desks of the staff concerned"):
 * each desk plans the toasts of the staff who work at it, and shows them itself without the dispatch lease — no other
 * desk ever sends them. `staffIds` empty or absent: this desk shows every concerned member's toast (one desk, or a
 * desk not told who works at it).
 */
export interface ToastDesk {
  id: string;
  staffIds?: readonly string[];
}

/** Marks the desk in a desktop toast's occasion: `<staffId>@desk:<deskId>` (one job per member and desk). */
export const DESK_MARK = '@desk:';

export function desktopOccasion(staffId: string, deskId: string): string {
  return `${staffId}${DESK_MARK}${deskId}`;
}

/** The desk a desktop toast job belongs to; undefined for every other job (and for toasts planned before desks had them). */
export function toastDeskOf(job: Pick<Job, 'channel' | 'occasion'>): string | undefined {
  if (job.channel !== 'desktop') return undefined;
  const at = job.occasion.lastIndexOf(DESK_MARK);
  return at < 0 ? undefined : job.occasion.slice(at + DESK_MARK.length);
}

/** The staff member a team message is for (its occasion, without the desk of a desktop toast). */
export function staffIdOfJob(job: Pick<Job, 'channel' | 'occasion'>): string {
  if (job.channel !== 'desktop') return job.occasion;
  const at = job.occasion.lastIndexOf(DESK_MARK);
  return at < 0 ? job.occasion : job.occasion.slice(0, at);
}

/** Whether a member's desktop toast belongs on this desk (its staff list, when it has one). */
export function worksAtDesk(desk: ToastDesk, staffId: string): boolean {
  return !desk.staffIds || desk.staffIds.length === 0 || desk.staffIds.includes(staffId);
}

/**
 * Team messages of one event: one job per staff member concerned and per team channel set to `always` for the type
 * (email, adminPush, SMS, desktop toast), with the text rendered now. A member without the contact a channel needs
 * still gets the job: it is logged "not tried" with the reason, never silently dropped. With a `desk`, desktop toasts
 * are that desk's (its id in the occasion) and only for the staff who work there; without one (no desk known: tests,
 * older data), one toast per member, unscoped.
 */
export function staffJobs(
  event: TeamEvent,
  staff: readonly Staff[],
  settings: NotificationSettings | undefined,
  now: number,
  render: (channel: StaffChannel) => { subject?: string; body: string },
  language: Language = 'en',
  desk?: ToastDesk,
): Job[] {
  // A sync conflict and a client's reply are shown in the notification center only, never sent.
  if (!settings?.enabled || event.type === 'syncConflict' || event.type === 'clientReply' || event.type === 'durationChanged') return [];
  const type: NotificationType = event.type;
  const stamp = new Date(now).toISOString();
  const jobs: Job[] = [];
  for (const channel of TEAM_MESSAGE_CHANNELS) {
    if (settings.channels[channel]?.scenario !== 'always') continue;
    const toast = channel === 'desktop';
    const members = staff.filter((member) => event.staffIds.includes(member.id) && member.active && (!toast || (member.desktopToasts && (!desk || worksAtDesk(desk, member.id)))));
    if (members.length === 0) continue;
    const text = toast ? { subject: event.title, body: event.body } : render(channel);
    for (const member of members) {
      const occasion = toast && desk ? desktopOccasion(member.id, desk.id) : member.id;
      const id = jobId({ type, subjectId: event.id, occasion, channel });
      jobs.push({
        id,
        locationId: event.locationId,
        type,
        subjectKind: 'teamEvent',
        subjectId: event.id,
        occasion,
        channel,
        // Due now: an event stamped ahead of this desk's clock (another desk's runs fast) is not waited for (immediate.ts).
        dueAt: now - 1,
        state: 'planned',
        attempts: 0,
        recipient: member.name,
        rendered: { language, ...(text.subject ? { subject: text.subject } : {}), body: text.body },
        idempotencyKey: id,
        createdAt: stamp,
        updatedAt: stamp,
      });
    }
  }
  return jobs;
}

/** Desktop toasts alone (the team messages of an event restricted to the desktop channel). */
export function desktopToastJobs(event: TeamEvent, staff: readonly Staff[], settings: NotificationSettings | undefined, now: number, desk?: ToastDesk): Job[] {
  return staffJobs(event, staff, settings, now, () => ({ body: event.body }), 'en', desk).filter((job) => job.channel === 'desktop');
}
