/**
 * A notification-center row in the desk's language, rendered when shown from the event's facts (the engine stores
 * what happened, not a sentence). Events written before facts existed keep the text they were stored with.
 */
import type { TeamEvent } from '../../../../shared/domain/team-event.ts';
import type { I18n } from '../../app/i18n.ts';

export function teamEventText(i18n: I18n, event: TeamEvent, when: (ms: number) => string): { title: string; body: string } {
  const facts = event.facts;
  if (!facts || (event.type !== 'newBooking' && event.type !== 'reschedule' && event.type !== 'cancellation')) return { title: event.title, body: event.body };
  const { t } = i18n;
  const client = facts.clientName ?? t('center.event.unknownClient');
  const services = new Intl.ListFormat(i18n.locale, { type: 'conjunction' }).format(facts.serviceNames ?? []);
  const vars = { client, when: when(facts.startAt), services, staff: facts.staffName ?? t('cal.unknownStaff') };
  if (event.type === 'newBooking') return { title: t('center.event.newBooking.title', vars), body: t('center.event.body', vars) };
  if (event.type === 'cancellation') return { title: t('center.event.cancellation.title', vars), body: t('center.event.body', vars) };
  const title = t('center.event.reschedule.title', vars);
  if (facts.previousStaffName !== undefined) return { title, body: t('center.event.reassigned.body', { ...vars, previousStaff: facts.previousStaffName }) };
  if (facts.previousStartAt !== undefined) return { title, body: t('center.event.moved.body', { ...vars, previousWhen: when(facts.previousStartAt) }) };
  return { title, body: t('center.event.body', vars) };
}
