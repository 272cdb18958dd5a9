/**
 * The team's side of a booking change: a notification-center row per change (team-events.ts), the messages to the
 * specialists it concerns, and this desk's desktop toasts. Rows are written once whichever desk sees the change first;
 * each desk plans its own toasts.
 */
import type { Appointment } from '../../../shared/domain/appointment.ts';
import type { NotificationSettings } from '../../../shared/domain/notification-settings.ts';
import type { TeamEvent } from '../../../shared/domain/team-event.ts';
import type { PlanSettings } from '../../../shared/engine/plan.ts';
import { durationChangedEvent, lengthChangeDrafts, salonLanguage, staffIdOfJob, staffJobs, teamEventDrafts, teamMessage, teamMessageText, toastDeskOf, toTeamEvent, type TeamEventDraft, type ToastDesk } from '../../../shared/engine/team-events.ts';
import type { Language, StaffChannel } from '../../../shared/notifications/catalog.ts';
import type { EngineStore } from './engine-store.ts';

export class TeamSidePlanner {
  readonly #store: EngineStore;
  readonly #toastDesk: (locationId: string) => ToastDesk | undefined;

  constructor(store: EngineStore, toastDesk: (locationId: string) => ToastDesk | undefined) {
    this.#store = store;
    this.#toastDesk = toastDesk;
  }

  async plan(appointment: Appointment, plan: PlanSettings, now: number): Promise<void> {
    const store = this.#store;
    const drafts = teamEventDrafts(appointment, now);
    const lengthDrafts = lengthChangeDrafts(appointment, now);
    if (drafts.length === 0 && lengthDrafts.length === 0) return;
    const client = await store.client(appointment.clientId);
    const services = await store.services(appointment.serviceIds);
    const staffNames = new Map<string, string>();
    const staffName = (id: string) => staffNames.get(id);
    for (const id of new Set(drafts.flatMap((d) => [appointment.staffId, d.change.kind === 'reassigned' ? d.change.from : undefined, d.change.kind === 'reassigned' ? d.change.to : undefined]))) {
      const member = id ? await store.staff(id) : undefined;
      if (member) staffNames.set(member.id, member.name);
    }
    // The desk renders a row from its facts in its own language; the stored text (and the toast) is in the salon's.
    const language = salonLanguage(plan.location);
    const desk = this.#toastDesk(plan.location.id);
    // Length changes: a center row only — the specialist's day changed, the client's time did not; nothing is sent.
    for (const draft of lengthDrafts) {
      if (await store.teamEvent(draft.id)) continue;
      const { facts } = teamMessage(draft, { location: plan.location, client, services, staffName });
      await store.insertTeamEvent(durationChangedEvent(draft, plan.location.id, facts, plan.location.timeZone));
    }
    for (const draft of drafts) {
      const settings = plan.settings.get(draft.type);
      const known = await store.teamEvent(draft.id);
      if (known) {
        // Written by another desk (or before): its team messages exist, but this desk's toasts are this desk's to plan.
        if (desk) await this.#planDeskToasts(known, draft, settings, now, language, desk);
        continue;
      }
      const { facts, message } = teamMessage(draft, { location: plan.location, client, services, staffName });
      const toast = teamMessageText(settings, draft.type, 'desktop', language, message);
      const event = toTeamEvent(draft, plan.location.id, toast.subject ?? draft.type, toast.body, facts);
      if (!(await store.insertTeamEvent(event))) continue;
      const concerned = (await Promise.all(event.staffIds.map((id) => store.staff(id)))).filter((s) => s !== undefined);
      const render = (channel: StaffChannel) => teamMessageText(settings, draft.type, channel, language, message);
      await store.writeJobs(staffJobs(event, concerned, settings, now, render, language, desk));
    }
  }

  /**
   * This desk's desktop toasts of an event it did not write: each desk plans its own (one per member and desk, so a
   * member listed at two desks gets one on each). Idempotent: a toast planned before, or one planned before toasts had
   * desks, is left as it is.
   */
  async #planDeskToasts(event: TeamEvent, draft: TeamEventDraft, settings: NotificationSettings | undefined, now: number, language: Language, desk: ToastDesk): Promise<void> {
    if (settings?.channels.desktop?.scenario !== 'always') return;
    const store = this.#store;
    const concerned = (await Promise.all(draft.staffIds.map((id) => store.staff(id)))).filter((s) => s !== undefined);
    const wanted = staffJobs({ ...event, staffIds: draft.staffIds }, concerned, settings, now, () => ({ body: event.body }), language, desk).filter((job) => job.channel === 'desktop');
    if (wanted.length === 0) return;
    const existing = (await store.jobsOfSubject(event.id)).filter((job) => job.channel === 'desktop');
    const ids = new Set(existing.map((job) => job.id));
    const unscoped = new Set(existing.filter((job) => toastDeskOf(job) === undefined).map((job) => staffIdOfJob(job)));
    // Due from the change itself: a desk that sees the event hours late (it was closed) logs its toast as too late
    // (STAFF_MESSAGE_LATENESS_MS) instead of showing old news.
    const fresh = wanted.filter((job) => !ids.has(job.id) && !unscoped.has(staffIdOfJob(job)));
    await store.insertNewJobs(fresh.map((job) => ({ ...job, dueAt: Math.min(job.dueAt, event.atMs) })));
  }
}
