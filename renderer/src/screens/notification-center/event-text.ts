/**
 * A notification-center row in the desk's language, rendered when shown from the event's facts (the engine stores
 * what happened, not a sentence). Events written before facts existed keep the text they were stored with.
 */
import type { TeamEvent, TeamEventFacts } from '../../../../shared/domain/team-event.ts';
import type { I18n } from '../../app/i18n.ts';

/**
 * `day` names the salon day of a time; given, a move within one day says the earlier time alone ("Now 11 Dec 2026,
 * 14:15 (was 12:15)"), the repeated date made the change hard to spot.
 */
export function teamEventText(i18n: I18n, event: TeamEvent, when: (ms: number) => string, clock: (ms: number) => string = when, day?: (ms: number) => string): { title: string; body: string } {
  const facts = event.facts;
  if (facts && event.type === 'durationChanged') return lengthText(i18n, facts, when, clock);
  if (facts && event.type === 'clientReply') return replyText(i18n, facts, event.appointmentId !== undefined, when);
  if (facts && (event.type === 'incomingCall' || event.type === 'qrPayment')) return integrationText(i18n, event, facts);
  if (!facts || (event.type !== 'newBooking' && event.type !== 'reschedule' && event.type !== 'cancellation')) return { title: event.title, body: event.body };
  const { t } = i18n;
  const client = facts.clientName ?? t('center.event.unknownClient');
  const services = new Intl.ListFormat(i18n.locale, { type: 'conjunction' }).format(facts.serviceNames ?? []);
  const vars = { client, when: when(facts.startAt), services, staff: facts.staffName ?? t('cal.unknownStaff') };
  if (event.type === 'newBooking') return { title: t('center.event.newBooking.title', vars), body: t('center.event.body', vars) };
  if (event.type === 'cancellation') return { title: t('center.event.cancellation.title', vars), body: t('center.event.body', vars) };
  const title = t('center.event.reschedule.title', vars);
  if (facts.previousStaffName !== undefined) return { title, body: t('center.event.reassigned.body', { ...vars, previousStaff: facts.previousStaffName }) };
  if (facts.previousStartAt !== undefined) {
    const sameDay = day !== undefined && day(facts.previousStartAt) === day(facts.startAt);
    return { title, body: t('center.event.moved.body', { ...vars, previousWhen: sameDay ? clock(facts.previousStartAt) : when(facts.previousStartAt) }) };
  }
  return { title, body: t('center.event.body', vars) };
}

/** A visit made longer or shorter: the start stays (said so), the end before and after. Never a "reschedule". */
function lengthText(i18n: I18n, facts: TeamEventFacts, when: (ms: number) => string, clock: (ms: number) => string): { title: string; body: string } {
  const { t } = i18n;
  const client = facts.clientName ?? t('center.event.unknownClient');
  const services = new Intl.ListFormat(i18n.locale, { type: 'conjunction' }).format(facts.serviceNames ?? []);
  const end = (ms: number | undefined) => (ms === undefined ? '?' : clock(ms));
  const vars = { client, when: when(facts.startAt), end: end(facts.endAt), previousEnd: end(facts.previousEndAt), services, staff: facts.staffName ?? t('cal.unknownStaff') };
  return { title: t('center.event.durationChanged.title', vars), body: t('center.event.durationChanged.body', vars) };
}

/** A client's reply: "confirmed the visit" for a "1"/"yes", else the message as the client wrote it. */
function replyText(i18n: I18n, facts: TeamEventFacts, aboutVisit: boolean, when: (ms: number) => string): { title: string; body: string } {
  const { t } = i18n;
  const client = facts.clientName ?? t('center.event.unknownClient');
  const via = facts.replyVia ? (i18n.tryT(`center.event.clientReply.via.${facts.replyVia}`) ?? facts.replyVia) : '';
  const vars = { client, text: facts.replyText ?? '', via, when: when(facts.startAt) };
  const title = facts.confirmed ? t('center.event.clientReply.confirmed', vars) : t('center.event.clientReply.title', vars);
  return { title, body: t(aboutVisit ? 'center.event.clientReply.body' : 'center.event.clientReply.bodyNoVisit', vars) };
}

/** Calls and QR payments an integration reported: who (or which number), how much, and from which integration. */
function integrationText(i18n: I18n, event: TeamEvent, facts: TeamEventFacts): { title: string; body: string } {
  const { t } = i18n;
  const test = event.origin?.kind === 'test' ? `${t('toast.test')} · ` : '';
  const via = event.origin ? ` · ${event.origin.name}` : '';
  if (event.type === 'incomingCall') {
    const who = facts.clientName ? t('center.event.call.known', { client: facts.clientName, phone: facts.phone ?? '' }) : t('center.event.call.unknown', { phone: facts.phone ?? '' });
    return { title: `${test}${t('center.event.call.title')}`, body: `${who}${via}` };
  }
  let amount = String((facts.amountMinor ?? 0) / 100);
  try {
    amount = new Intl.NumberFormat(i18n.locale, { style: 'currency', currency: facts.currency ?? 'EUR' }).format((facts.amountMinor ?? 0) / 100);
  } catch {
    // An unknown currency code: the plain number.
  }
  const body = facts.clientName ? t('center.event.payment.known', { client: facts.clientName, amount }) : t('center.event.payment.unknown', { amount });
  return { title: `${test}${t('center.event.payment.title')}`, body: `${body}${via}` };
}
