/**
 * The visit card's way to make a visit longer or shorter without dragging (a pointer or keyboard alternative to the
 * day view's resize): a new end time on the same day; the start stays. It sends `appointments.changeDuration`, a
 * length change, never a move — the client keeps their time and gets no change alert.
 */
import { useState } from 'react';
import { Button, Group, Text } from '@mantine/core';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import { utcToWallClock } from '../../../../shared/domain/zoned-time.ts';
import { TimeField } from '../../app/fields.tsx';
import { useI18n } from '../../app/i18n.ts';
import { useUnsavedChanges } from '../../app/unsaved.ts';
import { useSalon } from '../../data/salon.ts';

export function LengthForm({ appointment, errors, busy, onSave }: { appointment: Appointment; errors: Record<string, string>; busy: boolean; onSave(end: { date: string; time: string }): void }) {
  const { location } = useSalon();
  const { t } = useI18n();
  const end = utcToWallClock(Date.parse(appointment.end), location.timeZone);
  const [time, setTime] = useState(end.time);
  useUnsavedChanges(time !== end.time);
  return (
    <Group mt="sm" align="flex-start" gap="sm">
      <TimeField label={t('visit.newEnd')} value={time} onChange={setTime} error={errors['end.time'] ?? errors['end.date'] ?? errors['end']} data-testid="length-end" w={200} />
      <Button mt={25} loading={busy} onClick={() => onSave({ date: end.date, time })} type="submit" data-testid="length-save">{t('cal.resize.save')}</Button>
      <Text mt={30} size="xs" c="dimmed" maw={260}>{t('visit.lengthHint')}</Text>
    </Group>
  );
}
