import { lazy, memo, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ActionIcon, Button, Center, Group, Kbd, Loader, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { SettledTooltip } from '../../app/settled-tooltip.tsx';
import { SegmentedRadios } from '../../app/segmented-radios.tsx';
import { IconChevronLeft, IconChevronRight, IconPlus } from '@tabler/icons-react';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import type { Client } from '../../../../shared/domain/client.ts';
import { scheduleOn, type Staff, type TimeOffKind } from '../../../../shared/domain/staff.ts';
import { addDaysToLocalDate, utcToWallClock, wallClockToUtc } from '../../../../shared/domain/zoned-time.ts';
import { isActiveStatus } from '../../../../shared/domain/appointment.ts';
import { useI18n } from '../../app/i18n.ts';
import { markStart } from '../../app/start-marks.ts';
import { navigate, type Route } from '../../app/router.ts';
import { useAppointmentsBetween, useClientsOf } from '../../data/queries.ts';
import { useShownWhenReady } from '../../data/hooks.ts';
import { SalonGate } from '../../data/salon-gate.tsx';
import { useSalon } from '../../data/salon.ts';
import type { CalendarLookup } from './appointment-block.tsx';
import type { BlockDrop, BlockResize } from './block-drag.ts';
import type { BookingDraft } from './booking-form.tsx';
import { DropConfirm, type DropRequest } from './drop-confirm.tsx';
import { useNeighbourDaysPrefetch } from './prefetch-day.ts';
import { ResizeConfirm, type ResizeRequest } from './resize-confirm.tsx';
import { calendarStaff, DATE_PATTERN, dayRange, gridHours, stableGroups, todayIn, visitsExtent, weekDates, weekdayOf, type CalendarView } from './calendar-model.ts';
import { TimeGrid, type GridColumn } from './time-grid.tsx';
import { WeekMatrix, type WeekRow } from './week-matrix.tsx';
import { useUiFormat } from './ui-format.ts';

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

  // Browsing days and weeks: the history entry follows the paint, not the click (router.ts).
  const go = useCallback(
    (nextView: CalendarView, nextDate: string) => navigate({ screen: 'calendar', params: [nextView, nextDate], ...(route.visitId ? { visitId: route.visitId } : {}) }, { historyAfterPaint: true }),
    [route.visitId],
  );
  const step = view === 'week' ? 7 : 1;
  const openDay = useCallback((d: string) => go('day', d), [go]);
  const closeForm = useCallback(() => setDraft(undefined), []);

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
      {view === 'day' ? <DayView date={date} onSlot={setDraft} /> : <WeekView date={date} today={today} onSlot={setDraft} onOpenDay={openDay} />}
      <BookingFormOnDemand draft={draft} onClose={closeForm} />
    </Stack>
  );
}

// The booking form, with the phone-number and date-input libraries it needs, is not part of the start: it loads a while
// after the calendar opened (or at the first booking, if that comes sooner), and stays mounted after, as before.
const loadBookingForm = () => import('./booking-form.tsx');
const BookingForm = lazy(() => loadBookingForm().then((m) => ({ default: m.BookingForm })));
const BOOKING_FORM_PREFETCH_MS = 4000;

function BookingFormOnDemand({ draft, onClose }: { draft: BookingDraft | undefined; onClose: () => void }) {
  const [wanted, setWanted] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => void loadBookingForm().catch(() => undefined), BOOKING_FORM_PREFETCH_MS);
    return () => clearTimeout(timer);
  }, []);
  if (draft && !wanted) setWanted(true);
  if (!wanted) return null;
  return (
    <Suspense fallback={null}>
      <BookingForm draft={draft} onClose={onClose} />
    </Suspense>
  );
}

function CalendarToolbar({ view, date, today, go, step, onNew }: { view: CalendarView; date: string; today: string; go: (v: CalendarView, d: string) => void; step: number; onNew: () => void }) {
  const { location } = useSalon();
  const format = useUiFormat();
  const noon = (d: string) => wallClockToUtc(d, '12:00', location.timeZone);
  // The week's dates only in the week view: each costs zone arithmetic, at every day switch.
  const week = view === 'week' ? weekDates(date, location.timeZone) : undefined;
  const title = !week ? format.longDate(noon(date)) : `${format.dayMonth(noon(week[0]!))} – ${format.date(noon(week[6]!))}`;
  // The buttons' handlers read the latest date through a ref: stable, so a day switch re-renders only the title.
  const latest = useRef({ view, date, today, go, step, onNew });
  useEffect(() => {
    latest.current = { view, date, today, go, step, onNew };
  });
  const actions = useMemo<ToolbarActions>(
    () => ({
      today: () => latest.current.go(latest.current.view, latest.current.today),
      step: (direction) => latest.current.go(latest.current.view, addDaysToLocalDate(latest.current.date, direction * latest.current.step)),
      view: (next) => latest.current.go(next, latest.current.date),
      create: () => latest.current.onNew(),
    }),
    [],
  );
  return (
    <Group justify="space-between" wrap="nowrap" gap="sm" className="fd-toolbar">
      <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
        <ToolbarNavigation todayShown={week ? week.includes(today) : date === today} actions={actions} />
        <Title order={3} fw={650} ml="xs" data-testid="calendar-title" className="fd-cal-title">
          {title}
        </Title>
      </Group>
      <ToolbarEnd view={view} actions={actions} />
    </Group>
  );
}

interface ToolbarActions {
  today(): void;
  step(direction: 1 | -1): void;
  view(next: CalendarView): void;
  create(): void;
}

/** Today, previous and next with their tooltips; memoised (Mantine's tooltips cost a few ms per render). */
const ToolbarNavigation = memo(function ToolbarNavigation({ todayShown, actions }: { todayShown: boolean; actions: ToolbarActions }) {
  const { t } = useI18n();
  return (
    <>
      <SettledTooltip label={<><Kbd size="xs">T</Kbd> {t('cal.kbd.today')} · <Kbd size="xs">←</Kbd> <Kbd size="xs">→</Kbd> {t('cal.kbd.browse')} · <Kbd size="xs">D</Kbd> <Kbd size="xs">W</Kbd> {t('cal.kbd.view')} · <Kbd size="xs">N</Kbd> {t('cal.kbd.new')} · <Kbd size="xs">Alt</Kbd>+<Kbd size="xs">↑</Kbd><Kbd size="xs">↓</Kbd><Kbd size="xs">←</Kbd><Kbd size="xs">→</Kbd> {t('cal.kbd.moveVisit')} · <Kbd size="xs">Alt</Kbd>+<Kbd size="xs">Shift</Kbd>+<Kbd size="xs">↑</Kbd><Kbd size="xs">↓</Kbd> {t('cal.kbd.resizeVisit')}</>}>
        <Button variant="default" size="sm" style={{ flexShrink: 0 }} onClick={actions.today} data-testid="calendar-today" disabled={todayShown}>
          {t('cal.today')}
        </Button>
      </SettledTooltip>
      <SettledTooltip label={<>{t('cal.prev')} <Kbd size="xs">←</Kbd></>}>
        <ActionIcon variant="default" size="lg" aria-label={t('cal.prev')} onClick={() => actions.step(-1)} data-testid="calendar-prev">
          <IconChevronLeft size={18} />
        </ActionIcon>
      </SettledTooltip>
      <SettledTooltip label={<>{t('cal.next')} <Kbd size="xs">→</Kbd></>}>
        <ActionIcon variant="default" size="lg" aria-label={t('cal.next')} onClick={() => actions.step(1)} data-testid="calendar-next">
          <IconChevronRight size={18} />
        </ActionIcon>
      </SettledTooltip>
    </>
  );
});

const ToolbarEnd = memo(function ToolbarEnd({ view, actions }: { view: CalendarView; actions: ToolbarActions }) {
  const { t } = useI18n();
  return (
    <Group gap="sm" wrap="nowrap">
      <SegmentedRadios value={view} onChange={actions.view} options={[{ value: 'day', label: t('cal.day') }, { value: 'week', label: t('cal.week') }]} data-testid="calendar-view" />
      <Button leftSection={<IconPlus size={16} />} onClick={actions.create} data-testid="new-booking" className="fd-new-booking" aria-label={t('cal.newBooking')}>
        <span className="fd-new-booking-label">{t('cal.newBooking')}</span>
      </Button>
    </Group>
  );
});

/** Staff and services by id, rebuilt only when those collections emit (the salon context object is not stable). */
function useLookup(): CalendarLookup {
  const { staff, services } = useSalon();
  return useMemo(() => ({ staffById: new Map(staff.map((s) => [s.id, s])), serviceById: new Map(services.map((s) => [s.id, s])) }), [staff, services]);
}

/** Groups visits by a key, keeping the previous array of every group whose visits did not change. */
function useStableGroups(docs: readonly Appointment[], keys: readonly string[], keyOf: (a: Appointment) => string | undefined): Map<string, readonly Appointment[]> {
  const joined = keys.join('|');
  const next = useMemo(() => {
    const grouped = new Map<string, Appointment[]>(joined.split('|').map((k) => [k, []]));
    for (const a of docs) {
      const key = keyOf(a);
      if (key !== undefined) grouped.get(key)?.push(a);
    }
    return grouped;
  }, [docs, joined, keyOf]);
  // The previous render's groups, kept in state and updated during render (React's "value from the previous render").
  const [held, setHeld] = useState<{ next: Map<string, Appointment[]> | undefined; groups: Map<string, readonly Appointment[]> }>({ next: undefined, groups: new Map() });
  if (held.next === next) return held.groups;
  const groups = stableGroups(held.groups, next);
  setHeld({ next, groups });
  return groups;
}

const NO_CLIENTS: ReadonlyMap<string, Client> = new Map();

interface WeekSnapshot {
  docs: readonly Appointment[];
  clients: ReadonlyMap<string, Client>;
}

const EMPTY_WEEK: WeekSnapshot = { docs: [], clients: NO_CLIENTS };

interface DaySnapshot {
  date: string;
  docs: readonly Appointment[];
  clients: ReadonlyMap<string, Client>;
}

/** Memoised: opening a visit changes the route, and the day's 600 visits need not be looked at again for that. */
const DayView = memo(function DayView({ date, onSlot }: { date: string; onSlot: (draft: BookingDraft) => void }) {
  const salon = useSalon();
  const { location } = salon;
  const format = useUiFormat();
  const { t } = useI18n();
  const lookup = useLookup();
  const [from, to] = dayRange(date, location.timeZone);
  const appointments = useAppointmentsBetween(location.id, from, to);
  const appointmentsFresh = appointments.fresh;
  if (appointmentsFresh) markStart('appointments_answered');
  const clientIds = useMemo(() => appointments.docs.map((a) => a.clientId), [appointments.docs]);
  const { clients, fresh: clientsFresh } = useClientsOf(clientIds);
  // A day switch keeps the previous day on screen until the new day's visits and their clients are both loaded, then
  // swaps in one render: no pass with the old visits at the new date, none with "Loading…" names.
  const ready = appointmentsFresh && clientsFresh;
  if (ready) markStart('day_ready');
  const live = useMemo<DaySnapshot>(() => ({ date, docs: appointments.docs, clients }), [date, appointments.docs, clients]);
  const view = useShownWhenReady(live, ready, { date, docs: NONE, clients: NO_CLIENTS });
  useNeighbourDaysPrefetch(location, date, ready);
  const weekday = weekdayOf(view.date, location.timeZone);
  const staff = useMemo(() => calendarStaff(salon.staff), [salon.staff]);
  const staffIds = useMemo(() => [...staff.map((s) => s.id), 'other'], [staff]);
  const columnIds = useMemo(() => new Set(staffIds), [staffIds]);
  const columnOf = useCallback((a: Appointment) => (columnIds.has(a.staffId) ? a.staffId : 'other'), [columnIds]);
  const groups = useStableGroups(view.docs, staffIds, columnOf);
  // Rebuilt when the visits change, not at each of a day switch's renders (route, visits, then their clients).
  const columns = useMemo(() => {
    const built: GridColumn[] = staff.map((s) => {
      const own = groups.get(s.id) ?? NONE;
      // Days off and vacations on this date win over the weekly hours: the column is shaded all day.
      const schedule = scheduleOn(s, view.date, weekday);
      const off = schedule.off !== undefined;
      return {
        key: s.id,
        date: view.date,
        staffId: s.id,
        working: schedule.ranges,
        appointments: own,
        header: <StaffHeader staff={s} sub={off && own.length === 0 ? t(offLabel(schedule.off)) : format.visits(own.filter((a) => isActiveStatus(a.status) || a.status === 'completed').length)} off={schedule.off} />,
      };
    });
    // Visits of people who are no longer calendar columns still show, in their own column.
    const orphans = groups.get('other') ?? NONE;
    if (orphans.length > 0) built.push({ key: 'other', date: view.date, appointments: orphans, header: <Text size="sm" fw={600}>{t('cal.otherStaff')}</Text> });
    return built;
  }, [staff, groups, view.date, weekday, t, format]);
  const hours = useMemo(
    () => gridHours(staff, [weekday], visitsExtent(view.date, view.docs, location.timeZone)),
    [staff, weekday, view.docs, view.date, location.timeZone],
  );
  const slot = useCallback((column: GridColumn, minutes: number) => onSlot({ date: column.date, minutes, ...(column.staffId ? { staffId: column.staffId } : {}) }), [onSlot]);
  const [dropped, setDropped] = useState<DropRequest | undefined>();
  const drop = useCallback(
    (d: BlockDrop) => {
      const appointment = view.docs.find((a) => a.id === d.appointmentId);
      // The "other staff" column is no specialist to move a visit to.
      const staffId = d.columnKey === 'other' ? appointment?.staffId : d.columnKey;
      if (appointment && staffId) setDropped({ appointment, date: view.date, staffId, startMinutes: d.startMinutes });
    },
    [view.docs, view.date],
  );
  const closeDrop = useCallback(() => setDropped(undefined), []);
  const [resized, setResized] = useState<ResizeRequest | undefined>();
  const resize = useCallback(
    (r: BlockResize) => {
      const appointment = view.docs.find((a) => a.id === r.appointmentId);
      if (appointment) setResized({ appointment, date: view.date, endMinutes: r.endMinutes });
    },
    [view.docs, view.date],
  );
  const closeResize = useCallback(() => setResized(undefined), []);
  // Until a day was ready once, a loader, not an empty grid: an empty day reads as "no bookings", and at the start its
  // 30 columns were rendered, laid out and painted while the first day's visits were already in (start5's traces).
  const [everReady, setEverReady] = useState(ready);
  if (ready && !everReady) setEverReady(true);
  if (!everReady && !ready) {
    return (
      <Center h={200} data-testid="calendar-day-loading">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  return (
    <Stack gap={6}>
      <TimeGrid testId="calendar-day" columns={columns} hours={hours} clients={view.clients} lookup={lookup} format={format} t={t} minColumnWidth={170} onSlot={slot} onDrop={drop} onResize={resize} />
      <DropConfirm request={dropped} onClose={closeDrop} />
      <ResizeConfirm request={resized} onClose={closeResize} />
      {ready && view.docs.length === 0 && <EmptyHint text={t('cal.emptyDay')} />}
    </Stack>
  );
});

const NONE: readonly Appointment[] = [];

function EmptyHint({ text }: { text: string }) {
  return (
    <Text size="sm" c="dimmed" ta="center" data-testid="calendar-empty">
      {text}
    </Text>
  );
}

/** Memoised with primitive props besides the (stable) staff doc: a day switch re-renders only headers whose count changed. */
/** The calendar's word for a day without working hours: a weekly day off or a dated day off, vacation, sick leave. */
export function offLabel(off: 'weekly' | TimeOffKind | undefined): 'cal.dayOff' | 'cal.vacation' | 'cal.sickLeave' {
  return off === 'vacation' ? 'cal.vacation' : off === 'sickLeave' ? 'cal.sickLeave' : 'cal.dayOff';
}

const StaffHeader = memo(function StaffHeader({ staff, sub, off }: { staff: Staff; sub: string; off: 'weekly' | TimeOffKind | undefined }) {
  const initials = staff.name.split(/\s+/).map((w) => w[0]).join('').slice(0, 2);
  const subTitle = staff.title ? `${sub} · ${staff.title}` : sub;
  // Plain elements styled like Mantine's Avatar and Text (calendar.css): 30 headers re-render on every day switch.
  return (
    <div className="fd-staff-head" data-testid="staff-column-header" data-off={off ? true : undefined} data-off-kind={off}>
      <span className="fd-staff-avatar fd-head-avatar" style={{ '--fd-c': staff.color ?? '#868e96' } as React.CSSProperties}>
        {initials}
      </span>
      <div className="fd-staff-text">
        <p className="fd-staff-name" title={staff.name}>{staff.name}</p>
        <p className="fd-staff-sub" title={subTitle}>{subTitle}</p>
      </div>
    </div>
  );
});

const WeekView = memo(function WeekView({ date, today, onSlot, onOpenDay }: { date: string; today: string; onSlot: (draft: BookingDraft) => void; onOpenDay: (date: string) => void }) {
  const salon = useSalon();
  const { location } = salon;
  const format = useUiFormat();
  const { t } = useI18n();
  const lookup = useLookup();
  const days = useMemo(() => weekDates(date, location.timeZone), [date, location.timeZone]);
  const from = dayRange(days[0]!, location.timeZone)[0];
  const to = dayRange(days[6]!, location.timeZone)[1];
  const appointments = useAppointmentsBetween(location.id, from, to);
  const clientIds = useMemo(() => appointments.docs.map((a) => a.clientId), [appointments.docs]);
  const { clients: liveClients, fresh: clientsFresh } = useClientsOf(clientIds);
  // As in the day view: the previous week stays until this week's visits and their clients are both loaded.
  const ready = appointments.fresh && clientsFresh;
  const live = useMemo<WeekSnapshot>(() => ({ docs: appointments.docs, clients: liveClients }), [appointments.docs, liveClients]);
  const { docs, clients } = useShownWhenReady(live, ready, EMPTY_WEEK);
  const staff = useMemo(() => calendarStaff(salon.staff), [salon.staff]);
  const rows = useMemo<WeekRow[]>(() => {
    const byStaff = new Map<string, Map<string, Appointment[]>>();
    const known = new Set(staff.map((s) => s.id));
    for (const a of docs) {
      const key = known.has(a.staffId) ? a.staffId : 'other';
      const day = utcToWallClock(a.startMs, location.timeZone).date;
      const perDay = byStaff.get(key) ?? new Map<string, Appointment[]>();
      perDay.set(day, [...(perDay.get(day) ?? []), a]);
      byStaff.set(key, perDay);
    }
    const list: WeekRow[] = staff.map((s) => ({ key: s.id, staff: s, label: s.name, byDay: byStaff.get(s.id) ?? new Map() }));
    if (byStaff.has('other')) list.push({ key: 'other', label: t('cal.otherStaff'), byDay: byStaff.get('other')! });
    return list;
  }, [docs, staff, location.timeZone, t]);
  const columns = days.map((d) => {
    const list = docs.filter((a) => utcToWallClock(a.startMs, location.timeZone).date === d);
    const active = list.filter((a) => isActiveStatus(a.status) || a.status === 'completed').length;
    const isToday = d === today;
    return {
      date: d,
      weekday: weekdayOf(d, location.timeZone),
      header: (
        <UnstyledButton onClick={() => onOpenDay(d)} data-testid="week-day-header" data-date={d} data-today={isToday || undefined} title={t('cal.openDay')} style={{ display: 'block', width: '100%' }}>
          <Text size="sm" fw={650} className={isToday ? 'fd-today-title' : undefined} truncate>
            {format.dayHeader(wallClockToUtc(d, '12:00', location.timeZone))}
          </Text>
          <Text size="xs" c="dimmed" truncate>{active === 0 ? t('cal.noVisits') : format.visits(active)}</Text>
        </UnstyledButton>
      ),
    };
  });
  const slot = useCallback((day: string, staffId: string | undefined, minutes: number) => onSlot({ date: day, minutes, ...(staffId ? { staffId } : {}) }), [onSlot]);
  return (
    <Stack gap={6}>
      <WeekMatrix days={columns} rows={rows} clients={clients} lookup={lookup} format={format} t={t} onSlot={slot} />
      {ready && docs.length === 0 && <EmptyHint text={t('cal.emptyWeek')} />}
    </Stack>
  );
});
