/**
 * The confirmation a visit dragged in the day grid asks for before anything is written: the visit before and after
 * (time, specialist), what the form would refuse (a time the clocks skip, a specialist who does not do one of the
 * services — Move disabled, with the reason) and what it would warn about (overlaps, outside working hours, the past).
 * Confirmed, it sends the same commands as the visit card: move, then re-assign when the column changed; the host
 * checks again, and a refusal shows here in the desk's words.
 */
import { useState } from 'react';
import { Alert, Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import { bookingWarnings, instantOf, offeredIssues, staffIssues } from '../../../../shared/domain/booking-edits.ts';
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
    <Modal opened={request !== undefined} onClose={onClose} closeButtonProps={{ 'aria-label': t('common.close') }} title={<Text fw={700}>{t('cal.drop.title')}</Text>} data-testid="drop-confirm">
      {request && <DropConfirmBody request={request} onClose={onClose} />}
    </Modal>
  );
}

function DropConfirmBody({ request, onClose }: { request: DropRequest; onClose(): void }) {
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
  const time = minutesToHhmm(request.startMinutes);
  const start = instantOf({ date: request.date, time }, location.timeZone, 'start');
  const durationMs = Date.parse(a.end) - a.startMs;
  const staff = salon.staffById.get(request.staffId);
  const services = a.serviceIds.map((id) => salon.serviceById.get(id)).filter((s) => s !== undefined);
  const staffChanged = request.staffId !== a.staffId;
  const timeChanged = !start.ok || start.ms !== a.startMs;
  const dayFrom = wallClockToUtc(request.date, '00:00', location.timeZone);
  const sameDay = useAppointmentsBetween(location.id, dayFrom, wallClockToUtc(addDaysToLocalDate(request.date, 1), '00:00', location.timeZone));

  const issues: Issue[] = [];
  if (!start.ok) issues.push(...start.issues);
  if (staffChanged) {
    const problems = staffIssues(staff, request.staffId, a.locationId);
    issues.push(...problems);
    if (staff && problems.length === 0) issues.push(...offeredIssues(staff, services, () => 'staffId'));
  }
  const warnings =
    start.ok && staff
      ? bookingWarnings({
          id: a.id,
          clientId: a.clientId,
          staff,
          startMs: start.ms,
          endMs: start.ms + durationMs,
          timeZone: location.timeZone,
          others: sameDay.docs,
          now,
          describe: (other) => `${format.time(other.startMs)}–${format.time(Date.parse(other.end))}`,
        })
      : [];
  const describe = (startMs: number, staffName: string | undefined) =>
    `${format.date(startMs)}, ${format.time(startMs)}–${format.time(startMs + durationMs)} · ${staffName ?? t('cal.unknownStaff')}`;

  async function confirm() {
    if (!start.ok) return;
    setBusy(true);
    setRefused([]);
    try {
      let revision = revisionOf(a);
      if (timeChanged) revision = (await api.call('appointments.move', { appointmentId: a.id, expectedRevision: revision, start: { date: request.date, time } })).revision;
      if (staffChanged) await api.call('appointments.reassign', { appointmentId: a.id, expectedRevision: revision, staffId: request.staffId });
      onClose();
    } catch (error) {
      const refusal = refusalOf(error, i18n, []);
      setRefused([...refusal.general, ...Object.values(refusal.fields)]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="sm" data-testid="drop-confirm-body">
      <Text size="sm">{t('cal.drop.question', { client: client ? clientDisplayName(client) : '…' })}</Text>
      <Text size="sm" c="dimmed" data-testid="drop-before">
        {t('cal.drop.before')}: {describe(a.startMs, salon.staffById.get(a.staffId)?.name)}
      </Text>
      <Text size="sm" fw={600} data-testid="drop-after">
        {t('cal.drop.after')}: {start.ok ? describe(start.ms, staff?.name) : `${request.date} ${time} · ${staff?.name ?? t('cal.unknownStaff')}`}
      </Text>
      {issues.length > 0 && (
        <Alert color="red" variant="light" data-testid="drop-issues">
          <List size="sm">{issues.map((i) => <List.Item key={i.code + (i.field ?? '')}>{issueText(i18n, i)}</List.Item>)}</List>
        </Alert>
      )}
      {warnings.length > 0 && (
        <Alert color="yellow" variant="light" title={t('cal.drop.check')} data-testid="drop-warnings">
          <List size="sm">{warnings.map((w) => <List.Item key={w.kind + (w.appointmentId ?? '')}>{t(`booking.warning.${w.kind}`, issueParams(i18n, w.params))}</List.Item>)}</List>
        </Alert>
      )}
      {refused.length > 0 && (
        <Alert color="red" variant="light" data-testid="drop-refused">
          {refused.join(' ')}
        </Alert>
      )}
      {issues.length === 0 && <Text size="xs" c="dimmed">{t('cal.drop.notice')}</Text>}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose} data-testid="drop-cancel">{t('common.cancel')}</Button>
        <Button onClick={() => void confirm()} loading={busy} disabled={issues.length > 0} data-testid="drop-ok">
          {warnings.length > 0 ? t('cal.drop.moveAnyway') : t('visit.moveSave')}
        </Button>
      </Group>
    </Stack>
  );
}
