/**
 * The placeholder catalog: every `{{name}}` a template may use, what it means (shown in the template editor), an
 * example, and which notification types can fill it. A placeholder is offered only where the engine always has the
 * value, so a validated template never renders with a hole.
 */
import type { ClientNotificationType, TeamEventType } from '../catalog.ts';

export interface PlaceholderInfo {
  readonly description: string;
  /** What the value looks like for an English message in a UK salon. */
  readonly example: string;
}

export const PLACEHOLDERS = {
  clientName: { description: "The client's full name", example: 'Anna Smith' },
  clientFirstName: { description: "The client's first name (the first word of the name if none is stored)", example: 'Anna' },
  date: { description: 'Date of the appointment, in the salon time zone and locale', example: 'Tue, 24 Nov 2026' },
  time: { description: 'Start time of the appointment (12- or 24-hour per locale)', example: '14:30' },
  dateTime: { description: 'Date and start time of the appointment', example: 'Tue, 24 Nov 2026, 14:30' },
  weekday: { description: 'Day of the week of the appointment', example: 'Tuesday' },
  services: { description: 'Services of the appointment, joined per language', example: 'Haircut and Colouring' },
  specialist: { description: 'Name of the specialist', example: 'Maria' },
  oldDate: { description: 'Date of the appointment before the change', example: 'Mon, 23 Nov 2026' },
  oldTime: { description: 'Start time before the change', example: '11:00' },
  oldDateTime: { description: 'Date and start time before the change', example: 'Mon, 23 Nov 2026, 11:00' },
  oldSpecialist: { description: 'Specialist before the change', example: 'Olga' },
  oldServices: { description: 'Services before the change', example: 'Haircut' },
  salonName: { description: 'Name of the salon (location)', example: 'Bella Studio' },
  salonAddress: { description: 'Address of the salon', example: '12 High Street, London' },
  salonPhone: { description: 'Phone number of the salon', example: '+44 20 7946 0000' },
  bookingLink: { description: 'Link to book online', example: 'https://book.example.com/bella' },
  reviewLink: { description: 'Link to rate the specialist for this visit', example: 'https://book.example.com/r/8f2k' },
  bonusAmount: { description: 'Bonus points just credited', example: '150' },
  bonusBalance: { description: 'Bonus balance after the credit', example: '1,250' },
  discountName: { description: 'Name of the discount or certificate', example: 'Autumn certificate' },
  discountValue: { description: 'Value of the discount: a percentage or an amount in the salon currency', example: '15%' },
  discountExpiry: { description: 'Last day the discount is valid', example: 'Tue, 24 Nov 2026' },
  paymentAmount: { description: 'Amount paid by QR code, in the salon currency', example: '£45.00' },
  callerPhone: { description: 'Phone number of the incoming call', example: '+44 7700 900123' },
} as const satisfies Readonly<Record<string, PlaceholderInfo>>;

export type PlaceholderName = keyof typeof PLACEHOLDERS;
export const PLACEHOLDER_NAMES = Object.keys(PLACEHOLDERS) as readonly PlaceholderName[];

export function isPlaceholderName(name: string): name is PlaceholderName {
  return Object.hasOwn(PLACEHOLDERS, name);
}

const COMMON = ['clientName', 'clientFirstName', 'salonName', 'salonAddress', 'salonPhone', 'bookingLink'] as const;
const APPOINTMENT = ['date', 'time', 'dateTime', 'weekday', 'services', 'specialist'] as const;
const PREVIOUS = ['oldDate', 'oldTime', 'oldDateTime', 'oldSpecialist', 'oldServices'] as const;

export type TemplateType = ClientNotificationType | TeamEventType;

/** Placeholders each notification type (client or team) can fill. */
export const PLACEHOLDERS_BY_TYPE: Readonly<Record<TemplateType, readonly PlaceholderName[]>> = {
  bookingConfirmation: [...COMMON, ...APPOINTMENT],
  reminder: [...COMMON, ...APPOINTMENT],
  changeAlert: [...COMMON, ...APPOINTMENT, ...PREVIOUS],
  cancellationNotice: [...COMMON, ...APPOINTMENT],
  // The cancelled or missed appointment is the context of a win-back invitation.
  winBack: [...COMMON, ...APPOINTMENT],
  reviewRequest: [...COMMON, ...APPOINTMENT, 'reviewLink'],
  birthdayGreeting: [...COMMON],
  bonusAccrual: [...COMMON, 'bonusAmount', 'bonusBalance'],
  expiringDiscount: [...COMMON, 'discountName', 'discountValue', 'discountExpiry'],
  // The last visit for the service that has a repeat interval.
  repeatVisit: [...COMMON, 'services', 'specialist', 'date'],
  newBooking: ['clientName', 'salonName', ...APPOINTMENT],
  reschedule: ['clientName', 'salonName', ...APPOINTMENT, ...PREVIOUS],
  cancellation: ['clientName', 'salonName', ...APPOINTMENT],
  qrPayment: ['clientName', 'salonName', 'paymentAmount'],
  incomingCall: ['clientName', 'salonName', 'callerPhone'],
};

export function placeholdersFor(type: TemplateType): readonly PlaceholderName[] {
  return PLACEHOLDERS_BY_TYPE[type];
}
