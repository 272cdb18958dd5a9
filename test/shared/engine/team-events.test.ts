/** Team messages go out at once, even for a change stamped ahead of the planning desk's clock (immediate.ts). */
import { describe, expect, it } from 'vitest';
import type { Staff } from '../../../shared/domain/staff.ts';
import type { TeamEvent } from '../../../shared/domain/team-event.ts';
import { desktopToastJobs, staffJobs } from '../../../shared/engine/team-events.ts';
import { HOUR, NOW, iso, plan } from './support/plan-fixtures.ts';

const sophie: Staff = {
  id: 's1', locationId: 'l1', name: 'Sophie Wagner', role: 'specialist', serviceIds: ['svc1'], desktopToasts: true, email: 'sophie@example.org', active: true,
  workingHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, createdAt: '2026-01-01T00:00:00.000Z',
};
const cancelledAt = (atMs: number): TeamEvent => ({
  id: `cancellation|a1|${atMs}`, locationId: 'l1', type: 'cancellation', appointmentId: 'a1', staffIds: ['s1'], title: 'Cancelled', body: 'Anna cancelled',
  at: iso(atMs), atMs, readBy: [], read: false,
});
const settings = plan.settings.get('cancellation');

describe('team messages of a change stamped ahead of this desk’s clock', () => {
  it('are due now, not when this desk’s clock reaches the stamp', () => {
    const jobs = staffJobs(cancelledAt(NOW + HOUR), [sophie], settings, NOW, () => ({ body: 'Anna cancelled' }));
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.every((job) => job.dueAt <= NOW)).toBe(true);
    expect(desktopToastJobs(cancelledAt(NOW + HOUR), [sophie], settings, NOW).map((job) => job.dueAt)).toEqual([NOW - 1]);
  });
});
