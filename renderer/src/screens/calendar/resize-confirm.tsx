/**
 * The confirmation a visit made longer or shorter in the day grid asks for before anything is written: the visit
 * before and after (same start, new end), what the form would refuse (an end before the start, too long, a time the
 * clocks skip — Save disabled, with the reason) and what it would warn about (overlaps, outside working hours, time
 * off). Confirmed, it sends `appointments.changeDuration` — a length change, never a move: the client keeps their
 * time; the host checks again, and a refusal shows here in the desk's words.
 */
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import { instantOf, intervalIssues } from '../../../../shared/domain/booking-edits.ts';
import type { Issue } from '../../../../shared/domain/issues.ts';
import { addDaysToLocalDate, minutesToHhmm } from '../../../../shared/domain/zoned-time.ts';
import { useNow } from '../../app/clock.ts';
import { useConnection } from '../../app/connection-context.ts';
import { useI18n } from '../../app/i18n.ts';
import { revisionOf } from '../../data/hooks.ts';
import { useSalon } from '../../data/salon.ts';
import { ChangeConfirmBody, ChangeConfirmModal, useChangeWarnings } from './change-confirm.tsx';
import { useUiFormat } from './ui-format.ts';

export interface ResizeRequest {
  appointment: Appointment;
  /** The column's date, and the new end in minutes after that date's midnight (24 × 60 = the next midnight). */
  date: string;
  endMinutes: number;
}

/** The end a request names, as the local date and time the host reads (midnight is the next day's 00:00). */
export function endOf(request: Pick<ResizeRequest, 'date' | 'endMinutes'>): { date: string; time: string } {
  const day = 24 * 60;
  const extraDays = Math.floor(request.endMinutes / day);
  return { date: addDaysToLocalDate(request.date, extraDays), time: minutesToHhmm(request.endMinutes - extraDays * day) };
}

export function ResizeConfirm({ request, onClose }: { request: ResizeRequest | undefined; onClose(): void }) {
  const { t } = useI18n();
  return (
    <ChangeConfirmModal opened={request !== undefined} title={t('cal.resize.title')} testId="resize-confirm" onClose={onClose}>
      {request && <ResizeConfirmBody request={request} onClose={onClose} />}
    </ChangeConfirmModal>
  );
}

function ResizeConfirmBody({ request, onClose }: { request: ResizeRequest; onClose(): void }) {
  const { api } = useConnection();
  const salon = useSalon();
  const { location } = salon;
  const format = useUiFormat();
  const { t } = useI18n();
  const now = useNow();
  const a = request.appointment;
  const endInput = endOf(request);
  const end = instantOf(endInput, location.timeZone, 'end');
  const staff = salon.staffById.get(a.staffId);

  // The form's checks, before anything is sent (the host runs the same ones again).
  const issues: Issue[] = end.ok ? intervalIssues(a.startMs, end.ms, 'end') : end.issues;
  const checkable = end.ok && issues.length === 0;
  const { warnings: found, checked } = useChangeWarnings(a, request.date, staff, checkable ? a.startMs : undefined, checkable ? end.ms : undefined);
  // A visit already in the past warns only when the new end is in the past too.
  const warnings = found.filter((w) => w.kind !== 'past' || (end.ok && end.ms < now));
  const describe = (endMs: number) => {
    const minutes = Math.round((endMs - a.startMs) / 60_000);
    return `${format.date(a.startMs)}, ${format.time(a.startMs)}–${format.time(endMs)} · ${t('cal.resize.length', { minutes })} · ${staff?.name ?? t('cal.unknownStaff')}`;
  };

  return (
    <ChangeConfirmBody
      appointment={a}
      testId="resize"
      question={(client) => t('cal.resize.question', { client })}
      before={describe(Date.parse(a.end))}
      after={end.ok ? describe(end.ms) : `${endInput.date} ${endInput.time}`}
      issues={issues}
      warnings={warnings}
      checked={checked}
      warningsTitle={t('cal.resize.check')}
      notice={t('cal.resize.notice')}
      okLabel={warnings.length > 0 ? t('cal.resize.saveAnyway') : t('cal.resize.save')}
      send={async () => {
        await api.call('appointments.changeDuration', { appointmentId: a.id, expectedRevision: revisionOf(a), end: endInput });
      }}
      onClose={onClose}
    />
  );
}
