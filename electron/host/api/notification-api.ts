/**
 * API handlers of the notification features: settings (read; validate and save are commands), template preview,
 * the delivery log, the notification center and the jobs of a visit.
 */
import type { MangoQuerySelector } from 'rxdb';
import type { NotificationSettings } from '../../../shared/domain/notification-settings.ts';
import type { TeamEvent } from '../../../shared/domain/team-event.ts';
import { renderFor } from '../../../shared/engine/message-context.ts';
import { NOTIFICATION_TYPES } from '../../../shared/domain/notification-settings.ts';
import { CHANNELS, type Channel } from '../../../shared/notifications/catalog.ts';
import type { Handlers } from './router.ts';
import { ApiError } from '../../../shared/ipc/result.ts';
import { smsSegments } from '../../../shared/notifications/templates/sms.ts';
import { validateTemplate, type TemplateType } from '../../../shared/notifications/templates/index.ts';
import type { SalonRuntime } from '../salon-runtime.ts';
import { publicLocation } from './location-api.ts';
import { newestLogEntries } from './log-query.ts';
import { newestFirst } from './newest-first.ts';

type NotificationChannels = 'settings.list' | 'templates.preview' | 'log.list' | 'teamEvents.list' | 'teamEvents.markRead' | 'teamEvents.markAllRead' | 'jobs.ofAppointment';

function checkType(type: string): TemplateType {
  if (!(NOTIFICATION_TYPES as readonly string[]).includes(type)) throw new ApiError('invalid_request', `Unknown notification type '${type}'. Known types: ${NOTIFICATION_TYPES.join(', ')}.`);
  return type as TemplateType;
}

function checkChannel(channel: string): Channel {
  if (!(CHANNELS as readonly string[]).includes(channel)) throw new ApiError('invalid_request', `Unknown channel '${channel}'. Channels: ${CHANNELS.join(', ')}.`);
  return channel as Channel;
}

export function notificationHandlers(runtime: () => SalonRuntime): Pick<Handlers, NotificationChannels> {
  return {
    'settings.list': async ({ locationId }) => {
      const { db } = runtime();
      const location = await db.locations.findOne(locationId).exec();
      if (!location) throw new ApiError('not_found', `No location '${locationId}'.`);
      const settings = await db.notification_settings.find({ selector: { locationId } }).exec();
      return { location: publicLocation(location.toMutableJSON()), settings: settings.map((d) => d.toMutableJSON()) };
    },
    'templates.preview': async ({ locationId, type, channel, language, template, appointmentId }) => {
      const { db } = runtime();
      const checkedType = checkType(type);
      const checkedChannel = checkChannel(channel);
      const location = (await db.locations.findOne(locationId).exec())?.toMutableJSON();
      if (!location) throw new ApiError('not_found', `No location '${locationId}'.`);
      const appointment = appointmentId
        ? (await db.appointments.findOne(appointmentId).exec())?.toMutableJSON()
        : (await db.appointments.findOne({ selector: { locationId, startMs: { $gte: Date.now() } }, sort: [{ startMs: 'asc' }] }).exec())?.toMutableJSON();
      const client = appointment ? (await db.clients.findOne(appointment.clientId).exec())?.toMutableJSON() : undefined;
      const services = appointment ? [...(await db.services.findByIds(appointment.serviceIds).exec()).values()].map((d) => d.toMutableJSON()) : [];
      const staff = appointment ? (await db.staff.findOne(appointment.staffId).exec())?.toMutableJSON() : undefined;
      const issues = validateTemplate(checkedType, checkedChannel, template, `${type}.templates.${channel}.${language}`);
      const settings = { templates: { [checkedChannel]: { [language]: template } } } as unknown as NotificationSettings;
      const rendered = renderFor(settings, checkedType, checkedChannel, language, {
        location, ...(client ? { client } : {}), ...(appointment ? { appointment, services } : {}), ...(staff ? { staff } : {}),
      });
      return {
        ...(rendered.subject !== undefined ? { subject: rendered.subject } : {}),
        ...(rendered.title !== undefined ? { title: rendered.title } : {}),
        body: rendered.body,
        missing: [...rendered.missing],
        issues,
        ...(checkedChannel === 'sms' ? { sms: smsSegments(rendered.body) } : {}),
      };
    },
    'log.list': async ({ limit, fromMs, toMs, ...filters }) => ({
      entries: await newestLogEntries(runtime().db, { filters, limit, now: Date.now(), ...(fromMs !== undefined ? { fromMs } : {}), ...(toMs !== undefined ? { toMs } : {}) }),
    }),
    'teamEvents.list': async ({ locationId, unreadOnly, limit }) => {
      const { db } = runtime();
      const selector: MangoQuerySelector<TeamEvent> = { ...(locationId ? { locationId } : {}) };
      // Newest first on the [locationId, read, atMs] / [read, atMs] indexes (team_events v6); the unread count is a
      // count over one of their ranges.
      const events = await newestFirst<TeamEvent>(db.team_events, { equality: unreadOnly ? { ...selector, read: false } : selector, limit, now: Date.now() });
      const unread = await db.team_events.count({ selector: { ...selector, read: false } }).exec();
      return { events, unread };
    },
    // The notification center is the engine's: it writes the events, and marks them read.
    'teamEvents.markRead': async ({ ids, by }) => ({ updated: await runtime().engine.markTeamEventsRead(ids, by) }),
    'teamEvents.markAllRead': async ({ locationId, upToMs, by }) => ({ updated: await runtime().engine.markAllTeamEventsRead({ ...(locationId ? { locationId } : {}), upToMs }, by) }),
    'jobs.ofAppointment': async ({ appointmentId }) => {
      const docs = await runtime().db.jobs.find({ selector: { subjectId: appointmentId }, sort: [{ dueAt: 'asc' }] }).exec();
      return { jobs: docs.map((d) => d.toMutableJSON()) };
    },
  };
}
