/** Maps domain documents onto the template context, and picks and renders the template for a channel. */
import type { Appointment } from '../domain/appointment.ts';
import type { Client } from '../domain/client.ts';
import type { ClientPerk } from '../domain/client-perk.ts';
import type { Location } from '../domain/location.ts';
import type { NotificationSettings, NotificationType } from '../domain/notification-settings.ts';
import type { Service } from '../domain/service.ts';
import type { Staff } from '../domain/staff.ts';
import type { Channel, ClientChannel, ClientNotificationType, Language, StaffChannel, TeamEventType } from '../notifications/catalog.ts';
import { CLIENT_NOTIFICATION_TYPES } from '../notifications/catalog.ts';
import { defaultClientTemplate, defaultTeamTemplate } from '../notifications/templates/defaults.ts';
import { renderTemplate, type MessageTemplate, type RenderedMessage, type TemplateContext } from '../notifications/templates/render.ts';
import { burstOfOccasion, changeBursts, scheduleBefore, type ScheduleState } from './change-burst.ts';

export interface MessageFacts {
  location: Location;
  client?: Client;
  appointment?: Appointment;
  services?: readonly Service[];
  staff?: Staff;
  /** For change alerts and reschedules: how it was before the change (see `previousSchedule`). */
  previous?: { startMs?: number; staffName?: string; serviceNames?: readonly string[] };
  perk?: ClientPerk;
  /** QR-code payments an integration reported: the amount in minor units of the location's currency. */
  payment?: { amountMinor: number };
  /** Incoming calls: the caller's number. */
  caller?: { phone: string };
}

function formatAddress(location: Location): string {
  const { line1, line2, postalCode, city } = location.address;
  return [line1, line2, `${postalCode} ${city}`.trim()].filter(Boolean).join(', ');
}

export function buildTemplateContext(facts: MessageFacts): TemplateContext {
  const { location, client, appointment, services, staff, previous, perk, payment, caller } = facts;
  const context: { -readonly [K in keyof TemplateContext]: TemplateContext[K] } = {
    salon: { name: location.name, address: formatAddress(location), phone: location.phone },
    links: {
      ...(location.bookingUrl ? { booking: location.bookingUrl } : {}),
      ...(location.reviewUrl && appointment ? { review: `${location.reviewUrl}${location.reviewUrl.includes('?') ? '&' : '?'}visit=${encodeURIComponent(appointment.id)}` } : {}),
    },
  };
  if (client) context.client = { name: `${client.firstName} ${client.lastName}`.trim(), firstName: client.firstName };
  if (appointment) {
    context.appointment = { start: appointment.startMs, services: (services ?? []).map((s) => s.name), ...(staff ? { specialist: staff.name } : {}) };
  }
  if (previous && (previous.startMs !== undefined || previous.staffName !== undefined || previous.serviceNames !== undefined)) {
    // What did not change reads as it is now: "before: 19:00 with Maria" even when only the time moved.
    context.previous = {
      start: previous.startMs ?? appointment?.startMs ?? 0,
      ...(previous.staffName ?? staff?.name ? { specialist: previous.staffName ?? staff?.name } : {}),
      services: previous.serviceNames ?? (services ?? []).map((s) => s.name),
    };
  }
  if (perk?.kind === 'bonusAccrual') context.bonus = { amount: perk.points ?? 0, balance: perk.balanceAfter ?? client?.loyaltyPoints ?? 0 };
  if (perk && perk.kind !== 'bonusAccrual' && perk.expiresOn) {
    const [year, month, day] = perk.expiresOn.split('-').map(Number) as [number, number, number];
    context.discount = {
      name: perk.description ?? perk.code ?? (perk.kind === 'certificate' ? 'Gift certificate' : 'Discount'),
      value: perk.percent !== undefined ? { kind: 'percent', percent: perk.percent } : { kind: 'amount', amount: (perk.amountMinor ?? 0) / 100 },
      expiresOn: { year, month, day },
    };
  }
  if (payment) context.payment = { amount: payment.amountMinor / 100 };
  if (caller) context.caller = { phone: caller.phone };
  return context;
}

function isClientType(type: NotificationType): type is ClientNotificationType {
  return (CLIENT_NOTIFICATION_TYPES as readonly string[]).includes(type);
}

/** The salon's template in the recipient's language, else its English one, else the built-in default. */
export function pickTemplate(settings: NotificationSettings | undefined, type: NotificationType, channel: Channel, language: Language): MessageTemplate {
  const configured = settings?.templates[channel];
  const chosen = configured?.[language] ?? configured?.en;
  if (chosen) return chosen;
  return isClientType(type)
    ? defaultClientTemplate(type, channel as ClientChannel, language)
    : defaultTeamTemplate(type as TeamEventType, channel as StaffChannel, language);
}

export function renderFor(
  settings: NotificationSettings | undefined,
  type: NotificationType,
  channel: Channel,
  language: Language,
  facts: MessageFacts,
): RenderedMessage {
  const { location } = facts;
  return renderTemplate(pickTemplate(settings, type, channel, language), buildTemplateContext(facts), {
    language,
    locale: location.locale,
    timeZone: location.timeZone,
    currency: location.currency,
  });
}

/**
 * How the visit was before the change a message is about: for a change alert, before the first edit of its burst
 * (the occasion names the burst); for a reschedule row or toast, before the last burst. The dispatcher turns the
 * ids into names.
 */
export function previousSchedule(appointment: Appointment, occasion?: string): ScheduleState | undefined {
  const burst = (occasion ? burstOfOccasion(appointment, occasion) : undefined) ?? changeBursts(appointment.history).at(-1);
  return burst ? scheduleBefore(appointment, burst) : undefined;
}
