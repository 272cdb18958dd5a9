/**
 * The week of a staff member (each day: off, or up to four ranges — a second range makes a break) and their days off
 * and vacations on dates. Times are "HH:MM" on the salon's clock; dates "YYYY-MM-DD" in the salon's zone.
 */
import { ActionIcon, Button, Group, NativeSelect, Stack, Switch, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { TIME_OFF_KINDS, WEEKDAYS, type TimeOff, type Weekday, type WorkingHours } from '../../../../shared/domain/staff.ts';
import { DateField } from '../../app/fields.tsx';
import { useI18n } from '../../app/i18n.ts';

const DEFAULT_DAY = [{ start: '09:00', end: '18:00' }];

export function weekdayLabel(locale: string, day: Weekday): string {
  // 5 January 1970 was a Monday.
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(1970, 0, 5 + WEEKDAYS.indexOf(day)));
}

/**
 * A week of hours: a staff member's (`field` "workingHours", the default) or the salon's opening hours (`field`
 * "openingHours", in the set-up and the salon settings). `errors` are keyed by request field ("<field>.mon.0").
 */
export function HoursEditor({ hours, onChange, errors, field = 'workingHours', testId = 'staff-hours', idPrefix = 'hours' }: { hours: WorkingHours; onChange(next: WorkingHours): void; errors: Readonly<Record<string, string>>; field?: string; testId?: string; idPrefix?: string }) {
  const { t, locale } = useI18n();
  const setDay = (day: Weekday, ranges: WorkingHours[Weekday]) => onChange({ ...hours, [day]: ranges });
  return (
    <Table verticalSpacing={4} data-testid={testId}>
      <Table.Tbody>
        {WEEKDAYS.map((day) => {
          const ranges = hours[day];
          const error = Object.entries(errors).filter(([key]) => key === `${field}.${day}` || key.startsWith(`${field}.${day}.`)).map(([, text]) => text).join(' ');
          return (
            <Table.Tr key={day} data-testid={`${idPrefix}-${day}`}>
              <Table.Td w={150}>
                <Switch
                  label={weekdayLabel(locale, day)}
                  checked={ranges.length > 0}
                  onChange={(e) => setDay(day, e.currentTarget.checked ? DEFAULT_DAY : [])}
                  data-testid={`${idPrefix}-${day}-works`}
                />
              </Table.Td>
              <Table.Td>
                {ranges.length === 0 ? (
                  <Text size="sm" c="dimmed">{t('cal.dayOff')}</Text>
                ) : (
                  <Group gap="xs" wrap="wrap">
                    {ranges.map((range, i) => (
                      <Group key={i} gap={4} wrap="nowrap">
                        <TextInput size="xs" w={72} maxLength={5} placeholder="09:00" inputMode="numeric" aria-label={t('staff.hours.from', { day: weekdayLabel(locale, day) })} value={range.start} onChange={(e) => setDay(day, ranges.map((r, j) => (j === i ? { ...r, start: e.currentTarget.value } : r)))} data-testid={`${idPrefix}-${day}-${i}-start`} />
                        <Text size="sm">–</Text>
                        <TextInput size="xs" w={72} maxLength={5} placeholder="09:00" inputMode="numeric" aria-label={t('staff.hours.to', { day: weekdayLabel(locale, day) })} value={range.end} onChange={(e) => setDay(day, ranges.map((r, j) => (j === i ? { ...r, end: e.currentTarget.value } : r)))} data-testid={`${idPrefix}-${day}-${i}-end`} />
                        {ranges.length > 1 && (
                          <Tooltip label={t('staff.hours.removeRange')}>
                            <ActionIcon variant="subtle" color="gray" aria-label={t('staff.hours.removeRange')} onClick={() => setDay(day, ranges.filter((_, j) => j !== i))}>
                              <IconTrash size={14} />
                            </ActionIcon>
                          </Tooltip>
                        )}
                      </Group>
                    ))}
                    {ranges.length < 4 && (
                      <Button size="compact-xs" variant="subtle" leftSection={<IconPlus size={12} />} onClick={() => setDay(day, splitForBreak(ranges))} data-testid={`${idPrefix}-${day}-break`}>
                        {t('staff.hours.addBreak')}
                      </Button>
                    )}
                  </Group>
                )}
                {error && <Text size="xs" c="red" mt={2}>{error}</Text>}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

/** A break: the last range split around its middle hour (09:00–18:00 → 09:00–13:00, 14:00–18:00). */
function splitForBreak(ranges: WorkingHours[Weekday]): WorkingHours[Weekday] {
  const last = ranges[ranges.length - 1]!;
  const [sh, sm] = last.start.split(':').map(Number) as [number, number];
  const [eh] = last.end.split(':').map(Number) as [number, number];
  const middle = Math.floor((sh + eh) / 2);
  if (middle <= sh || middle + 1 >= eh) return [...ranges, { start: last.end, end: last.end }];
  const pad = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return [...ranges.slice(0, -1), { start: `${String(sh).padStart(2, '0')}:${String(sm).padStart(2, '0')}`, end: pad(middle) }, { start: pad(middle + 1), end: last.end }];
}

export function TimeOffEditor({ list, onChange, errors, today }: { list: TimeOff[]; onChange(next: TimeOff[]): void; errors: Readonly<Record<string, string>>; today: string }) {
  const { t } = useI18n();
  const set = (i: number, change: Partial<TimeOff>) => onChange(list.map((item, j) => (j === i ? { ...item, ...change } : item)));
  return (
    <Stack gap="xs" data-testid="staff-time-off">
      {list.length === 0 && <Text size="sm" c="dimmed">{t('staff.timeOff.none')}</Text>}
      {list.map((item, i) => {
        const error = Object.entries(errors).filter(([key]) => key.startsWith(`timeOff.${i}`)).map(([, text]) => text).join(' ');
        return (
          <div key={i}>
            <Group gap="xs" align="flex-end" wrap="wrap" data-testid="time-off-row">
              <NativeSelect size="xs" label={t('staff.timeOff.kind')} data={TIME_OFF_KINDS.map((k) => ({ value: k, label: t(`staff.timeOff.${k}`) }))} value={item.kind} onChange={(e) => set(i, { kind: e.currentTarget.value as TimeOff['kind'] })} data-testid="time-off-kind" />
              <DateField size="xs" w={130} label={t('staff.timeOff.from')} value={item.from} onChange={(from) => set(i, { from, ...(from && item.to < from ? { to: from } : {}) })} data-testid="time-off-from" />
              <DateField size="xs" w={130} label={t('staff.timeOff.to')} value={item.to} onChange={(to) => set(i, { to })} data-testid="time-off-to" />
              <TextInput size="xs" label={t('staff.timeOff.note')} maxLength={200} value={item.note ?? ''} onChange={(e) => set(i, { note: e.currentTarget.value })} w={200} />
              <ActionIcon variant="subtle" color="gray" mb={4} aria-label={t('staff.timeOff.remove')} onClick={() => onChange(list.filter((_, j) => j !== i))}>
                <IconTrash size={14} />
              </ActionIcon>
            </Group>
            {error && <Text size="xs" c="red" mt={2}>{error}</Text>}
          </div>
        );
      })}
      <Group>
        <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => onChange([...list, { from: today, to: today, kind: 'dayOff' }])} data-testid="time-off-add">
          {t('staff.timeOff.add')}
        </Button>
      </Group>
    </Stack>
  );
}
