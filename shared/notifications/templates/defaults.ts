/**
 * Default templates for every client type × client channel × language, and every team event × staff channel ×
 * language. Staff channels reuse the toast text: title as the email subject, title and body as one SMS line.
 */
import { CLIENT_CHANNELS, CLIENT_NOTIFICATION_TYPES, LANGUAGES, STAFF_CHANNELS, TEAM_EVENT_TYPES } from '../catalog.ts';
import type { Channel, ClientChannel, ClientNotificationType, Language, StaffChannel, TeamEventType } from '../catalog.ts';
import type { ClientDefaults, TeamDefaults } from './default-texts.ts';
import { CLIENT_DEFAULTS_EN, TEAM_DEFAULTS_EN } from './defaults-en.ts';
import { CLIENT_DEFAULTS_RU, TEAM_DEFAULTS_RU } from './defaults-ru.ts';
import type { MessageTemplate } from './render.ts';

const CLIENT: Readonly<Record<Language, ClientDefaults>> = { en: CLIENT_DEFAULTS_EN, ru: CLIENT_DEFAULTS_RU };
const TEAM: Readonly<Record<Language, TeamDefaults>> = { en: TEAM_DEFAULTS_EN, ru: TEAM_DEFAULTS_RU };

export function defaultClientTemplate(type: ClientNotificationType, channel: ClientChannel, language: Language): MessageTemplate {
  const t = CLIENT[language][type];
  switch (channel) {
    case 'email':
      return { subject: t.email.subject, body: t.email.body };
    case 'aggregatorPush':
    case 'brandedPush':
      return { title: t.push.title, body: t.push.body };
    case 'sms':
      return { body: t.sms };
  }
}

export function defaultTeamTemplate(type: TeamEventType, channel: StaffChannel, language: Language): MessageTemplate {
  const t = TEAM[language][type];
  switch (channel) {
    case 'desktop':
    case 'adminPush':
      return { title: t.title, body: t.body };
    case 'email':
      return { subject: t.title, body: t.body };
    case 'sms':
      return { body: `${t.title}. ${t.body}` };
  }
}

export type TemplatesByChannel = Partial<Record<Channel, Partial<Record<Language, MessageTemplate>>>>;

/** All default templates of a type, shaped like the settings' `templates` field. */
export function defaultTemplates(type: ClientNotificationType | TeamEventType): TemplatesByChannel {
  const out: TemplatesByChannel = {};
  if ((CLIENT_NOTIFICATION_TYPES as readonly string[]).includes(type)) {
    for (const channel of CLIENT_CHANNELS) {
      out[channel] = Object.fromEntries(
        LANGUAGES.map((l) => [l, defaultClientTemplate(type as ClientNotificationType, channel, l)]),
      );
    }
  } else if ((TEAM_EVENT_TYPES as readonly string[]).includes(type)) {
    for (const channel of STAFF_CHANNELS) {
      out[channel] = Object.fromEntries(LANGUAGES.map((l) => [l, defaultTeamTemplate(type as TeamEventType, channel, l)]));
    }
  }
  return out;
}
