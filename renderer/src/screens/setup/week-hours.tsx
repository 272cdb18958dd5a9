import { ActionIcon, Group, Stack, Switch, Table, Text, Tooltip } from '@mantine/core';
import { IconPlus, IconX } from '@tabler/icons-react';
import { WEEKDAYS, type Weekday, type WorkingHours } from '../../../../shared/domain/staff.ts';
import { TimeField } from '../../app/fields.tsx';
import { useI18n } from '../../app/i18n.ts';

/** The weekday's name in the desk's language (5 January 1970 was a Monday). */
export function weekdayName(locale: string, day: Weekday): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(1970, 0, 5 + WEEKDAYS.indexOf(day)));
}

/**
 * A week of hours (the salon's opening hours, a specialist's working hours): a day is open or closed, with one range
 * or more (a lunch break is a second range). Times on the salon's clock; the host checks order and overlaps.
 */
export function WeekHoursEditor({ value, onChange, errors, testId, salonLocale }: { value: WorkingHours; onChange(next: WorkingHours): void; errors?: Readonly<Record<string, string>>; testId: string; salonLocale?: string }) {
  const { t, locale } = useI18n();
  const setDay = (day: Weekday, ranges: WorkingHours[Weekday]) => onChange({ ...value, [day]: ranges });
  return (
    <Table withRowBorders={false} verticalSpacing={4} data-testid={testId}>
      <Table.Tbody>
        {WEEKDAYS.map((day) => {
          const ranges = value[day];
          const open = ranges.length > 0;
          const error = errors?.[day];
          return (
            <Table.Tr key={day} data-testid={`${testId}-${day}`}>
              <Table.Td w={190}>
                <Switch
                  label={weekdayName(locale, day)}
                  checked={open}
                  onChange={(e) => setDay(day, e.currentTarget.checked ? [{ start: '09:00', end: '18:00' }] : [])}
                  data-testid={`${testId}-${day}-open`}
                />
              </Table.Td>
              <Table.Td>
                {!open && (
                  <Text size="sm" c="dimmed">
                    {t('setup.hours.closed')}
                  </Text>
                )}
                <Stack gap={4}>
                  {ranges.map((range, i) => (
                    <Group key={i} gap="xs" wrap="nowrap" align="flex-end">
                      <TimeField label="" w={110} value={range.start} onChange={(start) => setDay(day, ranges.map((r, j) => (j === i ? { ...r, start } : r)))} data-testid={`${testId}-${day}-start-${i}`} {...(salonLocale ? { salonLocale } : {})} />
                      <Text size="sm">–</Text>
                      <TimeField label="" w={110} value={range.end} onChange={(end) => setDay(day, ranges.map((r, j) => (j === i ? { ...r, end } : r)))} data-testid={`${testId}-${day}-end-${i}`} {...(salonLocale ? { salonLocale } : {})} />
                      {i > 0 && (
                        <Tooltip label={t('setup.hours.removeRange')}>
                          <ActionIcon variant="subtle" color="gray" aria-label={t('setup.hours.removeRange')} onClick={() => setDay(day, ranges.filter((_, j) => j !== i))}>
                            <IconX size={16} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                      {i === ranges.length - 1 && ranges.length < 4 && (
                        <Tooltip label={t('setup.hours.addRange')}>
                          <ActionIcon variant="subtle" aria-label={t('setup.hours.addRange')} onClick={() => setDay(day, [...ranges, { start: range.end, end: range.end }])} data-testid={`${testId}-${day}-add`}>
                            <IconPlus size={16} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Group>
                  ))}
                </Stack>
                {error && (
                  <Text size="xs" c="red" role="alert">
                    {error}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

/** A refusal's texts per weekday: host fields like "openingHours.mon[0]" or "workingHours.tue". */
export function hoursErrors(fields: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, text] of Object.entries(fields)) {
    const day = new RegExp(`^${prefix}\\.(\\w+)`).exec(field)?.[1];
    if (day) out[day] = out[day] ? `${out[day]} ${text}` : text;
  }
  return out;
}
