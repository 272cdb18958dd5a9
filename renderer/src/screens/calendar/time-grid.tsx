import type { ReactNode } from 'react';
import { useEffect, useState } from 'react';
import { Box, Text } from '@mantine/core';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import type { Client } from '../../../../shared/domain/client.ts';
import type { TimeRange } from '../../../../shared/domain/staff.ts';
import { hhmmToMinutes, minutesToHhmm, utcToWallClock } from '../../../../shared/domain/zoned-time.ts';
import { useSalon } from '../../data/salon.ts';
import { AppointmentBlock } from './appointment-block.tsx';
import { appointmentEndMs, layoutLanes, minutesInto } from './calendar-model.ts';

export const PX_PER_MINUTE = 1.15;
const HEADER_HEIGHT = 64;
const GUTTER = 56;

export interface GridColumn {
  key: string;
  header: ReactNode;
  /** Local date of this column. */
  date: string;
  /** Working ranges shaded as open; undefined = no shading. */
  working?: readonly TimeRange[];
  appointments: readonly Appointment[];
  /** For a new booking when an empty slot is clicked. */
  staffId?: string;
  highlight?: boolean;
}

export interface TimeGridProps {
  columns: readonly GridColumn[];
  hours: [number, number];
  clients: Map<string, Client>;
  compact?: boolean;
  minColumnWidth: number;
  onSlot(column: GridColumn, minutes: number): void;
  testId: string;
  /** Fixed sub-columns (week view: one per specialist) instead of lanes by overlap. */
  fixedLane?: (appointment: Appointment) => { lane: number; lanes: number };
}

export function TimeGrid({ columns, hours, clients, compact = false, minColumnWidth, onSlot, testId, fixedLane }: TimeGridProps) {
  const { location } = useSalon();
  const [fromHour, toHour] = hours;
  const height = (toHour - fromHour) * 60 * PX_PER_MINUTE;
  const now = useNow();
  const nowWall = utcToWallClock(now, location.timeZone);
  const hourMarks = Array.from({ length: toHour - fromHour + 1 }, (_, i) => fromHour + i);

  return (
    <Box
      data-testid={testId}
      style={{
        display: 'grid',
        gridTemplateColumns: `${GUTTER}px repeat(${columns.length}, minmax(${minColumnWidth}px, 1fr))`,
        border: '1px solid var(--mantine-color-default-border)',
        borderRadius: 'var(--mantine-radius-md)',
        background: 'var(--mantine-color-body)',
        overflow: 'auto',
        maxHeight: 'calc(100vh - 190px)',
        position: 'relative',
      }}
    >
      {/* header row */}
      <Box style={{ ...stickyHeader, left: 0, zIndex: 5 }} />
      {columns.map((column) => (
        <Box key={column.key} style={{ ...stickyHeader, borderLeft: '1px solid var(--mantine-color-default-border)', background: column.highlight ? 'var(--mantine-primary-color-light)' : stickyHeader.background }}>
          {column.header}
        </Box>
      ))}
      {/* hour gutter */}
      <Box style={{ position: 'sticky', left: 0, zIndex: 4, height, background: 'var(--mantine-color-body)' }}>
        {hourMarks.slice(0, -1).map((h) => (
          <Text key={h} size="xs" c="dimmed" ta="right" pr={8} style={{ position: 'absolute', top: (h - fromHour) * 60 * PX_PER_MINUTE - 7, right: 0, left: 0 }}>
            {h === fromHour ? '' : `${String(h).padStart(2, '0')}:00`}
          </Text>
        ))}
      </Box>
      {columns.map((column) => {
        const blocks = column.appointments.map((a) => ({
          a,
          startMin: minutesInto(column.date, a.startMs, location.timeZone),
          endMin: Math.max(minutesInto(column.date, appointmentEndMs(a), location.timeZone), minutesInto(column.date, a.startMs, location.timeZone) + 15),
        }));
        const placed = fixedLane ? blocks.map((item) => ({ item, ...fixedLane(item.a) })) : layoutLanes(blocks, (b) => b.startMin, (b) => b.endMin);
        return (
          <Box
            key={column.key}
            data-testid="calendar-column"
            data-column={column.key}
            onClick={(event) => {
              if (event.target !== event.currentTarget) return;
              const y = event.nativeEvent.offsetY;
              const minutes = fromHour * 60 + Math.floor(y / PX_PER_MINUTE / 15) * 15;
              onSlot(column, minutes);
            }}
            style={{
              position: 'relative',
              height,
              borderLeft: '1px solid var(--mantine-color-default-border)',
              cursor: 'copy',
              background: column.working ? closedBackground : undefined,
            }}
          >
            {column.working?.map((r) => (
              <Box
                key={r.start}
                style={{
                  position: 'absolute', left: 0, right: 0, pointerEvents: 'none',
                  top: (hhmmToMinutes(r.start) - fromHour * 60) * PX_PER_MINUTE,
                  height: (hhmmToMinutes(r.end) - hhmmToMinutes(r.start)) * PX_PER_MINUTE,
                  background: 'var(--mantine-color-body)',
                }}
              />
            ))}
            {hourMarks.slice(1, -1).map((h) => (
              <Box key={h} style={{ position: 'absolute', left: 0, right: 0, top: (h - fromHour) * 60 * PX_PER_MINUTE, borderTop: '1px solid var(--mantine-color-default-border)', pointerEvents: 'none' }} />
            ))}
            {hourMarks.slice(0, -1).map((h) => (
              <Box key={`half-${h}`} style={{ position: 'absolute', left: 0, right: 0, top: ((h - fromHour) * 60 + 30) * PX_PER_MINUTE, borderTop: '1px dashed color-mix(in srgb, var(--mantine-color-default-border) 60%, transparent)', pointerEvents: 'none' }} />
            ))}
            {nowWall.date === column.date && nowWall.minutes >= fromHour * 60 && nowWall.minutes <= toHour * 60 && (
              <Box data-testid="now-line" title={`Now ${minutesToHhmm(nowWall.minutes)}`} style={{ position: 'absolute', left: 0, right: 0, zIndex: 3, pointerEvents: 'none', top: (nowWall.minutes - fromHour * 60) * PX_PER_MINUTE, borderTop: '2px solid var(--mantine-color-red-6)' }} />
            )}
            {placed.map(({ item, lane, lanes }) => (
              <AppointmentBlock
                key={item.a.id}
                appointment={item.a}
                client={clients.get(item.a.clientId)}
                compact={compact}
                top={(item.startMin - fromHour * 60) * PX_PER_MINUTE + 1}
                height={(item.endMin - item.startMin) * PX_PER_MINUTE}
                left={`calc(${(lane / lanes) * 100}% + ${fixedLane ? 1 : 3}px)`}
                width={`calc(${100 / lanes}% - ${fixedLane ? 2 : 6}px)`}
              />
            ))}
          </Box>
        );
      })}
    </Box>
  );
}

const stickyHeader = {
  position: 'sticky' as const,
  top: 0,
  zIndex: 4,
  height: HEADER_HEIGHT,
  background: 'var(--mantine-color-body)',
  borderBottom: '1px solid var(--mantine-color-default-border)',
  padding: '8px 10px',
  overflow: 'hidden',
};

const closedBackground =
  'repeating-linear-gradient(135deg, var(--mantine-color-default-hover) 0 8px, color-mix(in srgb, var(--mantine-color-default-hover) 40%, var(--mantine-color-body)) 8px 16px)';

function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
