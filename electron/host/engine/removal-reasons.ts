/** What planning writes into the log when it closes a job: the channel shown, and why the job is no longer wanted. */
import type { Appointment } from '../../../shared/domain/appointment.ts';
import type { Job } from '../../../shared/domain/job.ts';
import type { NotificationType } from '../../../shared/domain/notification-settings.ts';
import { because, type PlanSettings } from '../../../shared/engine/plan.ts';
import type { Channel } from '../../../shared/notifications/catalog.ts';
import type { ReasonFields } from '../../../shared/notifications/reasons.ts';

/** The first channel a type's cascade uses (email when none is on): the channel a closed job's log entry names. */
export function firstChannel(plan: PlanSettings, type: NotificationType): Channel {
  const settings = plan.settings.get(type);
  const used = Object.entries(settings?.channels ?? {}).find(([, s]) => s && s.scenario !== 'off');
  return (used?.[0] as Channel | undefined) ?? 'email';
}

/** Why planning cancels a job it no longer wants: English in the salon's zone (not its language), plus the code. */
export function explainRemoval(job: Job, plan: PlanSettings, appointment: Appointment | undefined, later?: ReadonlyMap<string, number>): ReasonFields {
  const settings = plan.settings.get(job.type);
  if (!settings?.enabled) return because(plan, 'type.off', { type: job.type });
  if (appointment) {
    if (job.type === 'repeatVisit' && appointment.status === 'completed' && later && later.size > 0) return because(plan, 'repeatVisit.laterVisit', { startAt: Math.min(...later.values()) });
    if (appointment.status === 'cancelled') return because(plan, 'appointment.cancelled');
    if (appointment.status !== 'booked' && appointment.status !== 'confirmed' && appointment.status !== 'arrived') return because(plan, 'appointment.status', { status: appointment.status });
    if (job.type === 'reminder' && !job.occasion.endsWith(`@${appointment.startMs}`)) return because(plan, 'appointment.moved', { startAt: appointment.startMs });
    if (job.type === 'changeAlert') return because(plan, 'changeAlert.superseded');
    if (job.type === 'reminder') return because(plan, 'reminder.settingsChanged');
  }
  return because(plan, 'subject.noLongerApplies');
}
