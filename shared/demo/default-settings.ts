/**
 * Sensible default notification settings for a new location (used by the demo and by a fresh data folder): every
 * type enabled, the cascade email → aggregator push always, branded push and SMS only if the earlier ones failed.
 */
import { CLIENT_NOTIFICATION_TYPES, STAFF_CHANNELS, TEAM_EVENT_TYPES } from '../notifications/catalog.ts';
import type { Channel, ClientChannel, ClientNotificationType, Scenario, TeamEventType } from '../notifications/catalog.ts';
import { notificationSettingsId } from '../domain/notification-settings.ts';
import type { ChannelSetting, NotificationSettings, NotificationTiming, TemplatesByLanguage } from '../domain/notification-settings.ts';
import type { NotificationType } from '../domain/notification-settings.ts';

/** Where a new location's templates come from: by default the built-in English and Russian texts. */
export type TemplateSource = (type: NotificationType) => Partial<Record<Channel, TemplatesByLanguage>>;

const CLIENT_CASCADE: Record<ClientChannel, ChannelSetting> = {
  email: { scenario: 'always', verdictWindowMinutes: 10 },
  aggregatorPush: { scenario: 'always', verdictWindowMinutes: 5 },
  brandedPush: { scenario: 'ifPreviousFailed', verdictWindowMinutes: 5 },
  sms: { scenario: 'ifPreviousFailed', verdictWindowMinutes: 10 },
};

const CLIENT_TIMING: Record<ClientNotificationType, NotificationTiming> = {
  bookingConfirmation: {},
  reminder: { reminderOffsetsMinutes: [24 * 60, 2 * 60] },
  changeAlert: {},
  cancellationNotice: {},
  winBack: { delayMinutes: 3 * 24 * 60 },
  reviewRequest: { delayMinutes: 2 * 60 },
  birthdayGreeting: { daysBefore: 7, localTime: '10:00' },
  bonusAccrual: {},
  expiringDiscount: { daysBefore: 3, localTime: '10:00' },
  // The delay comes from the service's repeat interval; the local time keeps it out of the early morning.
  repeatVisit: { localTime: '11:00' },
};

/** Sent at once even in quiet hours: the client must know before they travel. */
const URGENT: readonly ClientNotificationType[] = ['bookingConfirmation', 'changeAlert', 'cancellationNotice'];

/** Desktop toasts by default only where a specialist must react (DESIGN §2, issue 4 §6). */
const TEAM_DESKTOP: readonly TeamEventType[] = ['cancellation', 'reschedule'];

function templatesFor(
  source: TemplateSource,
  type: ClientNotificationType | TeamEventType,
  channels: Partial<Record<Channel, ChannelSetting>>,
): Partial<Record<Channel, TemplatesByLanguage>> {
  const all = source(type);
  const out: Partial<Record<Channel, TemplatesByLanguage>> = {};
  for (const [channel, setting] of Object.entries(channels) as [Channel, ChannelSetting][]) {
    const t = all[channel];
    if (setting.scenario !== 'off' && t !== undefined) out[channel] = t;
  }
  return out;
}

export function defaultNotificationSettings(
  locationId: string,
  templates: TemplateSource,
  updatedAt: string,
): NotificationSettings[] {
  const client = CLIENT_NOTIFICATION_TYPES.map((type): NotificationSettings => {
    const channels = { ...CLIENT_CASCADE };
    return {
      id: notificationSettingsId(locationId, type),
      locationId,
      type,
      audience: 'client',
      enabled: true,
      timing: { ...CLIENT_TIMING[type] },
      channels,
      templates: templatesFor(templates, type, channels),
      respectQuietHours: !URGENT.includes(type),
      updatedAt,
    };
  });
  const team = TEAM_EVENT_TYPES.map((type): NotificationSettings => {
    const channels: Partial<Record<Channel, ChannelSetting>> = {};
    for (const c of STAFF_CHANNELS) {
      const scenario: Scenario = c === 'desktop' && TEAM_DESKTOP.includes(type) ? 'always' : 'off';
      channels[c] = { scenario, verdictWindowMinutes: 0 };
    }
    return {
      id: notificationSettingsId(locationId, type),
      locationId,
      type,
      audience: 'team',
      enabled: true,
      timing: {},
      channels,
      templates: templatesFor(templates, type, channels),
      respectQuietHours: false,
      updatedAt,
    };
  });
  return [...client, ...team];
}
