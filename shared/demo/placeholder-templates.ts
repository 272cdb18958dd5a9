/**
 * TO BE REPLACED by `defaultTemplates` from shared/notifications/templates once that module is final: minimal
 * English/Russian texts so the demo's settings are complete (every enabled channel has a template). Only
 * placeholders every type can fill are used, so these pass template validation for any type.
 */
import { CHANNELS, CLIENT_NOTIFICATION_TYPES } from '../notifications/catalog.ts';
import type { Channel } from '../notifications/catalog.ts';
import type { NotificationType, Template, TemplatesByLanguage } from '../domain/notification-settings.ts';

export type TemplateSource = (type: NotificationType) => Partial<Record<Channel, TemplatesByLanguage>>;

const HEADLINE: Record<NotificationType, readonly [en: string, ru: string]> = {
  bookingConfirmation: ['Your booking is confirmed', 'Ваша запись подтверждена'],
  reminder: ['Reminder of your visit', 'Напоминание о визите'],
  changeAlert: ['Your booking has changed', 'Ваша запись изменена'],
  cancellationNotice: ['Your booking is cancelled', 'Ваша запись отменена'],
  winBack: ['We miss you', 'Мы скучаем по вам'],
  reviewRequest: ['How was your visit?', 'Как прошёл визит?'],
  birthdayGreeting: ['Happy birthday!', 'С днём рождения!'],
  bonusAccrual: ['Bonus points credited', 'Начислены бонусы'],
  expiringDiscount: ['Your discount expires soon', 'Скидка скоро сгорит'],
  repeatVisit: ['Time for your next visit', 'Пора на следующий визит'],
  newBooking: ['New booking', 'Новая запись'],
  reschedule: ['Booking moved', 'Запись перенесена'],
  cancellation: ['Booking cancelled', 'Запись отменена'],
  qrPayment: ['QR payment received', 'Получена оплата по QR'],
  incomingCall: ['Incoming call', 'Входящий звонок'],
};

function template(channel: Channel, headline: string, body: string): Template {
  if (channel === 'email') return { subject: headline, body };
  if (channel === 'sms') return { body };
  return { title: headline, body };
}

export const placeholderTemplates: TemplateSource = (type) => {
  const [en, ru] = HEADLINE[type];
  const client = (CLIENT_NOTIFICATION_TYPES as readonly string[]).includes(type);
  const enBody = client ? `{{clientFirstName}}, ${en.toLowerCase()} — {{salonName}}` : `${en}: {{clientName}}`;
  const ruBody = client ? `{{clientFirstName}}, ${ru.toLowerCase()} — {{salonName}}` : `${ru}: {{clientName}}`;
  const out: Partial<Record<Channel, TemplatesByLanguage>> = {};
  for (const channel of CHANNELS) {
    out[channel] = { en: template(channel, en, enBody), ru: template(channel, ru, ruBody) };
  }
  return out;
};
