import { memo, type CSSProperties } from 'react';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import type { Client } from '../../../../shared/domain/client.ts';
import { clientDisplayName } from '../../../../shared/domain/client.ts';
import type { Service } from '../../../../shared/domain/service.ts';
import type { Staff } from '../../../../shared/domain/staff.ts';
import type { Translate } from '../../app/i18n.ts';
import { openVisit } from '../../app/router.ts';
import { appointmentEndMs, shortName } from './calendar-model.ts';
import { statusLabel, type UiFormat } from './ui-format.ts';

/** Staff and services by id, built once per emission of those collections (not per render of the salon context). */
export interface CalendarLookup {
  staffById: ReadonlyMap<string, Staff>;
  serviceById: ReadonlyMap<string, Service>;
}

/** What a block needs to describe itself; stable while language, zone and the salon's staff/services are unchanged. */
export interface BlockEnv {
  lookup: CalendarLookup;
  format: UiFormat;
  t: Translate;
  /** Shows the hover card for a block (or hides it with undefined). */
  hover(appointment: Appointment | undefined, element?: HTMLElement): void;
}

export interface BlockProps {
  appointment: Appointment;
  client: Client | undefined;
  top: number;
  height: number;
  left: string;
  width: string;
  /** Week view: time + short client name, details in the hover card. */
  compact?: boolean;
  /** Many side-by-side lanes: initials only. */
  narrow?: boolean;
  env: BlockEnv;
}

export const STATUS_ACCENT: Record<Appointment['status'], string | undefined> = {
  booked: undefined,
  confirmed: 'var(--mantine-color-indigo-5)',
  arrived: 'var(--mantine-color-teal-5)',
  completed: 'var(--mantine-color-gray-5)',
  cancelled: 'var(--mantine-color-red-5)',
  noShow: 'var(--mantine-color-orange-5)',
};

export function serviceNames(a: Appointment, lookup: CalendarLookup, t: Translate): string {
  return a.serviceIds.map((id) => lookup.serviceById.get(id)?.name ?? t('cal.removedService')).join(', ');
}

const lineStyle: CSSProperties = { display: 'block', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', fontSize: 12, lineHeight: '16px' };
const dimmed: CSSProperties = { ...lineStyle, color: 'var(--mantine-color-dimmed)' };

export const AppointmentBlock = memo(function AppointmentBlock({ appointment: a, client, top, height, left, width, compact = false, narrow = false, env }: BlockProps) {
  const { lookup, format, t } = env;
  const staff = lookup.staffById.get(a.staffId);
  const color = staff?.color ?? '#868e96';
  const inactive = a.status === 'cancelled' || a.status === 'noShow';
  const done = a.status === 'completed';
  const services = serviceNames(a, lookup, t);
  const fullName = client ? clientDisplayName(client) : t('cal.loadingClient');
  const name = client ? (compact ? shortName(client, narrow) : fullName) : '…';
  const start = format.time(a.startMs);
  const range = `${start}–${format.time(appointmentEndMs(a))}`;
  const accent = STATUS_ACCENT[a.status];
  const status = statusLabel(t, a.status);
  const h = Math.max(height - 2, compact ? 16 : 18);
  // In the week a two-line block shows the time above the name; one line packs both.
  const twoLines = compact && h >= 34 && !narrow;
  return (
    <button
      type="button"
      onClick={(event) => {
        event.stopPropagation();
        env.hover(undefined);
        openVisit(a.id);
      }}
      onMouseEnter={(event) => env.hover(a, event.currentTarget)}
      onMouseLeave={() => env.hover(undefined)}
      onFocus={(event) => env.hover(a, event.currentTarget)}
      onBlur={() => env.hover(undefined)}
      data-testid="appointment-block"
      data-appointment-id={a.id}
      data-status={a.status}
      aria-label={`${range} ${fullName}: ${services} — ${staff?.name ?? t('cal.unknownStaff')} — ${status}`}
      className="fd-block"
      style={{
        position: 'absolute',
        top,
        height: h,
        left,
        width,
        padding: compact ? (narrow ? '1px 2px 1px 4px' : '2px 4px 2px 6px') : '4px 8px 4px 9px',
        textAlign: 'left',
        cursor: 'pointer',
        overflow: 'hidden',
        border: 'none',
        borderLeft: `${compact ? 3 : 4}px solid ${color}`,
        borderRadius: compact ? 4 : 6,
        font: 'inherit',
        color: done ? 'var(--mantine-color-dimmed)' : 'var(--mantine-color-text)',
        background: inactive
          ? `repeating-linear-gradient(135deg, color-mix(in srgb, ${color} 8%, var(--mantine-color-body)) 0 6px, color-mix(in srgb, ${color} 18%, var(--mantine-color-body)) 6px 12px)`
          : `color-mix(in srgb, ${color} ${done ? 9 : 18}%, var(--mantine-color-body))`,
        boxShadow: inactive ? 'none' : `0 0 0 1px color-mix(in srgb, ${color} 22%, transparent)`,
        opacity: inactive ? 0.7 : 1,
        zIndex: 2,
        outlineOffset: 1,
      }}
    >
      {compact ? (
        narrow ? (
          <span style={{ ...lineStyle, fontSize: 11, fontWeight: 600, textDecoration: inactive ? 'line-through' : undefined }}>{name}</span>
        ) : twoLines ? (
          <>
            <span style={{ ...dimmed, fontSize: 11, lineHeight: '14px', fontVariantNumeric: 'tabular-nums' }}>{start}</span>
            <span style={{ ...lineStyle, fontWeight: 600, textDecoration: inactive ? 'line-through' : undefined }}>{name}</span>
          </>
        ) : (
          <span style={{ ...lineStyle, fontWeight: 600, textDecoration: inactive ? 'line-through' : undefined }}>
            <span style={{ fontWeight: 500, opacity: 0.75, fontVariantNumeric: 'tabular-nums' }}>{start}</span> {name}
          </span>
        )
      ) : (
        <>
          <span style={{ ...lineStyle, fontWeight: 600, textDecoration: inactive ? 'line-through' : undefined }}>
            <span style={{ fontVariantNumeric: 'tabular-nums' }}>{range}</span> {name}
          </span>
          {h > 34 && <span style={dimmed}>{services}</span>}
          {h > 52 && accent && <span style={{ ...lineStyle, fontSize: 11, fontWeight: 600, color: accent }}>{status}</span>}
        </>
      )}
    </button>
  );
});
