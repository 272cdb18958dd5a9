/**
 * Waits of a message already sent (a retry, a report poll, a verdict window) timed by a clock ahead of the dispatching
 * desk's count again from its now (shared/engine/wait-retime.ts); timed by its own clock, they stay as they are.
 */
import { describe, expect, it } from 'vitest';
import type { CascadeStep, Job } from '../../../shared/domain/job.ts';
import { REPORT_MAX_INTERVAL_MS } from '../../../shared/engine/retry-policy.ts';
import { retimeWaits, waitsTimedAhead } from '../../../shared/engine/wait-retime.ts';
import { HOUR, MINUTE, NOW, iso } from './support/plan-fixtures.ts';

const SENT_AT = NOW + 3 * HOUR;

function job(steps: CascadeStep[], dueAt: number): Job {
  return {
    id: 'reminder|a1|120m@1|cascade', locationId: 'l1', type: 'reminder', subjectKind: 'appointment', subjectId: 'a1', occasion: '120m@1', channel: 'cascade',
    dueAt, state: 'sent', attempts: 1, idempotencyKey: 'k', cascade: steps, createdAt: iso(NOW), updatedAt: iso(SENT_AT),
  };
}

const retrying: CascadeStep = { channel: 'email', scenario: 'always', state: 'planned', tries: 1, retryAt: SENT_AT + 90_000, at: iso(SENT_AT) };
const polled: CascadeStep = { channel: 'sms', scenario: 'ifPreviousFailed', state: 'sent', providerMessageId: 'SM1', polls: 3, reportAt: SENT_AT + 20 * MINUTE, verdictAt: SENT_AT + 30 * MINUTE, at: iso(SENT_AT) };
const delivered: CascadeStep = { channel: 'brandedPush', scenario: 'always', state: 'delivered', at: iso(SENT_AT) };

describe('waits of a sent message timed by a clock ahead', () => {
  it('a retry sent 3 h ahead of this clock waits as long as it was going to, from now', () => {
    const retimed = retimeWaits(job([retrying, delivered], SENT_AT + 90_000), NOW);
    expect(retimed?.cascade).toEqual([{ ...retrying, retryAt: NOW + 90_000, at: iso(NOW) }, delivered]);
    expect(retimed).toMatchObject({ dueAt: NOW + 90_000, updatedAt: iso(NOW), state: 'sent' });
  });

  it('a report poll comes at most the longest poll interval from now, and the verdict window keeps its length', () => {
    const retimed = retimeWaits(job([polled], SENT_AT + 20 * MINUTE), NOW);
    expect(retimed?.cascade).toEqual([{ ...polled, reportAt: NOW + REPORT_MAX_INTERVAL_MS, verdictAt: NOW + 30 * MINUTE, at: iso(NOW) }]);
    expect(retimed?.dueAt).toBe(NOW + REPORT_MAX_INTERVAL_MS);
  });

  it('never moves a wait later: a verdict cut to the start stays before it', () => {
    const cut: CascadeStep = { ...polled, reportAt: undefined, verdictAt: SENT_AT + 10 * MINUTE };
    const retimed = retimeWaits(job([cut], SENT_AT + 10 * MINUTE), NOW);
    expect(retimed?.cascade?.[0]?.verdictAt).toBe(NOW + 10 * MINUTE);
    expect(retimed!.cascade![0]!.verdictAt!).toBeLessThan(cut.verdictAt!);
  });

  it('leaves waits timed by this clock (or a minute ahead) alone, and is stable once re-timed', () => {
    expect(retimeWaits(job([retrying], SENT_AT + 90_000), SENT_AT)).toBeUndefined();
    expect(retimeWaits(job([retrying], SENT_AT + 90_000), SENT_AT - 30_000)).toBeUndefined();
    expect(retimeWaits(job([delivered], SENT_AT), NOW)).toBeUndefined();
    const once = retimeWaits(job([retrying, polled], SENT_AT + 90_000), NOW)!;
    expect(waitsTimedAhead(once, NOW)).toBe(false);
    expect(retimeWaits(once, NOW + 1_000)).toBeUndefined();
  });

  it('a job that does not wait is never re-timed', () => {
    expect(retimeWaits({ ...job([retrying], SENT_AT + 90_000), state: 'planned' }, NOW)).toBeUndefined();
  });
});
