/**
 * The week, readable at a glance: one row per specialist, one column per day, and in each cell that specialist's
 * visits of the day as lines — start time and the client's name, status by colour and word — never initials or
 * "+3" chips. The time of day is in the text; the day view is one click away for the exact layout.
 */
import { memo, useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { Avatar, Text } from '@mantine/core';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import type { Client } from '../../../../shared/domain/client.ts';
import { clientDisplayName } from '../../../../shared/domain/client.ts';
import { scheduleOn, type Staff, type Weekday } from '../../../../shared/domain/staff.ts';
import { hhmmToMinutes } from '../../../../shared/domain/zoned-time.ts';
import type { Translate } from '../../app/i18n.ts';
import { openVisitCard, prefetchVisit } from '../visit-card/prefetch-visit.ts';
import { serviceNames, type BlockEnv, type CalendarLookup } from './appointment-block.tsx';
import { AppointmentHoverCard, createHoverStore } from './hover-card.tsx';
import { statusLabel, type UiFormat } from './ui-format.ts';

export interface WeekRow {
  key: string;
  staff?: Staff;
  label: string;
  /** Visits per local date, sorted by start. */
  byDay: ReadonlyMap<string, readonly Appointment[]>;
}

export interface WeekMatrixProps {
  days: readonly { date: string; weekday: Weekday; header: ReactNode }[];
  rows: readonly WeekRow[];
  clients: ReadonlyMap<string, Client>;
  lookup: CalendarLookup;
  format: UiFormat;
  t: Translate;
  /** An empty part of a cell clicked: book this specialist that day (at the start of their day). */
  onSlot(date: string, staffId: string | undefined, minutes: number): void;
}

export function WeekMatrix({ days, rows, clients, lookup, format, t, onSlot }: WeekMatrixProps) {
  const [store] = useState(createHoverStore);
  const env = useMemo<BlockEnv>(
    () => ({ lookup, format, t, hover: (a, element) => store.set(a && element ? { appointment: a, rect: element.getBoundingClientRect() } : undefined) }),
    [lookup, format, t, store],
  );
  // The names' column is at least 140 px: at 120 a surname beside its avatar broke mid-word ("Hoffma-nn").
  return (
    <div data-testid="calendar-week" className="fd-week" style={{ gridTemplateColumns: `minmax(140px, 160px) repeat(${days.length}, minmax(132px, 1fr))` }}>
      <div className="fd-week-corner" />
      {days.map((d) => (
        <div key={d.date} className="fd-week-head">
          {d.header}
        </div>
      ))}
      {rows.map((row) => (
        <WeekRowView key={row.key} row={row} days={days} clients={clients} env={env} onSlot={onSlot} />
      ))}
      <AppointmentHoverCard store={store} env={env} clients={clients} />
    </div>
  );
}

const WeekRowView = memo(function WeekRowView({ row, days, clients, env, onSlot }: { row: WeekRow; days: WeekMatrixProps['days']; clients: ReadonlyMap<string, Client>; env: BlockEnv; onSlot: WeekMatrixProps['onSlot'] }) {
  const { staff } = row;
  const initials = row.label.split(/\s+/).map((w) => w[0]).join('').slice(0, 2);
  return (
    <>
      <div className="fd-week-staff" data-testid="week-staff">
        {staff ? (
          <Avatar size={28} radius="xl" variant="filled" className="fd-staff-avatar" style={{ flexShrink: 0, '--fd-c': staff.color ?? '#868e96' } as CSSProperties}>
            {initials}
          </Avatar>
        ) : null}
        <Text size="sm" fw={650} title={row.label} style={{ overflowWrap: 'anywhere' }}>
          {row.label}
        </Text>
      </div>
      {days.map((d) => {
        const visits = row.byDay.get(d.date) ?? [];
        const schedule = staff ? scheduleOn(staff, d.date, d.weekday) : undefined;
        const working = schedule?.ranges ?? [];
        const off = schedule?.off !== undefined;
        return (
          <div
            key={d.date}
            className="fd-week-cell"
            data-testid="week-cell"
            data-date={d.date}
            data-staff={staff?.id ?? ''}
            data-off={off || undefined}
            data-off-kind={schedule?.off}
            onClick={(event) => {
              if (event.target === event.currentTarget) onSlot(d.date, staff?.id, working[0] ? hhmmToMinutes(working[0].start) : 10 * 60);
            }}
          >
            {off && visits.length === 0 && <span className="fd-week-off">{env.t(schedule?.off === 'vacation' ? 'cal.vacation' : schedule?.off === 'sickLeave' ? 'cal.sickLeave' : 'cal.dayOff')}</span>}
            {visits.map((a) => (
              <WeekVisit key={a.id} appointment={a} client={clients.get(a.clientId)} env={env} />
            ))}
          </div>
        );
      })}
    </>
  );
});

const WeekVisit = memo(function WeekVisit({ appointment: a, client, env }: { appointment: Appointment; client: Client | undefined; env: BlockEnv }) {
  const staff = env.lookup.staffById.get(a.staffId);
  const name = client ? clientDisplayName(client) : env.t('cal.loadingClient');
  const start = env.format.time(a.startMs);
  const status = statusLabel(env.t, a.status);
  const services = serviceNames(a, env.lookup, env.t);
  return (
      <button
        type="button"
        className="fd-week-visit"
        data-testid="appointment-block"
        data-appointment-id={a.id}
        data-status={a.status}
        style={{ '--fd-c': staff?.color ?? '#868e96' } as CSSProperties}
        // As in the day view: pointed at, focused or pressed, the visit's messages are asked for before the click
        // opens its card.
        onPointerDown={(event) => event.button === 0 && prefetchVisit(a.id)}
        onClick={(event) => {
          event.stopPropagation();
          env.hover(undefined);
          openVisitCard(a.id);
        }}
        onMouseEnter={(event) => {
          env.hover(a, event.currentTarget);
          prefetchVisit(a.id);
        }}
        onMouseLeave={() => env.hover(undefined)}
        onFocus={(event) => {
          env.hover(a, event.currentTarget);
          prefetchVisit(a.id);
        }}
        onBlur={() => env.hover(undefined)}
      >
        <span className="fd-week-time">{start}</span>
        <span className="fd-week-name">{name}</span>
        {a.status !== 'booked' && <span className="fd-week-status">{status}</span>}
        <span className="fd-sr-only">{`, ${services} — ${staff?.name ?? ''}`}</span>
      </button>
  );
});
