import { describe, expect, it } from 'vitest';
import { renderTemplate, renderText } from '../../../../shared/notifications/templates/render.ts';
import type { RenderOptions, TemplateContext } from '../../../../shared/notifications/templates/render.ts';

const start = Date.UTC(2026, 10, 24, 13, 30);
const ctx: TemplateContext = {
  client: { name: 'Anna Smith' },
  appointment: { start, services: ['Haircut', 'Colouring', 'Styling'], specialist: 'Maria' },
  previous: { start: Date.UTC(2026, 10, 23, 10), specialist: 'Olga' },
  salon: { name: 'Bella Studio', address: '12 High Street, London', phone: '+44 20 7946 0000' },
  links: { booking: 'https://book.example.com/bella', review: 'https://book.example.com/r/8f2k' },
  bonus: { amount: 150, balance: 1250 },
  discount: { name: 'Autumn certificate', value: { kind: 'amount', amount: 20 }, expiresOn: { year: 2026, month: 12, day: 31 } },
  payment: { amount: 45 },
  caller: { phone: '+44 7700 900123' },
};
const gb: RenderOptions = { language: 'en', locale: 'en-GB', timeZone: 'Europe/London', currency: 'GBP' };
const us: RenderOptions = { language: 'en', locale: 'en-US', timeZone: 'America/New_York', currency: 'USD' };
const ru: RenderOptions = { language: 'ru', locale: 'ru-RU', timeZone: 'Europe/Moscow', currency: 'RUB' };

describe('renderText', () => {
  it('drops direction overrides and isolates from the values, so a name cannot turn the rest of the message backwards', () => {
    const spoofed: TemplateContext = { ...ctx, client: { name: 'Anna \u202ESmith', firstName: '\u2067Anna\u202E' } };
    expect(renderText('{{clientFirstName}}, see you at {{time}} ({{clientName}})', spoofed, gb).text).toBe('Anna, see you at 13:30 (Anna Smith)');
  });

  it('puts a space for line breaks and other control characters in the values, so a name cannot add lines of its own', () => {
    const forged: TemplateContext = { ...ctx, client: { name: 'Anna\r\n\r\nYour card is blocked', firstName: 'Anna\n\nYour card is blocked:\tcall\u0000us' } };
    expect(renderText('Hi {{clientFirstName}}!\nSee you at {{time}} ({{clientName}})', forged, gb).text).toBe('Hi Anna Your card is blocked: call us!\nSee you at 13:30 (Anna Your card is blocked)');
  });

  it('formats appointment values in the zone and locale', () => {
    const t = '{{clientFirstName}}: {{weekday}} {{date}} {{time}} | {{dateTime}} | {{services}} | {{specialist}}';
    expect(renderText(t, ctx, gb)).toEqual({
      text: 'Anna: Tuesday Tue, 24 Nov 2026 13:30 | Tue, 24 Nov 2026, 13:30 | Haircut, Colouring and Styling | Maria',
      missing: [],
    });
    expect(renderText(t, ctx, us).text).toBe(
      'Anna: Tuesday Tue, Nov 24, 2026 8:30 AM | Tue, Nov 24, 2026, 8:30 AM | Haircut, Colouring, and Styling | Maria',
    );
    expect(renderText(t, ctx, ru).text).toBe(
      'Anna: вторник вт, 24 нояб. 2026 г. 16:30 | вт, 24 нояб. 2026 г., 16:30 | Haircut, Colouring и Styling | Maria',
    );
  });

  it('formats money, points, percentages and calendar dates per locale', () => {
    const t = '{{bonusAmount}}/{{bonusBalance}} {{discountValue}} {{discountExpiry}} {{paymentAmount}}';
    expect(renderText(t, ctx, gb).text).toBe('150/1,250 £20.00 Thu, 31 Dec 2026 £45.00');
    expect(renderText(t, ctx, ru).text).toBe('150/1 250 20,00 ₽ чт, 31 дек. 2026 г. 45,00 ₽');
    const pct: TemplateContext = { ...ctx, discount: { ...ctx.discount!, value: { kind: 'percent', percent: 15 } } };
    expect(renderText('{{discountValue}}', pct, gb).text).toBe('15%');
    expect(renderText('{{discountValue}}', pct, ru).text).toBe('15 %');
    // A calendar date does not shift in a zone far from UTC.
    expect(renderText('{{discountExpiry}}', ctx, { ...gb, timeZone: 'Pacific/Kiritimati' }).text).toBe('Thu, 31 Dec 2026');
  });

  it('formatted values use plain spaces (no-break spaces would turn an SMS into UCS-2)', () => {
    expect(renderText('{{bonusBalance}} {{time}}', ctx, ru).text).not.toMatch(/[\u00a0\u202f\u2009]/);
    expect(renderText('{{time}}', ctx, us).text).toBe('8:30 AM');
  });

  it('renders the previous appointment for change alerts', () => {
    expect(renderText('{{oldDate}} {{oldTime}} {{oldSpecialist}} → {{oldDateTime}}', ctx, gb).text).toBe(
      'Mon, 23 Nov 2026 10:00 Olga → Mon, 23 Nov 2026, 10:00',
    );
  });

  it('reports values the context lacks, and shows unknown names as written', () => {
    const r = renderText('Hi {{clientName}} {{reviewLink}} {{nonsense}}', { client: { name: 'Anna' } }, gb);
    expect(r).toEqual({ text: 'Hi Anna  {{nonsense}}', missing: ['reviewLink', 'nonsense'] });
  });

  it('uses the stored first name, else the first word of the name', () => {
    expect(renderText('{{clientFirstName}}', { client: { name: '  Ivan Petrov' } }, ru).text).toBe('Ivan');
    expect(renderText('{{clientFirstName}}', { client: { name: 'Smith, Anna', firstName: 'Anna' } }, gb).text).toBe('Anna');
  });

  it('keeps escaped braces literal', () => {
    expect(renderText('\\{{{clientName}}\\}', ctx, gb).text).toBe('{Anna Smith}');
  });
});

describe('renderTemplate', () => {
  it('renders subject, title and body and merges what is missing', () => {
    const r = renderTemplate({ subject: '{{salonName}}: {{date}}', body: 'Hi {{clientFirstName}} {{bookingLink}}' }, { salon: { name: 'B' } }, gb);
    expect(r).toEqual({ subject: 'B: ', body: 'Hi  ', missing: ['clientFirstName', 'bookingLink', 'date'] });
    expect(renderTemplate({ title: 'T {{specialist}}', body: 'x' }, ctx, gb)).toEqual({ title: 'T Maria', body: 'x', missing: [] });
  });
});
