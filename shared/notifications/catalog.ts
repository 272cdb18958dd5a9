/**
 * The fixed vocabulary of notifications (DESIGN.md §2–§3): which types exist, which channels, which
 * scenarios each channel allows, and the cascade order. Everything else refers to these ids.
 */

export const CLIENT_NOTIFICATION_TYPES = [
  'bookingConfirmation',
  'reminder',
  'changeAlert',
  'cancellationNotice',
  'winBack',
  'reviewRequest',
  'birthdayGreeting',
  'bonusAccrual',
  'expiringDiscount',
  'repeatVisit',
] as const;
export type ClientNotificationType = (typeof CLIENT_NOTIFICATION_TYPES)[number];

/** Promotional types: sent only with the client's marketing consent, and not on a channel opted out of for marketing. */
export const MARKETING_TYPES: readonly ClientNotificationType[] = ['winBack', 'repeatVisit', 'birthdayGreeting', 'expiringDiscount'];

export function isMarketingType(type: string): boolean {
  return (MARKETING_TYPES as readonly string[]).includes(type);
}

export const TEAM_EVENT_TYPES = ['newBooking', 'reschedule', 'cancellation', 'qrPayment', 'incomingCall'] as const;
export type TeamEventType = (typeof TEAM_EVENT_TYPES)[number];

/** Cascade order is fixed by the spec: email first, then the free push apps, then the branded app, SMS last. */
export const CLIENT_CHANNELS = ['email', 'aggregatorPush', 'brandedPush', 'sms'] as const;
export type ClientChannel = (typeof CLIENT_CHANNELS)[number];

export const STAFF_CHANNELS = ['email', 'adminPush', 'sms', 'desktop'] as const;
export type StaffChannel = (typeof STAFF_CHANNELS)[number];

export const CHANNELS = ['email', 'aggregatorPush', 'adminPush', 'brandedPush', 'sms', 'desktop'] as const;
export type Channel = (typeof CHANNELS)[number];

export const SCENARIOS = ['off', 'always', 'ifPreviousFailed'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** `ifPreviousFailed` is offered only where the spec allows it. */
export const SCENARIOS_BY_CHANNEL: Readonly<Record<Channel, readonly Scenario[]>> = {
  email: ['off', 'always'],
  aggregatorPush: ['off', 'always'],
  adminPush: ['off', 'always'],
  brandedPush: ['off', 'always', 'ifPreviousFailed'],
  sms: ['off', 'always', 'ifPreviousFailed'],
  desktop: ['off', 'always'],
};

export const LANGUAGES = ['en', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isScenarioAllowed(channel: Channel, scenario: Scenario): boolean {
  return SCENARIOS_BY_CHANNEL[channel].includes(scenario);
}
