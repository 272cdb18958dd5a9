import { useCallback, useEffect, useMemo, useState } from 'react';
import { ActionIcon, Avatar, Button, Group, Kbd, SegmentedControl, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconChevronLeft, IconChevronRight, IconPlus } from '@tabler/icons-react';
import type { Staff } from '../../../../shared/domain/staff.ts';
import { addDaysToLocalDate, wallClockToUtc } from '../../../../shared/domain/zoned-time.ts';
import { isActiveStatus } from '../../../../shared/domain/appointment.ts';
import { navigate, type Route } from '../../app/router.ts';
import { useAppointmentsBetween, useClientsByIds } from '../../data/queries.ts';
import { SalonGate } from '../../data/salon-gate.tsx';
import { useFormat, useSalon } from '../../data/salon.ts';
import { BookingForm, type BookingDraft } from './booking-form.tsx';
import { calendarStaff, DATE_PATTERN, dayRange, gridHours, minutesInto, todayIn, weekDates, weekdayOf, type CalendarView } from './calendar-model.ts';
import { TimeGrid, type GridColumn } from './time-grid.tsx';

/** Route: #/calendar/<day|week>/<YYYY-MM-DD>. */
export function CalendarScreen({ route }: { route: Route }) {
  return (
    <SalonGate>
      <Calendar route={route} />
    </SalonGate>
  );
}

function Calendar({ route }: { route: Route }) {
  const { location } = useSalon();
  const view: CalendarView = route.params[0] === 'week' ? 'week' : 'day';
  const today = todayIn(location.timeZone);
  const date = route.params[1] && DATE_PATTERN.test(route.params[1]) ? route.params[1] : today;
  const [draft, setDraft] = useState<BookingDraft | undefined>();

  const go = useCallback(
    (nextView: CalendarView, nextDate: string) => navigate({ screen: 'calendar', params: [nextView, nextDate], ...(route.visitId ? { visitId: route.visitId } : {}) }),
    [route.visitId],
  );
  const step = view === 'week' ? 7 : 1;

  useEffect(() => {
    let lastKey = { key: '', at: 0 };
    const onKey = (event: KeyboardEvent) => {
      const previous = lastKey;
      lastKey = { key: event.key, at: event.timeStamp };
      // "g then …" belongs to the app's navigation shortcuts.
      if (previous.key === 'g' && event.timeStamp - previous.at < 1500) return;
      const target = event.target as HTMLElement | null;
      if (event.ctrlKey || event.metaKey || event.altKey || draft || route.visitId) return;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      if (document.querySelector('[role="dialog"]')) return;
      const key = event.key;
      if (key === 'ArrowLeft') go(view, addDaysToLocalDate(date, -step));
      else if (key === 'ArrowRight') go(view, addDaysToLocalDate(date, step));
      else if (key === 't' || key === 'T') go(view, today);
      else if (key === 'd' || key === 'D') go('day', date);
      else if (key === 'w' || key === 'W') go('week', date);
      else if (key === 'n' || key === 'N') setDraft({ date });
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, view, date, step, today, draft, route.visitId]);

  return (
    <Stack gap="sm" data-testid="calendar-screen" data-view={view} data-date={date}>
      <CalendarToolbar view={view} date={date} today={today} go={go} step={step} onNew={() => setDraft({ date })} />
      {view === 'day' ? <DayView date={date} onSlot={setDraft} /> : <WeekView date={date} today={today} onSlot={setDraft} onOpenDay={(d) => go('day', d)} />}
      <BookingForm draft={draft} onClose={() => setDraft(undefined)} />
    </Stack>
  );
}

function CalendarToolbar({ view, date, today, go, step, onNew }: { view: CalendarView; date: string; today: string; go: (v: CalendarView, d: string) => void; step: number; onNew: () => void }) {
  const { location } = useSalon();
  const format = useFormat();
  const noon = wallClockToUtc(date, '12:00', location.timeZone);
  const week = weekDates(date, location.timeZone);
  const title =
    view === 'day'
      ? new Intl.DateTimeFormat('en-GB', { timeZone: location.timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(noon)
      : `${format.date(wallClockToUtc(week[0]!, '12:00', location.timeZone)).replace(/, \d{4}$/, '')} – ${format.date(wallClockToUtc(week[6]!, '12:00', location.timeZone))}`;
  return (
    <Group justify="space-between" wrap="nowrap">
      <Group gap="xs" wrap="nowrap">
        <Tooltip label={<><Kbd size="xs">T</Kbd> today · <Kbd size="xs">←</Kbd> <Kbd size="xs">→</Kbd> browse · <Kbd size="xs">D</Kbd> <Kbd size="xs">W</Kbd> view · <Kbd size="xs">N</Kbd> new booking</>}>
        <Button variant="default" size="sm" style={{ flexShrink: 0 }} onClick={() => go(view, today)} data-testid="calendar-today" disabled={view === 'day' ? date === today : week.includes(today)}>
          Today
        </Button>
        </Tooltip>
        <Tooltip label={<>Previous <Kbd size="xs">←</Kbd></>}>
          <ActionIcon variant="default" size="lg" aria-label="Previous" onClick={() => go(view, addDaysToLocalDate(date, -step))} data-testid="calendar-prev">
            <IconChevronLeft size={18} />
          </ActionIcon>
        </Tooltip>
        <Tooltip label={<>Next <Kbd size="xs">→</Kbd></>}>
          <ActionIcon variant="default" size="lg" aria-label="Next" onClick={() => go(view, addDaysToLocalDate(date, step))} data-testid="calendar-next">
            <IconChevronRight size={18} />
          </ActionIcon>
        </Tooltip>
        <Title order={3} fw={650} ml="xs" data-testid="calendar-title" style={{ whiteSpace: 'nowrap' }}>
          {title}
        </Title>
      </Group>
      <Group gap="sm" wrap="nowrap">
        <SegmentedControl value={view} onChange={(v) => go(v as CalendarView, date)} data={[{ value: 'day', label: 'Day' }, { value: 'week', label: 'Week' }]} data-testid="calendar-view" />
        <Button leftSection={<IconPlus size={16} />} onClick={onNew} data-testid="new-booking">
          New booking
        </Button>
      </Group>
    </Group>
  );
}

function DayView({ date, onSlot }: { date: string; onSlot: (draft: BookingDraft) => void }) {
  const salon = useSalon();
  const { location } = salon;
  const [from, to] = dayRange(date, location.timeZone);
  const appointments = useAppointmentsBetween(location.id, from, to);
  const clients = useClientsByIds(appointments.docs.map((a) => a.clientId));
  const weekday = weekdayOf(date, location.timeZone);
  const staff = calendarStaff(salon.staff);
  const columns: GridColumn[] = staff.map((s) => {
    const own = appointments.docs.filter((a) => a.staffId === s.id);
    return {
      key: s.id,
      date,
      staffId: s.id,
      working: s.workingHours[weekday],
      appointments: own,
      header: <StaffHeader staff={s} count={own.filter((a) => isActiveStatus(a.status) || a.status === 'completed').length} off={s.workingHours[weekday].length === 0} />,
    };
  });
  // Visits of people who are no longer calendar columns still show, in their own column.
  const orphans = appointments.docs.filter((a) => !staff.some((s) => s.id === a.staffId));
  if (orphans.length > 0) columns.push({ key: 'other', date, appointments: orphans, header: <Text size="sm" fw={600}>Other staff</Text> });
  const hours = useMemo(
    () => gridHours(staff, [weekday], appointments.docs.map((a) => ({ startMin: minutesInto(date, a.startMs, location.timeZone), endMin: minutesInto(date, Date.parse(a.end), location.timeZone) }))),
    [staff, weekday, appointments.docs, date, location.timeZone],
  );
  return (
    <TimeGrid
      testId="calendar-day"
      columns={columns}
      hours={hours}
      clients={clients}
      minColumnWidth={170}
      onSlot={(column, minutes) => onSlot({ date, minutes, ...(column.staffId ? { staffId: column.staffId } : {}) })}
    />
  );
}

function StaffHeader({ staff, count, off }: { staff: Staff; count: number; off: boolean }) {
  const initials = staff.name.split(/\s+/).map((w) => w[0]).join('').slice(0, 2);
  return (
    <Group gap={8} wrap="nowrap" data-testid="staff-column-header">
      <Avatar size={34} radius="xl" color={staff.color ?? 'gray'} variant="filled">
        {initials}
      </Avatar>
      <div style={{ minWidth: 0 }}>
        <Text size="sm" fw={650} truncate>{staff.name}</Text>
        <Text size="xs" c="dimmed" truncate>
          {off ? 'Day off' : `${count} ${count === 1 ? 'visit' : 'visits'}`}{staff.title ? ` · ${staff.title}` : ''}
        </Text>
      </div>
    </Group>
  );
}

function WeekView({ date, today, onSlot, onOpenDay }: { date: string; today: string; onSlot: (draft: BookingDraft) => void; onOpenDay: (date: string) => void }) {
  const salon = useSalon();
  const { location } = salon;
  const days = weekDates(date, location.timeZone);
  const from = dayRange(days[0]!, location.timeZone)[0];
  const to = dayRange(days[6]!, location.timeZone)[1];
  const appointments = useAppointmentsBetween(location.id, from, to);
  const clients = useClientsByIds(appointments.docs.map((a) => a.clientId));
  const format = useFormat();
  const staff = calendarStaff(salon.staff);
  const byDay = new Map(days.map((d) => [d, [] as typeof appointments.docs]));
  for (const a of appointments.docs) byDay.get(format.localDate(a.startMs))?.push(a);
  const weekdays = days.map((d) => weekdayOf(d, location.timeZone));
  const hours = gridHours(staff, weekdays, []);
  const headerFormat = new Intl.DateTimeFormat('en-GB', { timeZone: location.timeZone, weekday: 'short', day: 'numeric', month: 'short' });
  const columns: GridColumn[] = days.map((d) => {
    const list = byDay.get(d) ?? [];
    const active = list.filter((a) => isActiveStatus(a.status) || a.status === 'completed').length;
    return {
      key: d,
      date: d,
      appointments: list,
      highlight: d === today,
      header: (
        <Stack gap={0} style={{ cursor: 'pointer' }} onClick={() => onOpenDay(d)} data-testid="week-day-header">
          <Text size="sm" fw={650} c={d === today ? 'var(--mantine-primary-color-filled)' : undefined}>{headerFormat.format(wallClockToUtc(d, '12:00', location.timeZone))}</Text>
          <Text size="xs" c="dimmed">{active === 0 ? 'No visits' : `${active} ${active === 1 ? 'visit' : 'visits'}`}</Text>
        </Stack>
      ),
    };
  });
  return (
    <Stack gap={6}>
      <TimeGrid testId="calendar-week" columns={columns} hours={hours} clients={clients} compact minColumnWidth={150} fixedLane={(a) => ({ lane: Math.max(0, staff.findIndex((s) => s.id === a.staffId)), lanes: Math.max(1, staff.length) })} onSlot={(column, minutes) => onSlot({ date: column.date, minutes })} />
      <Group gap="md">
        {staff.map((s) => (
          <Group key={s.id} gap={6}>
            <span style={{ width: 10, height: 10, borderRadius: 3, background: s.color ?? '#868e96', display: 'inline-block' }} />
            <Text size="xs" c="dimmed">{s.name}</Text>
          </Group>
        ))}
      </Group>
    </Stack>
  );
}
