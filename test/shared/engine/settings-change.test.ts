import { describe, expect, it } from 'vitest';
import { defaultNotificationSettings } from '../../../shared/demo/default-settings.ts';
import type { NotificationSettings } from '../../../shared/domain/notification-settings.ts';
import { settingsChangeAffectsPlanning } from '../../../shared/engine/plan.ts';
import { defaultTemplates } from '../../../shared/notifications/templates/defaults.ts';

/** The reminder setting as the storage hands it over: with RxDB's bookkeeping fields. */
function reminder(): NotificationSettings {
  const settings = defaultNotificationSettings('loc1', (type) => defaultTemplates(type), '2026-11-01T10:00:00.000Z').find((s) => s.type === 'reminder')!;
  return { ...structuredClone(settings), _rev: '1-a', _meta: { lwt: 1 }, _attachments: {}, _deleted: false } as NotificationSettings;
}

describe('settingsChangeAffectsPlanning', () => {
  it('a new setting always re-plans', () => {
    expect(settingsChangeAffectsPlanning(undefined, reminder())).toBe(true);
  });

  it('a template text, who saved it and when change no plan', () => {
    const before = reminder();
    const after = { ...structuredClone(before), updatedAt: '2026-11-02T10:00:00.000Z', updatedBy: 'desk-2', _rev: '2-b', _meta: { lwt: 2 } } as NotificationSettings;
    after.templates.email!.en!.body += '\nSee you soon!';
    expect(settingsChangeAffectsPlanning(before, after)).toBe(false);
  });

  it('the same fields in another key order change nothing', () => {
    const before = reminder();
    const { timing, enabled, ...rest } = structuredClone(before);
    expect(settingsChangeAffectsPlanning(before, { enabled, timing, ...rest })).toBe(false);
  });

  it('timing, switching on or off, channels and quiet hours re-plan', () => {
    const before = reminder();
    const changes: ((s: NotificationSettings) => void)[] = [
      (s) => (s.timing = { reminderOffsetsMinutes: [2880, 120] }),
      (s) => (s.enabled = !s.enabled),
      (s) => (s.respectQuietHours = !s.respectQuietHours),
      (s) => (s.channels = { ...s.channels, sms: { scenario: 'off', verdictWindowMinutes: 30 } }),
    ];
    for (const change of changes) {
      const after = structuredClone(before);
      change(after);
      expect(settingsChangeAffectsPlanning(before, after)).toBe(true);
    }
  });
});
