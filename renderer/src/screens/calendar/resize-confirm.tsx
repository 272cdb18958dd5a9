/**
 * The confirmation a visit made longer or shorter in the day grid asks for before anything is written: the visit
 * before and after (same start, new end), what the form would refuse (an end before the start, too long, a time the
 * clocks skip — Save disabled, with the reason) and what it would warn about (overlaps, outside working hours, time
 * off). Confirmed, it sends `appointments.changeDuration` — a length change, never a move: the client keeps their
 * time; the host checks again, and a refusal shows here in the desk's words.
 */
import { useState } from 'react';
import { Alert, Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import { bookingWarnings, instantOf, intervalIssues } from '../../../../shared/domain/booking-edits.ts';
import { clientDisplayName } from '../../../../shared/domain/client.ts';
import type { Issue } from '../../../../shared/domain/issues.ts';
import { addDaysToLocalDate, minutesToHhmm, wallClockToUtc } from '../../../../shared/domain/zoned-time.ts';
import { useNow } from '../../app/clock.ts';
import { useConnection } from '../../app/connection-context.ts';
import { useI18n } from '../../app/i18n.ts';
import { issueParams, issueText, refusalOf } from '../../app/issues.ts';
import { revisionOf, useRxDocument } from '../../data/hooks.ts';
import { useAppointmentsBetween } from '../../data/queries.ts';
import { useSalon } from '../../data/salon.ts';
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
    <Modal opened={request !== undefined} onClose={onClose} closeButtonProps={{ 'aria-label': t('common.close') }} title={<Text fw={700}>{t('cal.resize.title')}</Text>} data-testid="resize-confirm">
      {request && <ResizeConfirmBody request={request} onClose={onClose} />}
    </Modal>
  );
}

function ResizeConfirmBody({ request, onClose }: { request: ResizeRequest; onClose(): void }) {
  const { api } = useConnection();
  const salon = useSalon();
  const { location } = salon;
  const format = useUiFormat();
  const i18n = useI18n();
  const { t } = i18n;
  const now = useNow();
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<readonly string[]>([]);
  const a = request.appointment;
  const { doc: client } = useRxDocument('clients', a.clientId);
  const endInput = endOf(request);
  const end = instantOf(endInput, location.timeZone, 'end');
  const staff = salon.staffById.get(a.staffId);
  const dayFrom = wallClockToUtc(request.date, '00:00', location.timeZone);
  const sameDay = useAppointmentsBetween(location.id, dayFrom, wallClockToUtc(addDaysToLocalDate(request.date, 1), '00:00', location.timeZone));

  // The form's checks, before anything is sent (the host runs the same ones again).
  const issues: Issue[] = end.ok ? intervalIssues(a.startMs, end.ms, 'end') : end.issues;
  const warnings =
    end.ok && staff && issues.length === 0
      ? bookingWarnings({
          id: a.id,
          clientId: a.clientId,
          staff,
          startMs: a.startMs,
          endMs: end.ms,
          timeZone: location.timeZone,
          others: sameDay.docs,
          now,
          describe: (other) => `${format.time(other.startMs)}–${format.time(Date.parse(other.end))}`,
        }).filter((w) => w.kind !== 'past' || end.ms < now)
      : [];
  const describe = (endMs: number) => {
    const minutes = Math.round((endMs - a.startMs) / 60_000);
    return `${format.date(a.startMs)}, ${format.time(a.startMs)}–${format.time(endMs)} · ${t('cal.resize.length', { minutes })} · ${staff?.name ?? t('cal.unknownStaff')}`;
  };

  async function confirm() {
    setBusy(true);
    setRefused([]);
    try {
      await api.call('appointments.changeDuration', { appointmentId: a.id, expectedRevision: revisionOf(a), end: endInput });
      onClose();
    } catch (error) {
      const refusal = refusalOf(error, i18n, []);
      setRefused([...refusal.general, ...Object.values(refusal.fields)]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="sm" data-testid="resize-confirm-body">
      <Text size="sm">{t('cal.resize.question', { client: client ? clientDisplayName(client) : '…' })}</Text>
      <Text size="sm" c="dimmed" data-testid="resize-before">
        {t('cal.drop.before')}: {describe(Date.parse(a.end))}
      </Text>
      <Text size="sm" fw={600} data-testid="resize-after">
        {t('cal.drop.after')}: {end.ok ? describe(end.ms) : `${endInput.date} ${endInput.time}`}
      </Text>
      {issues.length > 0 && (
        <Alert color="red" variant="light" data-testid="resize-issues">
          <List size="sm">{issues.map((i) => <List.Item key={i.code}>{issueText(i18n, i)}</List.Item>)}</List>
        </Alert>
      )}
      {warnings.length > 0 && (
        <Alert color="yellow" variant="light" title={t('cal.resize.check')} data-testid="resize-warnings">
          <List size="sm">{warnings.map((w) => <List.Item key={w.kind + (w.appointmentId ?? '')}>{t(`booking.warning.${w.kind}`, issueParams(i18n, w.params))}</List.Item>)}</List>
        </Alert>
      )}
      {refused.length > 0 && (
        <Alert color="red" variant="light" data-testid="resize-refused">
          {refused.join(' ')}
        </Alert>
      )}
      {issues.length === 0 && <Text size="xs" c="dimmed">{t('cal.resize.notice')}</Text>}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose} data-testid="resize-cancel">{t('common.cancel')}</Button>
        <Button onClick={() => void confirm()} loading={busy} disabled={issues.length > 0} data-testid="resize-ok">
          {warnings.length > 0 ? t('cal.resize.saveAnyway') : t('cal.resize.save')}
        </Button>
      </Group>
    </Stack>
  );
}
