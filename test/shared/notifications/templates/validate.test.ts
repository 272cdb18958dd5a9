import { describe, expect, it } from 'vitest';
import { validateTemplate, validateTemplates } from '../../../../shared/notifications/templates/validate.ts';

describe('validateTemplate', () => {
  it('accepts a good template', () => {
    expect(validateTemplate('reminder', 'sms', { body: 'See you {{date}} at {{time}}' })).toEqual([]);
    expect(validateTemplate('reminder', 'email', { subject: 'Soon', body: 'x' })).toEqual([]);
  });

  it('refuses unknown placeholders, naming them and listing the allowed ones', () => {
    const [issue, ...rest] = validateTemplate('reminder', 'sms', { body: '{{clientNmae}} {{reviewLink}} {{clientNmae}}' });
    expect(rest).toEqual([]);
    expect(issue!.field).toBe('reminder.templates.sms.body');
    expect(issue!.message).toMatch(/^reminder\.templates\.sms\.body: unknown placeholders \{\{clientNmae\}\}, \{\{reviewLink\}\} for reminder \(allowed: /);
    expect(issue!.message).toContain('{{clientFirstName}}');
    expect(issue!.message).not.toContain('{{bonusAmount}}');
  });

  it('allows a placeholder only for types that have it', () => {
    expect(validateTemplate('reviewRequest', 'sms', { body: '{{reviewLink}}' })).toEqual([]);
    expect(validateTemplate('bonusAccrual', 'sms', { body: '{{bonusBalance}}' })).toEqual([]);
    expect(validateTemplate('changeAlert', 'sms', { body: '{{oldTime}}' })).toEqual([]);
    expect(validateTemplate('bookingConfirmation', 'sms', { body: '{{oldTime}}' })).toHaveLength(1);
    expect(validateTemplate('incomingCall', 'desktop', { title: 'Call', body: '{{callerPhone}}' })).toEqual([]);
  });

  it('refuses unbalanced braces, empty bodies and a missing email subject', () => {
    expect(validateTemplate('reminder', 'sms', { body: 'Hi {clientName}' }).map((i) => i.field)).toEqual([
      'reminder.templates.sms.body',
      'reminder.templates.sms.body',
    ]);
    expect(validateTemplate('reminder', 'sms', { body: '  ' })).toEqual([
      { field: 'reminder.templates.sms.body', code: 'settings.template.bodyEmpty', message: 'reminder.templates.sms.body: empty; write the message text' },
    ]);
    expect(validateTemplate('reminder', 'email', { body: 'x' }, 'reminder.templates.email.en')).toEqual([
      { field: 'reminder.templates.email.en.subject', code: 'settings.template.subjectRequired', message: 'reminder.templates.email.en.subject: required for email' },
    ]);
    expect(validateTemplate('reminder', 'email', { subject: '{{oops', body: 'x' })[0]!.field).toBe('reminder.templates.email.subject');
    expect(validateTemplate('reminder', 'brandedPush', { title: '{{nope}}', body: 'x' })[0]!.field).toBe('reminder.templates.brandedPush.title');
  });
});

describe('validateTemplates', () => {
  it('refuses a missing template of an enabled channel in a required language, naming the field', () => {
    const issues = validateTemplates({
      type: 'reminder',
      channels: { email: 'off', sms: 'ifPreviousFailed' },
      templates: { sms: { en: { body: 'See you at {{time}}' } } },
    });
    expect(issues).toEqual([{ field: 'reminder.templates.sms.ru', code: 'settings.template.missing', message: 'reminder.templates.sms.ru: missing' }]);
  });

  it('only requires the languages asked for, but still checks templates of disabled channels', () => {
    expect(
      validateTemplates({ type: 'reminder', channels: { sms: 'always' }, templates: { sms: { en: { body: 'x' } } } }, ['en']),
    ).toEqual([]);
    const issues = validateTemplates({
      type: 'reminder',
      channels: { email: 'off' },
      templates: { email: { en: { subject: 's', body: '{{bonusAmount}}' } } },
    });
    expect(issues.map((i) => i.field)).toEqual(['reminder.templates.email.en.body']);
  });

  it('includes scenario errors', () => {
    const issues = validateTemplates({ type: 'reminder', channels: { email: 'ifPreviousFailed' }, templates: { email: { en: { subject: 's', body: 'b' }, ru: { subject: 's', body: 'b' } } } });
    expect(issues.map((i) => i.message)).toEqual([
      "reminder.channels.email: 'ifPreviousFailed' is not allowed for email (only for brandedPush and sms)",
    ]);
  });
});
