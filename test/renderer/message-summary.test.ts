import { describe, expect, it } from 'vitest';
import { summarizeEntries, summarizeJob } from '../../renderer/src/screens/visit-card/message-summary.ts';
import type { DeliveryLogEntry } from '../../shared/domain/delivery-log.ts';
import type { Job } from '../../shared/domain/job.ts';

const T = Date.UTC(2026, 11, 2, 9);
let n = 0;
function entry(jobId: string, channel: DeliveryLogEntry['channel'], status: DeliveryLogEntry['status'], extra: Partial<DeliveryLogEntry> = {}): DeliveryLogEntry {
  const atMs = T + n++ * 1000;
  return { id: `e${n}`, locationId: 'l', jobId, type: 'bookingConfirmation', channel, recipient: '', status, at: new Date(atMs).toISOString(), atMs, appointmentId: 'a1', ...extra };
}

describe('message summaries', () => {
  it('fold a job’s channel attempts into one message, naming the channel that carried it', () => {
    const log = [
      entry('j1', 'email', 'attempted', { recipient: 'anna@example.org' }),
      entry('j1', 'email', 'sandboxed', { recipient: 'anna@example.org', body: 'Hello' }),
      entry('j1', 'aggregatorPush', 'notTried', { reasonCode: 'channel.noApp', reason: 'no app push' }),
      entry('j1', 'sms', 'skipped', { reasonCode: 'channel.earlierSandboxed', reason: '…' }),
    ];
    const job = { id: 'j1', type: 'bookingConfirmation', subjectKind: 'appointment', subjectId: 'a1', channel: 'cascade', state: 'sandboxed', dueAt: T } as Job;
    const m = summarizeJob(job, log);
    expect(m).toMatchObject({ outcome: 'sandboxed', channel: 'email', recipient: 'anna@example.org', sandboxed: true, pending: false, appointmentId: 'a1' });
    expect(m.attempts.map((e) => `${e.channel}:${e.status}`)).toEqual(['email:sandboxed', 'aggregatorPush:notTried', 'sms:skipped']);
    expect(m.reason).toBeUndefined();
  });

  it('give a skipped message its own reason and no channel, and keep one row per job from log entries alone', () => {
    const log = [
      entry('j2', 'email', 'skipped', { type: 'reminder', reasonCode: 'reminder.pastAtBooking', reason: 'too late' }),
      entry('j1', 'email', 'sandboxed', { recipient: 'anna@example.org' }),
      entry('j1', 'sms', 'skipped', { reasonCode: 'channel.earlierSandboxed' }),
    ];
    const messages = summarizeEntries(log);
    expect(messages.map((m) => m.id)).toEqual(['j1', 'j2']);
    expect(messages[0]).toMatchObject({ outcome: 'sandboxed', channel: 'email' });
    expect(messages[1]).toMatchObject({ outcome: 'skipped', reason: { reasonCode: 'reminder.pastAtBooking' }, attempts: [] });
    expect(messages[1]!.channel).toBeUndefined();
  });
});
