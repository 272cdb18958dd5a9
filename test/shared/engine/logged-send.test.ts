import { describe, expect, it } from 'vitest';
import type { DeliveryLogEntry } from '../../../shared/domain/delivery-log.ts';
import { loggedSend, loggedSendBeforeRetry } from '../../../shared/engine/logged-send.ts';

type Entry = Pick<DeliveryLogEntry, 'channel' | 'status' | 'reasonCode' | 'atMs'>;
const at = (atMs: number, status: Entry['status'], channel: Entry['channel'] = 'email', reasonCode?: string): Entry => ({ channel, status, atMs, ...(reasonCode ? { reasonCode } : {}) });

describe('loggedSend', () => {
  it('finds no send where the log has none for the channel, or only one withdrawn when the lease was lost', () => {
    expect(loggedSend([], 'email')).toBeUndefined();
    expect(loggedSend([at(1, 'attempted', 'sms'), at(2, 'delivered', 'sms'), at(3, 'skipped'), at(3, 'notTried')], 'email')).toBeUndefined();
    expect(loggedSend([at(1, 'attempted'), at(2, 'notTried', 'email', 'send.leaseLost')], 'email')).toBeUndefined();
  });

  it('gives the last verdict of a send, and uncertain where the provider may have been called without one', () => {
    expect(loggedSend([at(1, 'attempted'), at(2, 'delivered')], 'email')).toBe('delivered');
    expect(loggedSend([at(1, 'attempted', 'sms'), at(2, 'failed', 'sms'), at(3, 'attempted', 'sms'), at(4, 'delivered', 'sms')], 'sms')).toBe('delivered');
    expect(loggedSend([at(1, 'attempted'), at(2, 'failed')], 'email')).toBe('failed');
    expect(loggedSend([at(1, 'attempted'), at(2, 'sent')], 'email')).toBe('uncertain');
    expect(loggedSend([at(1, 'attempted')], 'email')).toBe('uncertain');
    // A lost lease withdrew the first attempt, not the second.
    expect(loggedSend([at(1, 'attempted'), at(2, 'notTried', 'email', 'send.leaseLost'), at(3, 'attempted')], 'email')).toBe('uncertain');
  });

  it('lets a retry follow a temporary failure or a failed route, and not a send the log says went out', () => {
    expect(loggedSendBeforeRetry([at(1, 'attempted'), at(2, 'retrying')], 'email')).toBeUndefined();
    expect(loggedSendBeforeRetry([at(1, 'attempted', 'sms'), at(2, 'sent', 'sms'), at(3, 'failed', 'sms')], 'sms')).toBeUndefined();
    expect(loggedSendBeforeRetry([at(1, 'attempted'), at(2, 'delivered')], 'email')).toBe('delivered');
    expect(loggedSendBeforeRetry([at(1, 'attempted'), at(2, 'sent')], 'email')).toBe('uncertain');
    expect(loggedSendBeforeRetry([at(1, 'attempted'), at(2, 'retrying'), at(3, 'attempted'), at(4, 'uncertain')], 'email')).toBe('uncertain');
    expect(loggedSendBeforeRetry([at(1, 'attempted', 'sms'), at(2, 'delivered', 'sms')], 'email')).toBeUndefined();
  });
});
