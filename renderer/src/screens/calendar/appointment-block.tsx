import { memo, useId } from 'react';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import type { Client } from '../../../../shared/domain/client.ts';
import { clientDisplayName } from '../../../../shared/domain/client.ts';
import type { Service } from '../../../../shared/domain/service.ts';
import type { Staff } from '../../../../shared/domain/staff.ts';
import type { Translate } from '../../app/i18n.ts';
import { openVisitCard, prefetchVisit } from '../visit-card/prefetch-visit.ts';
import { tintClass } from './block-tints.ts';
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

/** Everything a block shows, as primitives computed once per visit by its column (see `blockText`). */
export interface BlockProps {
  appointment: Appointment;
  /** Minutes after the column date's midnight at which the block starts (for dragging). */
  startMin?: number;
  /** Minutes after the column date's midnight at which the block ends (for resizing). */
  endMin?: number;
  /** The block can be dragged to another time or specialist, and made longer or shorter by its bottom edge. */
  draggable?: boolean;
  top: number;
  height: number;
  left: string;
  width: string;
  /** The class of the staff colour (edge, tint and ring; block-tints.ts). */
  tint: string;
  /** "09:30" and "09:30–10:15". */
  start: string;
  range: string;
  /** Client name as shown (short in the week), "…" while the client loads. */
  name: string;
  services: string;
  statusText: string;
  /** What the block's description says: time, client, services, specialist, status. */
  details: string;
  /** Week view: time + short client name, details in the hover card. */
  compact?: boolean;
  /** Many side-by-side lanes: initials only. */
  narrow?: boolean;
  env: BlockEnv;
}

/** The colour of a visit whose specialist is unknown or has none. */
export const NO_STAFF_COLOR = '#868e96';

export interface BlockText {
  /** The staff colour's class (block-tints.ts). */
  tint: string;
  start: string;
  range: string;
  name: string;
  services: string;
  statusText: string;
  details: string;
}

/** The texts of one block; its column computes them once per visit (and again only when the client or language changes). */
export function blockText(a: Appointment, client: Client | undefined, compact: boolean, narrow: boolean, lookup: CalendarLookup, format: UiFormat, t: Translate): BlockText {
  const staff = lookup.staffById.get(a.staffId);
  const services = serviceNames(a, lookup, t);
  const fullName = client ? clientDisplayName(client) : t('cal.loadingClient');
  const name = client ? (compact ? shortName(client, narrow) : fullName) : '…';
  const start = format.time(a.startMs);
  const range = `${start}–${format.time(appointmentEndMs(a))}`;
  const statusText = statusLabel(t, a.status);
  return {
    tint: tintClass(staff?.color ?? NO_STAFF_COLOR, NO_STAFF_COLOR),
    start,
    range,
    name,
    services,
    statusText,
    // The block's description; its name stays the visible words (WCAG 2.5.3 "label in name").
    details: `${range} ${fullName}: ${services} — ${staff?.name ?? t('cal.unknownStaff')} — ${statusText}`,
  };
}

interface HeldText {
  client: Client | undefined;
  compact: boolean;
  narrow: boolean;
  lookup: CalendarLookup;
  format: UiFormat;
  t: Translate;
  text: BlockText;
}

const heldTexts = new WeakMap<Appointment, HeldText>();

/**
 * blockText, kept per visit: a day shown again (← then →) brings the same visit and client objects (live queries
 * hand out one object per document version), and its 200 blocks' texts, a tenth of a switch's script, are not
 * worked out again. Any other client, size or language works them out anew.
 */
export function heldBlockText(a: Appointment, client: Client | undefined, compact: boolean, narrow: boolean, lookup: CalendarLookup, format: UiFormat, t: Translate): BlockText {
  const held = heldTexts.get(a);
  if (held && held.client === client && held.compact === compact && held.narrow === narrow && held.lookup === lookup && held.format === format && held.t === t) return held.text;
  const text = blockText(a, client, compact, narrow, lookup, format, t);
  heldTexts.set(a, { client, compact, narrow, lookup, format, t, text });
  return text;
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

export const AppointmentBlock = memo(function AppointmentBlock({ appointment: a, startMin, endMin, draggable = false, top, height, left, width, tint, start, range, name, services, statusText, details, compact = false, narrow = false, env }: BlockProps) {
  const h = Math.max(height - 2, compact ? 16 : 18);
  // In the week a two-line block shows the time above the name; one line packs both.
  const twoLines = compact && h >= 34 && !narrow;
  const hasStatusLine = STATUS_ACCENT[a.status] !== undefined;
  const showsServices = !compact && h > 34;
  const showsStatus = !compact && h > 52 && hasStatusLine;
  // Classes of the name and status line themselves, not rules on the block's data-status: a block a day switch hands to
  // another visit changes its data-status, and a rule reaching into it restyled its name (and status line) too.
  const nameClass = a.status === 'cancelled' || a.status === 'noShow' ? 'fd-name fd-struck' : 'fd-name';
  const detailsId = useId();
  return (
    <button
      type="button"
      // The name is the visible words; the full details are its description, in an element that is never laid out.
      aria-describedby={detailsId}
      // Pointed at or focused, the visit's messages are asked for (prefetch-visit.ts): the card then finds them in when
      // it opens. Asked only at the press, a tap's click came before their answer: an answer asked for in the input's
      // own task reached the page some 15 ms later, one asked for beforehand in 2–3 ms. Pressed, they are asked for
      // again if the answer is no longer fresh (a press that becomes a drag costs one small query).
      onPointerDown={(event) => event.button === 0 && prefetchVisit(a.id)}
      onClick={(event) => {
        event.stopPropagation();
        env.hover(undefined);
        openVisitCard(a.id);
      }}
      // Not while a button is held: a visit being dragged or resized passes under the pointer.
      onMouseEnter={(event) => {
        if (event.buttons !== 0) return;
        env.hover(a, event.currentTarget);
        prefetchVisit(a.id);
      }}
      onMouseLeave={() => env.hover(undefined)}
      onFocus={(event) => {
        env.hover(a, event.currentTarget);
        prefetchVisit(a.id);
      }}
      onBlur={() => env.hover(undefined)}
      data-testid="appointment-block"
      data-appointment-id={a.id}
      data-status={a.status}
      data-compact={compact || undefined}
      data-narrow={narrow || undefined}
      data-draggable={draggable || undefined}
      // The bottom edge can be dragged to make the visit longer or shorter (the day view; a pointer affordance only).
      data-resizable={(draggable && !compact) || undefined}
      data-start-min={startMin}
      data-end-min={endMin}
      className={compact ? `fd-block ${tint}` : `fd-block fd-lines ${tint}`}
      style={{ top, height: h, left, width }}
    >
      {compact ? (
        narrow ? (
          <span className={`fd-line ${nameClass} fd-small`}>{name}</span>
        ) : twoLines ? (
          <>
            <span className="fd-line fd-dim fd-start-above">{start}</span>
            <span className={`fd-line ${nameClass}`}>{name}</span>
          </>
        ) : (
          <span className={`fd-line ${nameClass}`}>
            <span className="fd-start-inline">{start}</span> {name}
          </span>
        )
      ) : (
        <>
          {/* The lines are the block's own, parted by line breaks (.fd-lines): the block's clip ends each with an ellipsis.
              Tabular figures for the whole first line (a name has no digits): one element less per block to style. */}
          <span className={`${nameClass} fd-tnum`}>{`${range} ${name}`}</span>
          {showsServices && <>{'\n'}<span className="fd-dim">{services}</span></>}
          {showsStatus && <>{'\n'}<span className={`fd-status-line fd-status-${a.status}`}>{statusText}</span></>}
        </>
      )}
      {/* Hidden, it costs no style or layout on a day switch (a visually hidden span was laid out as a line of text). */}
      <span id={detailsId} hidden>
        {details}
        {draggable && `. ${env.t('cal.block.keysHint')}`}
      </span>
    </button>
  );
});
