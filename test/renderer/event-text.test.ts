import { describe, expect, it } from 'vitest';
import { i18nFor } from '../../renderer/src/app/i18n.ts';
import { teamEventText } from '../../renderer/src/screens/notification-center/event-text.ts';
import type { TeamEvent } from '../../shared/domain/team-event.ts';

const at = Date.UTC(2026, 11, 2, 17, 0);
const when = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const base: TeamEvent = {
  id: 'e1', locationId: 'loc1', type: 'reschedule', appointmentId: 'a1', clientId: 'c1', staffIds: ['s1'],
  title: 'Перенос: Anna Klein', body: 'Теперь …', at: new Date(at).toISOString(), atMs: at, readBy: [], read: false,
};

describe('notification-center rows', () => {
  it('are rendered from their facts in the desk’s language, not the language they were stored in', () => {
    const moved = { ...base, facts: { clientName: 'Anna Klein', startAt: at, previousStartAt: at + 3_600_000, staffName: 'Maria', serviceNames: ['Haircut', 'Colour'] } };
    expect(teamEventText(i18nFor('en'), moved, when)).toEqual({ title: 'Rescheduled: Anna Klein', body: 'Now 17:00 (was 18:00) · Haircut and Colour · Maria' });
    expect(teamEventText(i18nFor('ru'), moved, when).title).toBe('Перенос: Anna Klein');
  });

  it('say only the earlier time of a move within one salon day, and the whole date of a move to another day', () => {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const full = (ms: number) => `${day(ms)} ${when(ms)}`;
    const sameDay = { ...base, facts: { clientName: 'Anna Klein', startAt: at, previousStartAt: at - 2 * 3_600_000, staffName: 'Maria', serviceNames: ['Haircut'] } };
    expect(teamEventText(i18nFor('en'), sameDay, full, when, day).body).toBe('Now 2026-12-02 17:00 (was 15:00) · Haircut · Maria');
    const otherDay = { ...sameDay, facts: { ...sameDay.facts, previousStartAt: at - 24 * 3_600_000 } };
    expect(teamEventText(i18nFor('en'), otherDay, full, when, day).body).toBe('Now 2026-12-02 17:00 (was 2026-12-01 17:00) · Haircut · Maria');
    expect(teamEventText(i18nFor('ru'), sameDay, full, when, day).body).toBe('Теперь 2026-12-02 17:00 (было 15:00) · Haircut · Maria');
  });

  it('name both specialists of a re-assignment, and keep the stored text of events without facts', () => {
    const reassigned = { ...base, facts: { clientName: 'Anna Klein', startAt: at, staffName: 'Olga', previousStaffName: 'Maria', serviceNames: ['Haircut'] } };
    expect(teamEventText(i18nFor('en'), reassigned, when).body).toBe('Now with Olga (was Maria) · 17:00 · Haircut');
    expect(teamEventText(i18nFor('en'), base, when)).toEqual({ title: base.title, body: base.body });
  });

  it('tell calls and QR payments from integrations in the desk’s language, with the integration and a test mark', () => {
    const origin = { kind: 'integration' as const, name: 'Card terminal', deskId: 'd1' };
    const call = { ...base, type: 'incomingCall' as const, appointmentId: undefined, clientId: undefined, facts: { startAt: at, phone: '+49305550123' }, origin: { ...origin, name: 'Phone' } };
    expect(teamEventText(i18nFor('en'), call, when)).toEqual({ title: 'Incoming call', body: '+49305550123 — not a client yet · Phone' });
    expect(teamEventText(i18nFor('ru'), { ...call, origin: { ...call.origin, kind: 'test' as const } }, when).title).toBe('Тест · Входящий звонок');
    const paid = { ...base, type: 'qrPayment' as const, facts: { startAt: at, clientName: 'Anna Klein', amountMinor: 5500, currency: 'EUR' }, origin };
    expect(teamEventText(i18nFor('en'), paid, when)).toEqual({ title: 'QR-code payment', body: 'Anna Klein paid €55.00 · Card terminal' });
  });

  it('tell a length change as what it is — start as before, the end before and after — never as a reschedule', () => {
    const clock = (ms: number) => `${new Date(ms).toISOString().slice(11, 16)}h`;
    const longer = { ...base, type: 'durationChanged' as const, facts: { clientName: 'Anna Klein', startAt: at, endAt: at + 90 * 60_000, previousEndAt: at + 3_600_000, staffName: 'Maria', serviceNames: ['Haircut'] } };
    expect(teamEventText(i18nFor('en'), longer, when, clock)).toEqual({ title: 'Visit length changed: Anna Klein', body: 'Starts 17:00 as before · now ends at 18:30h (was 18:00h) · Haircut · Maria' });
    const ru = teamEventText(i18nFor('ru'), longer, when, clock);
    expect(ru.title).toBe('Изменена длительность визита: Anna Klein');
    expect(ru.body).toBe('Начало 17:00, как и было · теперь до 18:30h (было до 18:00h) · Haircut · Maria');
    expect(`${ru.title} ${ru.body}`).not.toMatch(/Перенос|Rescheduled/);
  });
});
