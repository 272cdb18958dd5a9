import { describe, expect, it } from 'vitest';
import { i18nFor } from '../../renderer/src/app/i18n.ts';
import { sendTestOutcome } from '../../renderer/src/screens/settings/send-test-outcome.ts';

describe('"Send a test message" outcome', () => {
  it('a message Twilio accepted is a success in the desk’s words, not a red "accepted"', () => {
    expect(sendTestOutcome(i18nFor('en'), { status: 'accepted', route: 'sms' })).toEqual({ ok: true, text: 'Accepted by the provider; the delivery report follows.' });
    expect(sendTestOutcome(i18nFor('ru'), { status: 'accepted', route: 'sms' }).text).toBe('Принято провайдером; отчёт о доставке придёт позже.');
    expect(sendTestOutcome(i18nFor('en'), { status: 'delivered', detail: 'Published to ntfy.sh/desk' })).toEqual({ ok: true, text: 'Delivered.', detail: 'Published to ntfy.sh/desk' });
  });

  it('a lost answer and an uncertain send say so, translated', () => {
    const lost = sendTestOutcome(i18nFor('ru'), { status: 'accepted', reason: '…', reasonCode: 'provider.answerLost', reasonParams: { provider: 'Twilio', detail: 'api.twilio.com answered HTTP 201, but its answer broke off' } });
    expect(lost).toMatchObject({ ok: true, text: expect.stringContaining('Twilio принял сообщение, но его ответ потерялся') });
    const maybe = sendTestOutcome(i18nFor('en'), { status: 'uncertain', reason: '…', reasonCode: 'provider.noVerdict', reasonParams: { provider: 'Twilio', detail: 'api.twilio.com did not answer within 20 s' } });
    expect(maybe).toEqual({ ok: false, text: 'Maybe sent: Twilio received the whole message, then no answer came (api.twilio.com did not answer within 20 s); it may have been sent, so it is not sent again' });
  });
});
