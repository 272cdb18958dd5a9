import { describe, expect, it } from 'vitest';
import { i18nFor } from '../../renderer/src/app/i18n.ts';
import { statusActionKey } from '../../renderer/src/screens/visit-card/status-actions.ts';
import { STATUS_TRANSITIONS, type AppointmentStatus } from '../../shared/domain/appointment.ts';

const transitions = (Object.entries(STATUS_TRANSITIONS) as [AppointmentStatus, readonly AppointmentStatus[]][]).flatMap(([from, tos]) => tos.map((to) => [from, to] as const));

describe('visit card status buttons', () => {
  it('name a step back as taking back the last mark, not as a new booking or confirmation', () => {
    const en = i18nFor('en');
    expect(en.t(statusActionKey('confirmed', 'booked'))).toBe('Not confirmed after all');
    expect(en.t(statusActionKey('arrived', 'confirmed'))).toBe('Not arrived after all');
    expect(en.t(statusActionKey('completed', 'arrived'))).toBe('Not completed after all');
    expect(en.t(statusActionKey('noShow', 'booked'))).toBe('Not a no-show after all');
    // Steps forward, and restoring a cancelled visit, keep their names.
    expect(en.t(statusActionKey('cancelled', 'booked'))).toBe('Restore booking');
    expect(en.t(statusActionKey('booked', 'confirmed'))).toBe('Confirmed by client');
    expect(en.t(statusActionKey('noShow', 'arrived'))).toBe('Mark arrived');
  });

  it('have a text of their own in English and Russian for every transition, and no two buttons of one visit read alike', () => {
    for (const language of ['en', 'ru'] as const) {
      const { t } = i18nFor(language);
      for (const [from, to] of transitions) expect(t(statusActionKey(from, to)), `${language} ${from} → ${to}`).not.toMatch(/^visit\.action\./);
      for (const [from, tos] of Object.entries(STATUS_TRANSITIONS) as [AppointmentStatus, readonly AppointmentStatus[]][]) {
        const labels = tos.map((to) => t(statusActionKey(from, to)));
        expect(new Set(labels).size, `${language} ${from}: ${labels.join(' | ')}`).toBe(labels.length);
      }
    }
  });
});
