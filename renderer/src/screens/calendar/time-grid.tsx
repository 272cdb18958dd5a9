import type { ReactNode } from 'react';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useMantineTheme } from '@mantine/core';
import { isActiveStatus, type Appointment } from '../../../../shared/domain/appointment.ts';
import type { Client } from '../../../../shared/domain/client.ts';
import type { TimeRange } from '../../../../shared/domain/staff.ts';
import { minutesToHhmm, utcToWallClock } from '../../../../shared/domain/zoned-time.ts';
import { useNow } from '../../app/clock.ts';
import { afterNextPaint, whenIdle } from '../../app/when-idle.ts';
import type { Translate } from '../../app/i18n.ts';
import { useSalon } from '../../data/salon.ts';
import { AppointmentBlock, heldBlockText, NO_STAFF_COLOR, type BlockEnv, type CalendarLookup } from './appointment-block.tsx';
import { blockTintRules, themeSchemes } from './block-tints.ts';
import { appointmentEndMs, closedRanges, minutesInto, packIntervals, type Placed } from './calendar-model.ts';
import { keyboardDrop, useBlockDrag, type BlockDrop, type BlockResize } from './block-drag.ts';
import { assignBlockKeys, type BlockKeys } from './block-keys.ts';
import { useColumnWindow } from './column-window.ts';
import { AppointmentHoverCard, createHoverStore } from './hover-card.tsx';
import type { UiFormat } from './ui-format.ts';
import './calendar.css';
import './calendar-small-window.css';

export const PX_PER_MINUTE = 1.15;
const GUTTER = 56;
/** At the latest this long after a day switch, the columns beside the view get their blocks even if the page was never idle. */
const OVERSCAN_AFTER_MS = 200;

export interface GridColumn {
  key: string;
  header: ReactNode;
  /** Local date of this column. */
  date: string;
  /** Working ranges shaded as open; undefined = no shading. Keep the array stable between renders. */
  working?: readonly TimeRange[];
  /** Keep the array stable while its visits are unchanged: the column then skips re-rendering and re-layout. */
  appointments: readonly Appointment[];
  /** For a new booking when an empty slot is clicked. */
  staffId?: string;
  highlight?: boolean;
}

export interface TimeGridProps {
  columns: readonly GridColumn[];
  hours: [number, number];
  clients: ReadonlyMap<string, Client>;
  lookup: CalendarLookup;
  format: UiFormat;
  t: Translate;
  /** Week view: short blocks, side-by-side lanes capped at `maxLanes` with a "+N" per hour for the rest. */
  compact?: boolean;
  maxLanes?: number;
  minColumnWidth: number;
  onSlot(column: GridColumn, minutes: number): void;
  /** "+N more" clicked in a column (week view: open that day). */
  onMore?(date: string): void;
  /** A visit dragged to another time or column (day view); without it blocks cannot be dragged. */
  onDrop?(drop: BlockDrop): void;
  /** A visit's bottom edge dragged to another end (day view). */
  onResize?(resize: BlockResize): void;
  testId: string;
}

/**
 * Memoised: a day switch renders the day view three times (new date, its visits, their clients) and only the last
 * changes what the grid shows; the first two keep every prop (keep them stable: columns, hours, callbacks).
 */
export const TimeGrid = memo(function TimeGrid({ columns, hours, clients, lookup, format, t, compact = false, maxLanes = Infinity, minColumnWidth, onSlot, onMore, onDrop, onResize, testId }: TimeGridProps) {
  const { location } = useSalon();
  const [fromHour, toHour] = hours;
  const height = (toHour - fromHour) * 60 * PX_PER_MINUTE;
  const now = useNow();
  const nowWall = utcToWallClock(now, location.timeZone);
  const hourMarks = useMemo(() => Array.from({ length: toHour - fromHour + 1 }, (_, i) => fromHour + i), [fromHour, toHour]);

  const theme = useMantineTheme();
  // The staff colours' classes (block-tints.ts), made again only when the staff or the theme change.
  const tintRules = useMemo(() => blockTintRules([NO_STAFF_COLOR, ...[...lookup.staffById.values()].flatMap((s) => (s.color ? [s.color] : []))], themeSchemes(theme)), [lookup, theme]);
  const [store] = useState(createHoverStore);
  const env = useMemo<BlockEnv>(
    () => ({ lookup, format, t, hover: (a, element) => store.set(a && element ? { appointment: a, rect: element.getBoundingClientRect() } : undefined) }),
    [lookup, format, t, store],
  );
  // Stable callbacks for the memoised columns; they always call the latest props.
  const latest = useRef({ onSlot, onMore, columns });
  useEffect(() => {
    latest.current = { onSlot, onMore, columns };
  });
  const slot = useCallback((key: string, minutes: number) => {
    const column = latest.current.columns.find((c) => c.key === key);
    if (column) latest.current.onSlot(column, minutes);
  }, []);
  const more = useCallback((date: string) => latest.current.onMore?.(date), []);
  const gridRef = useRef<HTMLDivElement>(null);
  const columnWindow = useColumnWindow(gridRef, columns.length, GUTTER);
  // Another day, and the first: its columns in view render in the switch's (or the start's) own task, those beside the
  // view once the page is idle, after that task's frame (the mounted column on each side is off screen; it is there
  // for Tab and a short scroll).
  const date = columns[0]?.date;
  const [filledDate, setFilledDate] = useState<string | undefined>(undefined);
  const filling = date !== filledDate;
  useEffect(() => {
    if (!filling) return;
    // Idle time can come before the switch's frame (and a busy page reaches the idle timeout first): the fill would
    // then render in that frame. After the paint, then when idle.
    let cancelIdle: (() => void) | undefined;
    const cancelPaint = afterNextPaint(() => (cancelIdle = whenIdle(() => setFilledDate(date), OVERSCAN_AFTER_MS)));
    return () => {
      cancelPaint();
      cancelIdle?.();
    };
  }, [filling, date]);
  const [firstMounted, lastMounted] = filling ? columnWindow.inView : columnWindow.mounted;
  const startDrag = useBlockDrag({
    enabled: onDrop !== undefined,
    pxPerMinute: PX_PER_MINUTE,
    fromHour,
    toHour,
    onDrop: (drop) => onDrop?.(drop),
    ...(onResize ? { onResize: (resize: BlockResize) => onResize(resize) } : {}),
    onStart: () => store.set(undefined),
  });

  return (
    <div
      ref={gridRef}
      data-testid={testId}
      // The date on screen: during a day switch the previous day stays until the next one is loaded.
      data-date={columns[0]?.date}
      onPointerDown={startDrag}
      onKeyDown={onDrop ? (event) => keyboardDrop(event, columns.map((c) => c.key), { fromHour, toHour }, onDrop, onResize) : undefined}
      className="fd-grid"
      // Plain elements with class styles in the grid: Mantine's Box resolved its style object on every render.
      style={{ gridTemplateColumns: `${GUTTER}px repeat(${columns.length}, minmax(${minColumnWidth}px, 1fr))` }}
    >
      <style>{tintRules}</style>
      {/* header row */}
      <div className="fd-grid-head fd-grid-corner" />
      {columns.map((column) => (
        <div key={column.key} className="fd-grid-head" data-highlight={column.highlight || undefined}>
          {column.header}
        </div>
      ))}
      {/* hour gutter */}
      <div className="fd-grid-gutter" style={{ height }}>
        {hourMarks.slice(0, -1).map((h) => (
          // The first hour's label sits just below the header line instead of half under it.
          <span key={h} className="fd-hour-label" data-testid="hour-label" style={{ top: h === fromHour ? 2 : (h - fromHour) * 60 * PX_PER_MINUTE - 8 }}>
            {`${String(h).padStart(2, '0')}:00`}
          </span>
        ))}
      </div>
      {columns.map((column, index) => (
        <ColumnBody
          key={column.key}
          mounted={index >= firstMounted && index <= lastMounted}
          columnKey={column.key}
          date={column.date}
          working={column.working}
          appointments={column.appointments}
          clients={clients}
          fromHour={fromHour}
          toHour={toHour}
          hourMarks={hourMarks}
          timeZone={location.timeZone}
          compact={compact}
          maxLanes={maxLanes}
          env={env}
          draggable={onDrop !== undefined}
          onSlot={slot}
          onMore={more}
          nowMinutes={nowWall.date === column.date ? nowWall.minutes : undefined}
        />
      ))}
      <AppointmentHoverCard store={store} env={env} clients={clients} />
    </div>
  );
});

interface ColumnBodyProps {
  /** Off screen (see column-window.ts): only the column's box and open hours, no blocks or hour lines. */
  mounted: boolean;
  columnKey: string;
  date: string;
  working: readonly TimeRange[] | undefined;
  appointments: readonly Appointment[];
  clients: ReadonlyMap<string, Client>;
  fromHour: number;
  toHour: number;
  hourMarks: readonly number[];
  timeZone: string;
  compact: boolean;
  maxLanes: number;
  env: BlockEnv;
  /** Blocks of visits still to happen can be dragged (day view). */
  draggable: boolean;
  onSlot(key: string, minutes: number): void;
  onMore(date: string): void;
  nowMinutes: number | undefined;
}

/** Re-render a column only when something it shows changed — including only the clients of its own visits. */
function sameColumn(prev: ColumnBodyProps, next: ColumnBodyProps): boolean {
  // An off-screen column shows its box, open hours and visit count only: a day switch leaves it alone.
  if (!prev.mounted && !next.mounted) {
    return prev.working === next.working && prev.fromHour === next.fromHour && prev.toHour === next.toHour && prev.columnKey === next.columnKey && prev.appointments.length === next.appointments.length;
  }
  for (const key of Object.keys(next) as (keyof ColumnBodyProps)[]) {
    if (key === 'clients') continue;
    if (prev[key] !== next[key]) return false;
  }
  if (prev.clients === next.clients) return true;
  return next.appointments.every((a) => prev.clients.get(a.clientId) === next.clients.get(a.clientId));
}

interface ColumnLayout {
  visible: readonly Placed<{ a: Appointment; startMin: number; endMin: number }>[];
  /** Week view: hidden visits per hour, as [hour, count]. */
  more: readonly (readonly [number, number])[];
}

const OFF_SCREEN_LAYOUT: ColumnLayout = { visible: [], more: [] };

const ColumnBody = memo(function ColumnBody(props: ColumnBodyProps) {
  const { mounted, columnKey, date, working, appointments, clients, fromHour, toHour, hourMarks, timeZone, compact, maxLanes, env, draggable, onSlot, onMore, nowMinutes } = props;
  const height = (toHour - fromHour) * 60 * PX_PER_MINUTE;
  const layout = useMemo<ColumnLayout>(() => {
    // One object for every off-screen column: a new one at each switch changed its block keys' state during render,
    // and React ran each such column twice.
    if (!mounted) return OFF_SCREEN_LAYOUT;
    const blocks = appointments.map((a) => {
      const startMin = minutesInto(date, a.startMs, timeZone);
      return { a, startMin, endMin: Math.max(minutesInto(date, appointmentEndMs(a), timeZone), startMin + 15) };
    });
    const { placed, clusters } = packIntervals(blocks, (b) => b.startMin, (b) => b.endMin);
    // Crowded clusters (week view): the first lanes show visits, the last lane says "+N" per hour for the rest.
    const visible: typeof placed = [];
    const hiddenByHour = new Map<number, number>();
    for (const p of placed) {
      const lanes = clusters[p.cluster]!.lanes;
      if (lanes <= maxLanes) visible.push(p);
      else if (p.lane < maxLanes - 1) visible.push({ ...p, lanes: maxLanes, span: Math.min(p.span, maxLanes - 1 - p.lane) });
      else {
        const hour = Math.floor(p.item.startMin / 60);
        hiddenByHour.set(hour, (hiddenByHour.get(hour) ?? 0) + 1);
      }
    }
    return { visible, more: [...hiddenByHour] };
  }, [mounted, appointments, date, timeZone, maxLanes]);

  const top = (minutes: number) => (minutes - fromHour * 60) * PX_PER_MINUTE;
  // Only the hours outside work are hatched. A hatched column under plain open hours painted the stripes beneath every
  // block, and a day switch re-rasters the tiles of the blocks it changes (software raster: a third of its raster time).
  const closed = useMemo(() => (working ? closedRanges(working, fromHour * 60, toHour * 60) : []), [working, fromHour, toHour]);
  const gap = compact ? 1 : 3;
  // Texts per visit, computed once per layout / client change / language — the blocks get only primitives.
  const blocks = useMemo(
    () =>
      layout.visible.map(({ item, lane, lanes, span }) => {
        const narrow = compact && span / lanes < 0.34;
        return {
          a: item.a,
          narrow,
          startMin: item.startMin,
          endMin: item.endMin,
          height: (item.endMin - item.startMin) * PX_PER_MINUTE,
          left: `calc(${(lane / lanes) * 100}% + ${lane === 0 ? gap + 1 : gap / 2}px)`,
          width: `calc(${(100 * span) / lanes}% - ${lane === 0 || lane + span === lanes ? gap * 1.5 + 1 : gap}px)`,
          text: heldBlockText(item.a, clients.get(item.a.clientId), compact, narrow, env.lookup, env.format, env.t),
        };
      }),
    [layout, clients, compact, gap, env],
  );
  // The keys of the previous layout, advanced during render when the layout changes (block-keys.ts).
  const [keyed, setKeyed] = useState<{ layout: typeof layout | undefined; keys: BlockKeys | undefined }>({ layout: undefined, keys: undefined });
  let keys = keyed.keys;
  if (keyed.layout !== layout) {
    keys = assignBlockKeys(keyed.keys, date, layout.visible.map((p) => p.item.a.id));
    setKeyed({ layout, keys });
  }
  return (
    <div
      data-testid="calendar-column"
      data-column={columnKey}
      data-closed={working ? '' : undefined}
      data-visits={appointments.length}
      data-mounted={mounted || undefined}
      className="fd-column"
      onClick={(event) => {
        if (event.target !== event.currentTarget) return;
        const y = event.nativeEvent.offsetY;
        onSlot(columnKey, fromHour * 60 + Math.floor(y / PX_PER_MINUTE / 15) * 15);
      }}
      style={{ height }}
    >
      {closed.map(([start, end]) => (
        <div key={start} className="fd-closed-range" data-from={minutesToHhmm(start)} data-to={minutesToHhmm(end)} style={{ top: top(start), height: (end - start) * PX_PER_MINUTE }} />
      ))}
      {mounted && hourMarks.slice(1, -1).map((h) => (
        <div key={h} className="fd-hour-line" style={{ top: top(h * 60) }} />
      ))}
      {mounted && hourMarks.slice(0, -1).map((h) => (
        <div key={`half-${h}`} className="fd-half-line" style={{ top: top(h * 60 + 30) }} />
      ))}
      {mounted && nowMinutes !== undefined && nowMinutes >= fromHour * 60 && nowMinutes <= toHour * 60 && (
        <div data-testid="now-line" title={env.t('cal.now', { time: minutesToHhmm(nowMinutes) })} style={{ position: 'absolute', left: 0, right: 0, zIndex: 3, pointerEvents: 'none', top: top(nowMinutes), borderTop: '2px solid var(--mantine-color-red-6)' }}>
          <span style={{ position: 'absolute', left: -4, top: -5, width: 8, height: 8, borderRadius: 4, background: 'var(--mantine-color-red-6)' }} />
        </div>
      )}
      {blocks.map((b) => (
        <AppointmentBlock
          key={keys?.byId.get(b.a.id) ?? b.a.id}
          appointment={b.a}
          compact={compact}
          narrow={b.narrow}
          env={env}
          startMin={b.startMin}
          endMin={b.endMin}
          draggable={draggable && isActiveStatus(b.a.status)}
          top={top(b.startMin) + 1}
          height={b.height}
          left={b.left}
          width={b.width}
          tint={b.text.tint}
          start={b.text.start}
          range={b.text.range}
          name={b.text.name}
          services={b.text.services}
          statusText={b.text.statusText}
          details={b.text.details}
        />
      ))}
      {layout.more.map(([hour, count]) => (
        <button
          key={`more-${hour}`}
          type="button"
          data-testid="week-more"
          title={env.t('cal.moreHint', { count })}
          aria-label={env.t('cal.more', { count })}
          onClick={(event) => {
            event.stopPropagation();
            onMore(date);
          }}
          style={{
            position: 'absolute', zIndex: 2, cursor: 'pointer', top: top(hour * 60) + 2, height: 60 * PX_PER_MINUTE - 4,
            left: `calc(${((maxLanes - 1) / maxLanes) * 100}% + 1px)`, width: `calc(${100 / maxLanes}% - 3px)`,
            border: '1px dashed var(--mantine-color-default-border)', borderRadius: 4, background: 'var(--mantine-color-default)',
            color: 'var(--mantine-color-dimmed)', font: 'inherit', fontSize: 11, fontWeight: 600, padding: 0,
          }}
        >
          +{count}
        </button>
      ))}
    </div>
  );
}, sameColumn);
