/** Shared types and helpers of the settings screens (no React). */
import type { Location } from '../../../../shared/domain/location.ts';
import type { NotificationSettings, NotificationTiming, Template } from '../../../../shared/domain/notification-settings.ts';
import type { Channel, Language } from '../../../../shared/notifications/catalog.ts';
import type { I18n, MessageKey } from '../../app/i18n.ts';
import { issueText as translatedIssue } from '../../app/issues.ts';

export type { Location, NotificationSettings, NotificationTiming, Template };

export interface Issue {
  field: string;
  message: string;
  /** Set on the host's issues: the UI text comes from the translation tables. */
  code?: string;
  params?: Record<string, string | number>;
}

/** The location as settings.list answers it: without older builds' SMTP settings (the host moved them to the providers). */
export type PublicLocation = Omit<Location, 'smtp'>;

export const TIMING_KIND = {
  bookingConfirmation: 'immediate',
  reminder: 'offsets',
  changeAlert: 'immediate',
  cancellationNotice: 'immediate',
  winBack: 'delay',
  reviewRequest: 'delay',
  birthdayGreeting: 'daysAt',
  bonusAccrual: 'immediate',
  expiringDiscount: 'daysAt',
  repeatVisit: 'localTime',
  newBooking: 'immediate',
  reschedule: 'immediate',
  cancellation: 'immediate',
  qrPayment: 'immediate',
  incomingCall: 'immediate',
} as const satisfies Record<NotificationSettings['type'], 'immediate' | 'offsets' | 'delay' | 'daysAt' | 'localTime'>;

export function typeLabel(type: string): MessageKey {
  return `type.${type}` as MessageKey;
}
export function channelLabel(channel: string): MessageKey {
  return `channel.${channel}` as MessageKey;
}

/**
 * An issue as the manager reads it: translated by its code when the tables know it, else the validator's text
 * without the leading "field: " it puts in front of its messages.
 */
export function issueText(issue: Issue, i18n?: I18n): string {
  if (i18n && issue.code && i18n.tryT(`error.${issue.code}`) !== undefined) return translatedIssue(i18n, { code: issue.code, ...(issue.params ? { params: issue.params } : {}) });
  const text = issue.message.startsWith(`${issue.field}: `) ? issue.message.slice(issue.field.length + 2) : issue.message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function templatePath(type: string, channel: Channel, language: Language): string {
  return `${type}.templates.${channel}.${language}`;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Checks the schema would refuse on save, reported before saving with the field named and a code the UI translates. */
export function timingIssues(settings: NotificationSettings): Issue[] {
  const issues: Issue[] = [];
  const { type, timing } = settings;
  const path = `${type}.timing`;
  const add = (field: string, code: string, message: string, params?: Record<string, string | number>) => issues.push({ field, code, message: `${field}: ${message}`, ...(params ? { params } : {}) });
  const offsets = timing.reminderOffsetsMinutes;
  if (offsets) {
    if (offsets.length === 0 && settings.enabled) add(`${path}.reminderOffsetsMinutes`, 'settings.reminders.none', 'add at least one reminder or turn the type off');
    if (offsets.length > 5) add(`${path}.reminderOffsetsMinutes`, 'settings.reminders.tooMany', 'at most 5 reminders', { max: 5 });
    offsets.forEach((minutes, i) => {
      const field = `${path}.reminderOffsetsMinutes[${i}]`;
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 43_200) add(field, 'settings.reminders.range', 'between 1 minute and 30 days before the start');
      else if (offsets.indexOf(minutes) !== i) add(field, 'settings.reminders.duplicate', 'the same reminder time is listed twice', { minutes });
    });
  }
  if (timing.delayMinutes !== undefined && (!Number.isInteger(timing.delayMinutes) || timing.delayMinutes < 0 || timing.delayMinutes > 525_600)) {
    add(`${path}.delayMinutes`, 'settings.timing.delayRange', 'between 0 minutes and 365 days');
  }
  if (timing.daysBefore !== undefined && (!Number.isInteger(timing.daysBefore) || timing.daysBefore < 0 || timing.daysBefore > 365)) {
    add(`${path}.daysBefore`, 'settings.timing.daysBeforeRange', 'between 0 and 365 days');
  }
  if (timing.localTime !== undefined && !HHMM.test(timing.localTime)) {
    add(`${path}.localTime`, 'settings.timing.localTimeFormat', 'a time of day like 10:00');
  }
  for (const [channel, setting] of Object.entries(settings.channels)) {
    const minutes = setting?.verdictWindowMinutes;
    if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 0 || minutes > 10_080)) {
      add(`${type}.channels.${channel}.verdictWindowMinutes`, 'settings.verdictWindowRange', 'between 0 minutes and 7 days');
    }
  }
  return issues;
}
