import { describe, expect, it } from 'vitest';
import { applyReport, applySendOutcome, settleWindow, stepWakeAt, type StepContext } from '../../../shared/engine/delivery-step.ts';
import { DEFAULT_RETRY_POLICY, nextReportAt, nextRetry } from '../../../shared/engine/retry-policy.ts';
import type { CascadeStep } from '../../../shared/domain/job.ts';

const NOW = 1_800_000_000_000;
const ctx = (over: Partial<StepContext> = {}): StepContext => ({
  now: NOW, deadline: NOW + 3_600_000, verdictWindowMs: 600_000, reports: true, random: () => 0.5, format: { timeZone: 'UTC', locale: 'en-GB' }, ...over,
});
const step: CascadeStep = { channel: 'sms', scenario: 'always', state: 'sending' };

describe('nextRetry', () => {
  it('doubles the delay per try, with jitter between half and all of it', () => {
    const at = (tries: number, random: number) => nextRetry({ now: 0, tries, deadline: 1e12, random: () => random, policy: { ...DEFAULT_RETRY_POLICY, maxTries: 20 } });
    expect(at(1, 0)).toEqual({ retry: true, at: 1_000 });
    expect(at(1, 0.999999)).toEqual({ retry: true, at: 2_000 });
    expect(at(3, 0)).toEqual({ retry: true, at: 4_000 });
    // Capped at five minutes.
    expect(at(9, 0.999999)).toEqual({ retry: true, at: 300_000 });
  });

  it('waits at least Retry-After, refuses past the deadline and after the budget', () => {
    expect(nextRetry({ now: 0, tries: 1, retryAfterMs: 45_000, deadline: 1e12, random: () => 0 })).toEqual({ retry: true, at: 45_000 });
    expect(nextRetry({ now: 0, tries: 1, retryAfterMs: 45_000, deadline: 45_000, random: () => 0 })).toEqual({ retry: false, why: 'noTimeLeft' });
    expect(nextRetry({ now: 0, tries: DEFAULT_RETRY_POLICY.maxTries, deadline: 1e12, random: () => 0 })).toEqual({ retry: false, why: 'tooManyTries' });
  });

  it('a Retry-After that is not a number is ignored, never a retry at no time', () => {
    expect(nextRetry({ now: 0, tries: 1, retryAfterMs: Number.NaN, deadline: 1e12, random: () => 0 })).toEqual({ retry: true, at: 1_000 });
    expect(nextReportAt(0, 0, 600_000, Number.NaN)).toBe(15_000);
  });

  it('asks for reports at doubling intervals, never after the window', () => {
    expect(nextReportAt(0, 0, 600_000)).toBe(15_000);
    expect(nextReportAt(15_000, 1, 600_000)).toBe(45_000);
    expect(nextReportAt(500_000, 6, 600_000)).toBe(600_000);
    expect(nextReportAt(0, 0, 600_000, 120_000)).toBe(120_000);
  });
});

describe('applySendOutcome', () => {
  it('an accepted message waits for reports until its window, never past the deadline', () => {
    const t = applySendOutcome(step, { status: 'accepted', providerMessageId: 'SM1', providerStatus: 'queued' }, ctx({ deadline: NOW + 60_000 }));
    expect(t.step).toMatchObject({ state: 'sent', providerMessageId: 'SM1', verdictAt: NOW + 60_000, reportAt: NOW + 15_000, polls: 0 });
    expect(t.log).toEqual([{ status: 'sent', basis: 'provider', providerStatus: 'queued', providerMessageId: 'SM1' }]);
    expect(stepWakeAt(t.step)).toBe(NOW + 15_000);
  });

  it('a message the provider took but whose answer was lost is sent with the coded reason, and counts as delivered at the window', () => {
    const lost = { reason: 'Twilio took the message, but its answer was lost (…)', reasonCode: 'provider.answerLost', reasonParams: { provider: 'Twilio', detail: 'api.twilio.com answered HTTP 201, but its answer broke off' } };
    const t = applySendOutcome(step, { status: 'accepted', providerStatus: 'accepted', detail: lost.reason, reasonCode: lost.reasonCode, reasonParams: lost.reasonParams }, ctx());
    expect(t.step).toMatchObject({ state: 'sent', ...lost });
    expect(t.step.reportAt).toBeUndefined();
    expect(t.log).toEqual([{ status: 'sent', basis: 'provider', providerStatus: 'accepted', ...lost }]);
    expect(settleWindow(t.step, ctx({ now: NOW + 600_000 }), 10)?.step.state).toBe('delivered');
    const delivered = applySendOutcome(step, { status: 'delivered', detail: lost.reason, reasonCode: lost.reasonCode, reasonParams: lost.reasonParams }, ctx());
    expect(delivered.log[0]).toMatchObject({ status: 'delivered', ...lost });
  });

  it('an uncertain send ends the step uncertain, with no retry and no next route', () => {
    const why = { reason: 'the mail server hung up after the whole message', reasonCode: 'smtp.noVerdict', reasonParams: { server: 'mx:25', detail: 'Connection closed unexpectedly' } };
    const t = applySendOutcome(step, { status: 'uncertain', route: 'email', ...why }, ctx());
    expect(t.step).toMatchObject({ state: 'uncertain', route: 'email', ...why });
    expect(t.step.retryAt).toBeUndefined();
    expect(stepWakeAt(t.step)).toBeUndefined();
    expect(t.log).toEqual([{ status: 'uncertain', basis: 'provider', route: 'email', ...why }]);
  });

  it('without reports, or with a zero window, nothing is polled', () => {
    expect(applySendOutcome(step, { status: 'accepted', providerMessageId: 'x' }, ctx({ reports: false })).step.reportAt).toBeUndefined();
    const zero = applySendOutcome(step, { status: 'accepted', providerMessageId: 'x' }, ctx({ verdictWindowMs: 0 })).step;
    expect(zero.reportAt).toBeUndefined();
    expect(settleWindow(zero, ctx(), 0)?.step.state).toBe('delivered');
  });

  it('a permanent failure with another route left goes on to it now', () => {
    const t = applySendOutcome({ ...step, skipRoutes: ['telegram'] }, { status: 'failed', route: 'whatsapp', reason: '63003 not on WhatsApp', permanent: true, nextRoute: true }, ctx());
    expect(t.step).toMatchObject({ state: 'planned', retryAt: NOW, skipRoutes: ['telegram', 'whatsapp'], tries: 0 });
    expect(t.log[0]).toMatchObject({ status: 'failed', route: 'whatsapp' });
  });

  it('a temporary failure waits for its retry and says when', () => {
    const t = applySendOutcome(step, { status: 'failed', reason: 'HTTP 503', permanent: false }, ctx());
    expect(t.step).toMatchObject({ state: 'planned', tries: 1, retryAt: NOW + 1_500 });
    expect(t.log).toEqual([{ status: 'retrying', reason: expect.stringMatching(/^HTTP 503; trying again at 0?8:00$/), reasonCode: 'provider.failed', reasonParams: { detail: 'HTTP 503' }, retryAt: NOW + 1_500 }]);
  });

  it('passes unregistered tokens on', () => {
    const t = applySendOutcome(step, { status: 'notTried', reason: 'gone', staleTokens: ['a'] }, ctx());
    expect(t.staleTokens).toEqual(['a']);
    expect(t.step.state).toBe('skipped');
  });
});

describe('applyReport and settleWindow', () => {
  const sent: CascadeStep = { ...step, state: 'sent', providerMessageId: 'SM1', providerStatus: 'queued', verdictAt: NOW + 600_000, reportAt: NOW, polls: 0 };

  it('logs a status change, stays quiet on no news, and backs off', () => {
    const changed = applyReport(sent, { status: 'inFlight', providerStatus: 'sent' }, ctx());
    expect(changed.log).toHaveLength(1);
    expect(changed.step).toMatchObject({ providerStatus: 'sent', polls: 1, reportAt: NOW + 30_000 });
    const same = applyReport(changed.step, { status: 'inFlight', providerStatus: 'sent' }, ctx());
    expect(same.log).toEqual([]);
    const unknown = applyReport(sent, { status: 'unknown', reason: 'ECONNRESET', retryAfterMs: 90_000 }, ctx());
    expect(unknown.step.reportAt).toBe(NOW + 90_000);
    expect(unknown.log).toEqual([]);
  });

  it('assumes the verdict at the deadline when it comes before the window ends', () => {
    const t = settleWindow(sent, ctx({ deadline: NOW }), 10);
    expect(t?.log[0]).toMatchObject({ status: 'delivered', basis: 'deadline' });
    expect(settleWindow(sent, ctx(), 10)).toBeUndefined();
  });
});
