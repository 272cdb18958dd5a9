import { describe, expect, it } from 'vitest';
import { CLIENT_CHANNELS, CLIENT_NOTIFICATION_TYPES, LANGUAGES, STAFF_CHANNELS, TEAM_EVENT_TYPES } from '../../../../shared/notifications/catalog.ts';
import { defaultClientTemplate, defaultTeamTemplate, defaultTemplates } from '../../../../shared/notifications/templates/defaults.ts';
import { placeholdersFor } from '../../../../shared/notifications/templates/placeholders.ts';
import { renderTemplate } from '../../../../shared/notifications/templates/render.ts';
import type { TemplateContext } from '../../../../shared/notifications/templates/render.ts';
import { smsSegments } from '../../../../shared/notifications/templates/sms.ts';
import { placeholdersIn } from '../../../../shared/notifications/templates/syntax.ts';
import { validateTemplates } from '../../../../shared/notifications/templates/validate.ts';

/** A typical context with every value filled, as the engine will build it. */
const typical: TemplateContext = {
  client: { name: 'Anna Smith' },
  appointment: { start: Date.UTC(2026, 10, 24, 13, 30), services: ['Haircut', 'Colouring'], specialist: 'Maria' },
  previous: { start: Date.UTC(2026, 10, 23, 10), specialist: 'Olga', services: ['Haircut'] },
  salon: { name: 'Bella Studio', address: '12 High Street, London', phone: '+44 20 7946 0000' },
  links: { booking: 'https://book.example.com/bella', review: 'https://bk.example.com/r/8f2k' },
  bonus: { amount: 150, balance: 1250 },
  discount: { name: 'Autumn certificate', value: { kind: 'percent', percent: 15 }, expiresOn: { year: 2026, month: 12, day: 31 } },
  payment: { amount: 45 },
  caller: { phone: '+44 7700 900123' },
};

describe('default templates', () => {
  it('exist for every client type, client channel and language, and pass validation with all channels on', () => {
    for (const type of CLIENT_NOTIFICATION_TYPES) {
      const templates = defaultTemplates(type);
      expect(Object.keys(templates)).toEqual([...CLIENT_CHANNELS]);
      const issues = validateTemplates({
        type,
        channels: { email: 'always', aggregatorPush: 'always', brandedPush: 'ifPreviousFailed', sms: 'ifPreviousFailed' },
        templates,
      });
      expect(issues, type).toEqual([]);
    }
  });

  it('exist for every team event and staff channel, and pass validation', () => {
    for (const type of TEAM_EVENT_TYPES) {
      const issues = validateTemplates({
        type,
        channels: { email: 'always', adminPush: 'always', sms: 'always', desktop: 'always' },
        templates: defaultTemplates(type),
      });
      expect(issues, type).toEqual([]);
      for (const l of LANGUAGES) expect(defaultTeamTemplate(type, 'desktop', l).title?.length).toBeGreaterThan(0);
    }
  });

  it('render fully (nothing missing) with a typical context', () => {
    for (const l of LANGUAGES) {
      const opts = { language: l, locale: l === 'en' ? 'en-GB' : 'ru-RU', timeZone: 'Europe/London', currency: 'GBP' };
      for (const type of CLIENT_NOTIFICATION_TYPES) {
        for (const channel of CLIENT_CHANNELS) {
          const r = renderTemplate(defaultClientTemplate(type, channel, l), typical, opts);
          expect(r.missing, `${type}.${channel}.${l}`).toEqual([]);
          expect(r.body).not.toMatch(/[{}]/);
        }
      }
      for (const type of TEAM_EVENT_TYPES) {
        for (const channel of STAFF_CHANNELS) expect(renderTemplate(defaultTeamTemplate(type, channel, l), typical, opts).missing).toEqual([]);
      }
    }
  });

  it('English SMS are GSM-7 and fit in 2 segments; Russian SMS in 3', () => {
    for (const type of CLIENT_NOTIFICATION_TYPES) {
      const en = renderTemplate(defaultClientTemplate(type, 'sms', 'en'), typical, { language: 'en', locale: 'en-GB', timeZone: 'Europe/London' });
      const enLen = smsSegments(en.body);
      expect(enLen.encoding, `${type}: ${en.body}`).toBe('GSM-7');
      expect(enLen.segments, `${type}: ${en.body}`).toBeLessThanOrEqual(2);
      const ru = renderTemplate(defaultClientTemplate(type, 'sms', 'ru'), typical, { language: 'ru', locale: 'ru-RU', timeZone: 'Europe/Moscow' });
      expect(smsSegments(ru.body).segments, `${type}: ${ru.body}`).toBeLessThanOrEqual(3);
    }
  });

  it('the appointment-based messages carry the key details (§2: date, time, services, specialist, address)', () => {
    const used = placeholdersIn(defaultClientTemplate('bookingConfirmation', 'email', 'en').body);
    for (const p of ['date', 'time', 'services', 'specialist', 'salonAddress']) expect(used).toContain(p);
    for (const l of LANGUAGES) {
      expect(placeholdersIn(defaultClientTemplate('reviewRequest', 'sms', l).body)).toContain('reviewLink');
      expect(placeholdersIn(defaultClientTemplate('bonusAccrual', 'email', l).body)).toEqual(expect.arrayContaining(['bonusAmount', 'bonusBalance']));
      for (const type of CLIENT_NOTIFICATION_TYPES) {
        for (const p of placeholdersIn(defaultClientTemplate(type, 'sms', l).body)) expect(placeholdersFor(type)).toContain(p);
      }
    }
  });
});
