/**
 * `settings.validate` and `settings.save` for the notification settings of one type. The request schema already
 * bounds every field (so an oversized document is refused before any work); here the domain rules: scenarios each
 * channel allows, the channels of the type's audience, complete templates with known placeholders, sensible timing,
 * and that the document is the one of its location and type. Nothing is saved while any issue remains.
 */
import { audienceOf, notificationSettingsId, type NotificationSettings } from '../../../shared/domain/notification-settings.ts';
import type { ParsedRequestOf } from '../../../shared/ipc/contract.ts';
import { ApiError } from '../../../shared/ipc/result.ts';
import { CLIENT_CHANNELS, STAFF_CHANNELS, type Channel, type Scenario } from '../../../shared/notifications/catalog.ts';
import { validateScenarios, type SettingsIssue } from '../../../shared/notifications/cascade.ts';
import { validateTemplates } from '../../../shared/notifications/templates/index.ts';
import type { Clock } from '../../../shared/time/clock.ts';
import type { Handlers } from '../api/router.ts';
import type { SalonRuntime } from '../salon-runtime.ts';
import { changedElsewhere, findLocation, replaceDocument, writeError } from './command-support.ts';

type SettingsInput = ParsedRequestOf<'settings.save'>['settings'];

function timingIssues(settings: SettingsInput): SettingsIssue[] {
  const issues: SettingsIssue[] = [];
  const offsets = settings.timing.reminderOffsetsMinutes;
  const field = `${settings.type}.timing.reminderOffsetsMinutes`;
  if (offsets) {
    if (offsets.length === 0 && settings.enabled) {
      issues.push({ field, code: 'settings.reminders.none', message: `${field}: add at least one reminder or turn the type off` });
    }
    offsets.forEach((minutes, i) => {
      if (offsets.indexOf(minutes) !== i) issues.push({ field: `${field}[${i}]`, code: 'settings.reminders.duplicate', params: { minutes }, message: `${field}[${i}]: the same reminder time is listed twice` });
    });
  }
  return issues;
}

/** Client types go out over the client channels, team types over the staff channels. */
function audienceIssues(settings: SettingsInput): SettingsIssue[] {
  const allowed: readonly Channel[] = audienceOf(settings.type) === 'client' ? CLIENT_CHANNELS : STAFF_CHANNELS;
  const issues: SettingsIssue[] = [];
  for (const channel of Object.keys(settings.channels) as Channel[]) {
    if (allowed.includes(channel)) continue;
    const field = `${settings.type}.channels.${channel}`;
    issues.push({ field, code: 'settings.channel.notForType', params: { channel, type: settings.type }, message: `${field}: ${settings.type} messages cannot go out over ${channel} (channels: ${allowed.join(', ')})` });
  }
  return issues;
}

/**
 * An enabled client type with every channel off would say "on" and send nothing: turn a channel on, or the type off.
 * (A team type with no channel still shows its events in the notification center.)
 */
function reachIssues(settings: SettingsInput): SettingsIssue[] {
  if (!settings.enabled || audienceOf(settings.type) !== 'client') return [];
  if (Object.values(settings.channels).some((setting) => setting !== undefined && setting.scenario !== 'off')) return [];
  const field = `${settings.type}.channels`;
  return [{ field, code: 'settings.channels.allOff', message: `${field}: every channel is off, so nothing would be sent; turn a channel on or the type off` }];
}

export function settingsIssues(settings: SettingsInput): SettingsIssue[] {
  const scenarios: Partial<Record<Channel, Scenario>> = {};
  for (const [channel, setting] of Object.entries(settings.channels)) if (setting) scenarios[channel as Channel] = setting.scenario;
  // A disabled type may keep unfinished drafts; only what would be sent must be complete. Its scenarios must still
  // be ones the channels allow (validateTemplates checks them for an enabled type).
  const drafts = settings.enabled ? [] : validateScenarios(scenarios, `${settings.type}.channels`);
  const checked = settings.enabled ? scenarios : Object.fromEntries(Object.keys(scenarios).map((c) => [c, 'off']));
  const templates = validateTemplates({ type: settings.type, channels: checked, templates: settings.templates });
  return [...reachIssues(settings), ...audienceIssues(settings), ...drafts, ...templates, ...timingIssues(settings)];
}

/** The issues as the API answers them: every one with a code. */
function withCodes(issues: readonly SettingsIssue[]) {
  return issues.map((i) => ({ code: i.code ?? 'settings.invalid', field: i.field, message: i.message, ...(i.params ? { params: { ...i.params } } : {}) }));
}

export function settingsHandlers(runtime: () => SalonRuntime, clock: Clock): Pick<Handlers, 'settings.validate' | 'settings.save'> {
  return {
    'settings.validate': ({ settings }) => ({ issues: withCodes(settingsIssues(settings)) }),
    'settings.save': async ({ settings }) => {
      const { db } = runtime();
      await findLocation(db, settings.locationId);
      const id = notificationSettingsId(settings.locationId, settings.type);
      const audience = audienceOf(settings.type);
      const issues = settingsIssues(settings);
      if (settings.id !== undefined && settings.id !== id) issues.unshift({ field: 'id', code: 'settings.id.mismatch', message: `id: the settings of ${settings.type} at this location are "${id}"` });
      if (settings.audience !== undefined && settings.audience !== audience) issues.unshift({ field: 'audience', code: 'settings.audience.mismatch', message: `audience: ${settings.type} is a ${audience} type` });
      if (issues.length > 0) {
        throw new ApiError('invalid_request', `Nothing was saved. ${issues.map((i) => i.message).join('; ')}`, { reason: 'settings.invalid', issues: withCodes(issues) });
      }
      const { updatedAt: seen, ...fields } = settings;
      const next: NotificationSettings = { ...fields, id, audience, updatedAt: new Date(clock.now()).toISOString() };
      const existing = await db.notification_settings.findOne(id).exec();
      if (!existing) {
        const saved = await db.notification_settings.insert(next).catch((error: unknown) => Promise.reject(writeError(error, 'settings', 'notification_settings')));
        return { settings: saved.toMutableJSON() };
      }
      // The version the manager edited: saving over someone else's newer save would silently undo it.
      if (seen !== undefined && seen !== existing.updatedAt) throw changedElsewhere('settings');
      const saved = await replaceDocument(existing, next, 'settings', 'notification_settings');
      return { settings: saved.toMutableJSON() };
    },
  };
}
