/**
 * The confirmation a visit dragged in the day grid asks for before anything is written: the visit before and after
 * (time, specialist), what the form would refuse (a time the clocks skip, a specialist who does not do one of the
 * services — Move disabled, with the reason) and what it would warn about (overlaps, outside working hours, the past).
 * Confirmed, it sends the same commands as the visit card: move, then re-assign when the column changed; the host
 * checks again, and a refusal shows here in the desk's words.
 */
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import { instantOf, offeredIssues, staffIssues } from '../../../../shared/domain/booking-edits.ts';
import type { Issue } from '../../../../shared/domain/issues.ts';
import { minutesToHhmm } from '../../../../shared/domain/zoned-time.ts';
import { useConnection } from '../../app/connection-context.ts';
import { useI18n } from '../../app/i18n.ts';
import { revisionOf } from '../../data/hooks.ts';
import { useSalon } from '../../data/salon.ts';
import { ChangeConfirmBody, ChangeConfirmModal, useChangeWarnings } from './change-confirm.tsx';
import { useUiFormat } from './ui-format.ts';

export interface DropRequest {
  appointment: Appointment;
  /** The column's date and specialist, and the new start in minutes after that date's midnight. */
  date: string;
  staffId: string;
  startMinutes: number;
}

export function DropConfirm({ request, onClose }: { request: DropRequest | undefined; onClose(): void }) {
  const { t } = useI18n();
  return (
    <ChangeConfirmModal opened={request !== undefined} title={t('cal.drop.title')} testId="drop-confirm" onClose={onClose}>
      {request && <DropConfirmBody request={request} onClose={onClose} />}
    </ChangeConfirmModal>
  );
}

function DropConfirmBody({ request, onClose }: { request: DropRequest; onClose(): void }) {
  const { api } = useConnection();
  const salon = useSalon();
  const { location } = salon;
  const format = useUiFormat();
  const { t } = useI18n();
  const a = request.appointment;
  const time = minutesToHhmm(request.startMinutes);
  const start = instantOf({ date: request.date, time }, location.timeZone, 'start');
  const durationMs = Date.parse(a.end) - a.startMs;
  const staff = salon.staffById.get(request.staffId);
  const services = a.serviceIds.map((id) => salon.serviceById.get(id)).filter((s) => s !== undefined);
  const staffChanged = request.staffId !== a.staffId;
  const timeChanged = !start.ok || start.ms !== a.startMs;

  const issues: Issue[] = [];
  if (!start.ok) issues.push(...start.issues);
  if (staffChanged) {
    const problems = staffIssues(staff, request.staffId, a.locationId);
    issues.push(...problems);
    if (staff && problems.length === 0) issues.push(...offeredIssues(staff, services, () => 'staffId'));
  }
  const { warnings, checked } = useChangeWarnings(a, request.date, staff, start.ok ? start.ms : undefined, start.ok ? start.ms + durationMs : undefined);
  const describe = (startMs: number, staffName: string | undefined) =>
    `${format.date(startMs)}, ${format.time(startMs)}–${format.time(startMs + durationMs)} · ${staffName ?? t('cal.unknownStaff')}`;

  return (
    <ChangeConfirmBody
      appointment={a}
      testId="drop"
      question={(client) => t('cal.drop.question', { client })}
      before={describe(a.startMs, salon.staffById.get(a.staffId)?.name)}
      after={start.ok ? describe(start.ms, staff?.name) : `${request.date} ${time} · ${staff?.name ?? t('cal.unknownStaff')}`}
      issues={issues}
      warnings={warnings}
      checked={checked}
      warningsTitle={t('cal.drop.check')}
      notice={t('cal.drop.notice')}
      okLabel={warnings.length > 0 ? t('cal.drop.moveAnyway') : t('visit.moveSave')}
      send={async () => {
        // The Move button is disabled on a start the clocks skip; the guard keeps `start` narrowed.
        if (!start.ok) return;
        let revision = revisionOf(a);
        if (timeChanged) revision = (await api.call('appointments.move', { appointmentId: a.id, expectedRevision: revision, start: { date: request.date, time } })).revision;
        if (staffChanged) await api.call('appointments.reassign', { appointmentId: a.id, expectedRevision: revision, staffId: request.staffId });
      }}
      onClose={onClose}
    />
  );
}
