/**
 * The shell a change made in the day grid (a drag to another time or specialist, a resize) is confirmed in before
 * anything is written: the visit before and after, what the form would refuse (the confirm button disabled, with the
 * reason), what it would warn about (overlaps, outside working hours, time off), and a refusal from the host in the
 * desk's words. One shell, so the drag and the resize confirmations look and behave alike; each change brings its
 * own wording, checks and commands.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import { bookingWarnings, type BookingWarning } from '../../../../shared/domain/booking-edits.ts';
import { clientDisplayName } from '../../../../shared/domain/client.ts';
import type { Issue } from '../../../../shared/domain/issues.ts';
import type { Staff } from '../../../../shared/domain/staff.ts';
import { addDaysToLocalDate, wallClockToUtc } from '../../../../shared/domain/zoned-time.ts';
import { useNow } from '../../app/clock.ts';
import { useI18n } from '../../app/i18n.ts';
import { issueParams, issueText, refusalOf } from '../../app/issues.ts';
import { useRxDocument } from '../../data/hooks.ts';
import { useAppointmentsBetween } from '../../data/queries.ts';
import { useSalon } from '../../data/salon.ts';
import { useUiFormat } from './ui-format.ts';

export function ChangeConfirmModal({ opened, title, testId, onClose, children }: { opened: boolean; title: string; testId: string; onClose(): void; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <Modal opened={opened} onClose={onClose} closeButtonProps={{ 'aria-label': t('common.close') }} title={<Text fw={700}>{title}</Text>} data-testid={testId}>
      {children}
    </Modal>
  );
}

/**
 * The warnings for `appointment` at `date` between `startMs` and `endMs` with `staff`, against the other visits of
 * that day (undefined times: nothing to check yet). A visit in the past warns only when the change moves it there.
 */
export function useChangeWarnings(appointment: Appointment, date: string, staff: Staff | undefined, startMs: number | undefined, endMs: number | undefined): { warnings: BookingWarning[]; checked: boolean } {
  const { location } = useSalon();
  const format = useUiFormat();
  const now = useNow();
  const dayFrom = wallClockToUtc(date, '00:00', location.timeZone);
  const sameDay = useAppointmentsBetween(location.id, dayFrom, wallClockToUtc(addDaysToLocalDate(date, 1), '00:00', location.timeZone));
  if (!staff || startMs === undefined || endMs === undefined) return { warnings: [], checked: true };
  const warnings = bookingWarnings({
    id: appointment.id,
    clientId: appointment.clientId,
    staff,
    startMs,
    endMs,
    timeZone: location.timeZone,
    others: sameDay.docs,
    now,
    describe: (other) => `${format.time(other.startMs)}–${format.time(Date.parse(other.end))}`,
  });
  return { warnings, checked: sameDay.fresh };
}

export interface ChangeConfirmBodyProps {
  appointment: Appointment;
  /** Prefix of the test ids: `<testId>-confirm-body`, `-before`, `-after`, `-issues`, `-warnings`, `-refused`, `-ok`, `-cancel`. */
  testId: string;
  /** The question, with `{client}` filled in here once the client is known. */
  question(client: string): string;
  before: string;
  after: string;
  issues: readonly Issue[];
  warnings: readonly BookingWarning[];
  /** The warnings are known: the day's other visits are read. */
  checked: boolean;
  warningsTitle: string;
  notice: string;
  okLabel: string;
  /** Sends the change; a refusal (thrown) stays on the dialog, in the desk's words. */
  send(): Promise<void>;
  onClose(): void;
}

export function ChangeConfirmBody({ appointment, testId, question, before, after, issues, warnings, checked, warningsTitle, notice, okLabel, send, onClose }: ChangeConfirmBodyProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<readonly string[]>([]);
  const { doc: client } = useRxDocument('clients', appointment.clientId);
  const ok = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  // Enter confirms the change only when it is what was asked for and nothing is wrong with it: Alt+↓ pressed once too
  // often, onto the next visit or a break, must not go through on the next Enter. The modal's trap starts on the
  // button marked [data-autofocus]; until the day's visits are read that is Cancel, and focus moves on once they are.
  const enterConfirms = checked && issues.length === 0 && warnings.length === 0;
  useEffect(() => {
    if (!enterConfirms) return;
    // After the modal's trap, which focuses a task after the dialog opens; not when the receptionist moved on.
    const timer = setTimeout(() => {
      const active = document.activeElement;
      if (active === cancel.current || active === document.body || !active?.closest('[role="dialog"]')) ok.current?.focus();
    });
    return () => clearTimeout(timer);
  }, [enterConfirms]);

  async function confirm() {
    setBusy(true);
    setRefused([]);
    try {
      await send();
      onClose();
    } catch (error) {
      const refusal = refusalOf(error, i18n, []);
      setRefused([...refusal.general, ...Object.values(refusal.fields)]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="sm" data-testid={`${testId}-confirm-body`} data-checked={checked || undefined}>
      <Text size="sm">{question(client ? clientDisplayName(client) : '…')}</Text>
      <Text size="sm" c="dimmed" data-testid={`${testId}-before`}>
        {t('cal.drop.before')}: {before}
      </Text>
      <Text size="sm" fw={600} data-testid={`${testId}-after`}>
        {t('cal.drop.after')}: {after}
      </Text>
      {issues.length > 0 && (
        <Alert color="red" variant="light" data-testid={`${testId}-issues`}>
          <List size="sm">{issues.map((i) => <List.Item key={i.code + (i.field ?? '')}>{issueText(i18n, i)}</List.Item>)}</List>
        </Alert>
      )}
      {warnings.length > 0 && (
        <Alert color="yellow" variant="light" title={warningsTitle} data-testid={`${testId}-warnings`}>
          <List size="sm">{warnings.map((w) => <List.Item key={w.kind + (w.appointmentId ?? '')}>{t(`booking.warning.${w.kind}`, issueParams(i18n, w.params))}</List.Item>)}</List>
        </Alert>
      )}
      {refused.length > 0 && (
        <Alert color="red" variant="light" data-testid={`${testId}-refused`}>
          {refused.join(' ')}
        </Alert>
      )}
      {issues.length === 0 && <Text size="xs" c="dimmed">{notice}</Text>}
      <Group justify="flex-end" className="fd-dialog-actions">
        <Button ref={cancel} variant="default" onClick={onClose} data-testid={`${testId}-cancel`} data-autofocus={!enterConfirms || undefined}>{t('common.cancel')}</Button>
        <Button ref={ok} data-autofocus={enterConfirms || undefined} onClick={() => void confirm()} loading={busy} disabled={issues.length > 0} data-testid={`${testId}-ok`}>
          {okLabel}
        </Button>
      </Group>
    </Stack>
  );
}
