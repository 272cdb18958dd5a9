import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../../shared/domain/appointment.ts';
import type { CascadeStep, Job, JobState } from '../../../shared/domain/job.ts';
import { JOB_STATES } from '../../../shared/domain/job.ts';
import type { NotificationSettings } from '../../../shared/domain/notification-settings.ts';
import type { TeamEvent } from '../../../shared/domain/team-event.ts';
import {
  JOB_STATE_RANK,
  appointmentConflict,
  conflictHandlers,
  mergeAppointments,
  mergeJobs,
  mergeSettings,
  mergeTeamEvents,
} from '../../../shared/sync/conflict-handlers.ts';
import { validDocs } from '../../electron/host/db/fixtures.ts';

const base: Appointment = { ...validDocs.appointments, history: [{ at: '2025-03-01T08:00:00.000Z', by: 'desk', kind: 'created' }], updatedAt: '2025-03-01T08:00:00.000Z' };

function moved(a: Appointment, startIso: string, at: string, by: string): Appointment {
  const startMs = Date.parse(startIso);
  const end = new Date(startMs + Date.parse(a.end) - a.startMs).toISOString();
  return { ...a, start: startIso, end, startMs, updatedAt: at, history: [...a.history, { at, by, kind: 'moved', from: a.start, to: startIso }] };
}

/** The visit made `minutes` long (its start kept), as the day view's resize records it. */
function resized(a: Appointment, minutes: number, at: string, by: string): Appointment {
  const end = new Date(a.startMs + minutes * 60_000).toISOString();
  return { ...a, end, updatedAt: at, history: [...a.history, { at, by, kind: 'durationChanged', from: a.end, to: end }] };
}

describe('appointments: field-wise merge, real conflicts reported', () => {
  it('keeps both desks’ edits when they touch different fields, and the history of both', () => {
    const onA = moved(base, '2025-03-04T10:00:00.000Z', '2025-03-01T09:00:00.000Z', 'desk-a');
    const onB: Appointment = { ...base, notes: 'bring the blue dye', updatedAt: '2025-03-01T09:01:00.000Z', history: [...base.history, { at: '2025-03-01T09:01:00.000Z', by: 'desk-b', kind: 'notesChanged' }] };
    const { merged, conflict } = mergeAppointments({ base, local: onB, remote: onA });
    expect(conflict).toBeUndefined();
    expect(merged.start).toBe('2025-03-04T10:00:00.000Z');
    expect(merged.startMs).toBe(Date.parse('2025-03-04T10:00:00.000Z'));
    expect(merged.notes).toBe('bring the blue dye');
    expect(merged.history.map((h) => h.kind)).toEqual(['created', 'moved', 'notesChanged']);
    expect(merged.updatedAt).toBe('2025-03-01T09:01:00.000Z');
  });

  it('both desks moved the booking: the later move wins on either desk, and the conflict names both versions', () => {
    const onA = moved(base, '2025-03-04T10:00:00.000Z', '2025-03-01T09:00:00.000Z', 'desk-a');
    const onB = moved(base, '2025-03-05T15:00:00.000Z', '2025-03-01T09:05:00.000Z', 'desk-b');
    const resolvedOnA = mergeAppointments({ base, local: onA, remote: onB });
    const resolvedOnB = mergeAppointments({ base, local: onB, remote: onA });
    expect(resolvedOnA.merged).toEqual(resolvedOnB.merged);
    expect(resolvedOnA.merged.start).toBe('2025-03-05T15:00:00.000Z');
    expect(resolvedOnA.merged.history.filter((h) => h.kind === 'moved')).toHaveLength(2);
    expect(resolvedOnA.conflict?.fields).toEqual(['start+startMs']);
    expect(resolvedOnA.conflict?.kept.start).toBe('2025-03-05T15:00:00.000Z');
    expect(resolvedOnA.conflict?.replaced.start).toBe('2025-03-04T10:00:00.000Z');
    expect(appointmentConflict({ assumedMasterState: { ...base, _deleted: false }, newDocumentState: { ...onA, _deleted: false }, realMasterState: { ...onB, _deleted: false } })?.kept.start).toBe(
      '2025-03-05T15:00:00.000Z',
    );
  });

  it('a move on one desk and a resize on the other both apply: the new start with the new length, no conflict', () => {
    const onA = moved(base, '2025-03-04T10:00:00.000Z', '2025-03-01T09:00:00.000Z', 'desk-a');
    const onB = resized(base, 95, '2025-03-01T09:01:00.000Z', 'desk-b');
    for (const [local, remote] of [[onA, onB], [onB, onA]] as const) {
      const { merged, conflict } = mergeAppointments({ base, local, remote });
      expect(conflict).toBeUndefined();
      expect(merged.start).toBe('2025-03-04T10:00:00.000Z');
      expect(merged.end).toBe('2025-03-04T11:35:00.000Z');
      expect(merged.history.map((h) => h.kind)).toEqual(['created', 'moved', 'durationChanged']);
    }
  });

  it('both desks resized the visit: the later length wins, reported as a length conflict', () => {
    const onA = resized(base, 90, '2025-03-01T09:00:00.000Z', 'desk-a');
    const onB = resized(base, 45, '2025-03-01T09:03:00.000Z', 'desk-b');
    const { merged, conflict } = mergeAppointments({ base, local: onA, remote: onB });
    expect(merged).toEqual(mergeAppointments({ base, local: onB, remote: onA }).merged);
    expect(merged.start).toBe(base.start);
    expect(Date.parse(merged.end) - merged.startMs).toBe(45 * 60_000);
    expect(conflict?.fields).toEqual(['durationMs']);
  });

  it('the same change on both desks is no conflict', () => {
    const onA = moved(base, '2025-03-04T10:00:00.000Z', '2025-03-01T09:00:00.000Z', 'desk-a');
    const onB = { ...moved(base, '2025-03-04T10:00:00.000Z', '2025-03-01T09:02:00.000Z', 'desk-b') };
    expect(mergeAppointments({ base, local: onA, remote: onB }).conflict).toBeUndefined();
  });

  it('a peer’s deletion never removes a live booking (RxDB handler)', async () => {
    const handler = conflictHandlers.appointments;
    const kept = await handler.resolve({ newDocumentState: { ...base, _deleted: false }, realMasterState: { id: base.id, _deleted: true } as never, assumedMasterState: { ...base, _deleted: false } }, 'test');
    expect(kept).toEqual({ ...base, _deleted: false });
    expect(handler.isEqual({ ...base, _deleted: false }, { ...structuredClone(base), _deleted: false }, 'test')).toBe(true);
  });
});

function job(state: JobState, extra: Partial<Job> = {}): Job {
  return { ...validDocs.jobs, state, ...extra };
}

describe('jobs: states only move forward', () => {
  it('a terminal verdict beats planned, a send beats a closure, sending never goes back to planned', () => {
    expect(mergeJobs(job('planned'), job('delivered')).state).toBe('delivered');
    expect(mergeJobs(job('cancelled'), job('planned')).state).toBe('cancelled');
    expect(mergeJobs(job('sending', { channel: 'desktop' }), job('planned', { channel: 'desktop' })).state).toBe('sending');
    expect(mergeJobs(job('cancelled'), job('sent')).state).toBe('sent');
    expect(mergeJobs(job('uncertain'), job('delivered')).state).toBe('delivered');
  });

  it('merges cascade steps channel by channel and keeps every fence', () => {
    const a = job('sending', {
      cascade: [
        { channel: 'email', scenario: 'always', state: 'delivered', at: '2025-03-01T09:00:01.000Z', fence: { desk: 'a', epoch: 2 } },
        { channel: 'sms', scenario: 'ifPreviousFailed', state: 'sending', at: '2025-03-01T09:00:02.000Z', fence: { desk: 'a', epoch: 2 } },
      ],
    });
    const b = job('planned', { cascade: [{ channel: 'email', scenario: 'always', state: 'sending', at: '2025-03-01T09:00:00.000Z', fence: { desk: 'a', epoch: 2 } }] });
    const merged = mergeJobs(b, a);
    expect(merged.state).toBe('sending');
    expect(merged.cascade?.map((s) => [s.channel, s.state])).toEqual([
      ['email', 'delivered'],
      ['sms', 'sending'],
    ]);
    expect(merged).toEqual(mergeJobs(a, b));
  });

  it('a cascade whose every step has a verdict is not left in sending', () => {
    const recovered = job('planned', { cascade: [{ channel: 'email', scenario: 'always', state: 'uncertain', at: '2025-03-01T09:01:00.000Z' }] });
    const stale = job('sending', { cascade: [{ channel: 'email', scenario: 'always', state: 'sending', at: '2025-03-01T09:00:00.000Z' }] });
    const merged = mergeJobs(stale, recovered);
    expect(merged.state).toBe('planned');
    expect(merged.cascade?.[0]?.state).toBe('uncertain');
  });

  it("of two desks' sends of one message, the one already on the endpoint wins, whichever was stamped later", () => {
    const sendingAt = (desk: string, epoch: number, at: string): CascadeStep => ({ channel: 'email', scenario: 'always', state: 'sending', at, fence: { desk, epoch } });
    // Desk A's send reached the endpoint first; desk B, holding the lease after it with a lagging copy, pushes its own.
    const onEndpoint = job('sending', { updatedAt: '2025-03-01T09:00:00.000Z', cascade: [sendingAt('a', 1, '2025-03-01T09:00:00.000Z')] });
    const pushed = job('sending', { updatedAt: '2025-03-01T09:00:09.000Z', cascade: [sendingAt('b', 2, '2025-03-01T09:00:09.000Z')] });
    expect(mergeJobs(pushed, onEndpoint).cascade).toEqual(onEndpoint.cascade);
    // The other way round (B's was there first), B's stays.
    expect(mergeJobs(onEndpoint, pushed).cascade).toEqual(pushed.cascade);
    // A single-channel job the same.
    const staffOnEndpoint = job('sending', { channel: 'email', updatedAt: '2025-03-01T09:00:00.000Z', cascade: [sendingAt('a', 1, '2025-03-01T09:00:00.000Z')] });
    const staffPushed = job('sending', { channel: 'email', updatedAt: '2025-03-01T09:00:09.000Z', cascade: [sendingAt('b', 2, '2025-03-01T09:00:09.000Z')] });
    expect(mergeJobs(staffPushed, staffOnEndpoint).cascade).toEqual(staffOnEndpoint.cascade);
    // One desk's own sends (the same fence: a retry) still merge by time.
    const retry = job('sending', { updatedAt: '2025-03-01T09:00:09.000Z', cascade: [sendingAt('a', 1, '2025-03-01T09:00:09.000Z')] });
    expect(mergeJobs(retry, onEndpoint).cascade).toEqual(retry.cascade);
  });

  it('property: the merge is commutative and never ranks below either side', () => {
    const state = fc.constantFrom(...JOB_STATES);
    const stamp = fc.integer({ min: 0, max: 1000 }).map((n) => new Date(Date.UTC(2025, 2, 1) + n * 1000).toISOString());
    fc.assert(
      fc.property(state, state, stamp, stamp, fc.nat(5), fc.nat(5), (sa, sb, ta, tb, na, nb) => {
        const a = job(sa, { updatedAt: ta, attempts: na, channel: 'desktop' });
        const b = job(sb, { updatedAt: tb, attempts: nb, channel: 'desktop' });
        const ab = mergeJobs(a, b);
        expect(ab).toEqual(mergeJobs(b, a));
        expect(JOB_STATE_RANK[ab.state]).toBe(Math.max(JOB_STATE_RANK[sa], JOB_STATE_RANK[sb]));
        expect(ab.attempts).toBe(Math.max(na, nb));
      }),
      { numRuns: 300 },
    );
  });
});

describe('team events, settings, delivery log', () => {
  it('read marks are a union', () => {
    const event: TeamEvent = { ...validDocs.team_events, readBy: ['s1'], read: true };
    const merged = mergeTeamEvents({ ...event, readBy: ['s2'] }, { ...event, readBy: ['s1'], read: true });
    expect(merged.readBy).toEqual(['s1', 's2']);
    expect(merged.read).toBe(true);
  });

  it('settings: the newest edit wins whole and the replaced edit is named', () => {
    const older: NotificationSettings = { ...validDocs.notification_settings, enabled: false, updatedAt: '2025-03-01T09:00:00.000Z', updatedBy: 'Desk 1' };
    const newer: NotificationSettings = { ...validDocs.notification_settings, respectQuietHours: false, updatedAt: '2025-03-01T09:05:00.000Z', updatedBy: 'Desk 2' };
    const { merged, conflict } = mergeSettings(older, newer);
    expect(merged).toEqual(newer);
    expect(mergeSettings(newer, older).merged).toEqual(newer);
    expect(conflict?.replaced.updatedBy).toBe('Desk 1');
  });

  it('delivery log entries are never merged away: the endpoint’s copy of the same entry is kept', async () => {
    const entry = { ...validDocs.delivery_log, _deleted: false };
    expect(await conflictHandlers.delivery_log.resolve({ newDocumentState: entry, realMasterState: entry }, 'test')).toEqual(entry);
  });

  it('a used perk stays used', async () => {
    const perk = { ...validDocs.client_perks, used: false, _deleted: false };
    const merged = await conflictHandlers.client_perks.resolve({ assumedMasterState: perk, newDocumentState: { ...perk, used: true }, realMasterState: { ...perk, description: 'x' } }, 'test');
    expect(merged).toMatchObject({ used: true, description: 'x' });
  });
});
