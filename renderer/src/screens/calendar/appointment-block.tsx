import { Box, Text } from '@mantine/core';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import { STATUS_LABELS } from '../../../../shared/domain/booking-edits.ts';
import type { Client } from '../../../../shared/domain/client.ts';
import { clientDisplayName } from '../../../../shared/domain/client.ts';
import { openVisit } from '../../app/router.ts';
import { useFormat, useSalon } from '../../data/salon.ts';

export interface BlockProps {
  appointment: Appointment;
  client: Client | undefined;
  top: number;
  height: number;
  left: string;
  width: string;
  /** Week view: narrower blocks, specialist initials shown. */
  compact?: boolean;
}

const STATUS_ACCENT: Record<Appointment['status'], string | undefined> = {
  booked: undefined,
  confirmed: 'var(--mantine-color-indigo-6)',
  arrived: 'var(--mantine-color-teal-6)',
  completed: 'var(--mantine-color-gray-6)',
  cancelled: 'var(--mantine-color-red-6)',
  noShow: 'var(--mantine-color-orange-6)',
};

export function AppointmentBlock({ appointment: a, client, top, height, left, width, compact = false }: BlockProps) {
  const salon = useSalon();
  const format = useFormat();
  const staff = salon.staffById.get(a.staffId);
  const color = staff?.color ?? '#868e96';
  const inactive = a.status === 'cancelled' || a.status === 'noShow';
  const done = a.status === 'completed';
  const services = a.serviceIds.map((id) => salon.serviceById.get(id)?.name ?? 'Removed service').join(', ');
  const name = client ? clientDisplayName(client) : 'Loading…';
  const time = `${format.time(a.startMs)}–${format.time(Date.parse(a.end))}`;
  const accent = STATUS_ACCENT[a.status];
  return (
    <Box
      component="button"
      type="button"
      onClick={() => openVisit(a.id)}
      data-testid="appointment-block"
      data-appointment-id={a.id}
      data-status={a.status}
      aria-label={`${time} ${name}: ${services} with ${staff?.name ?? 'unknown'} — ${STATUS_LABELS[a.status]}`}
      title={`${time} · ${name}\n${services}\n${staff?.name ?? ''} · ${STATUS_LABELS[a.status]}`}
      style={{
        position: 'absolute',
        top,
        height: Math.max(height - 2, 18),
        left,
        width,
        padding: compact ? '2px 5px' : '4px 8px',
        textAlign: 'left',
        cursor: 'pointer',
        overflow: 'hidden',
        border: 'none',
        borderLeft: `4px solid ${color}`,
        borderRadius: 6,
        font: 'inherit',
        color: 'var(--mantine-color-text)',
        background: inactive
          ? `repeating-linear-gradient(135deg, ${color}10 0 6px, ${color}22 6px 12px)`
          : `color-mix(in srgb, ${color} ${done ? 8 : 16}%, var(--mantine-color-body))`,
        boxShadow: inactive ? 'none' : '0 1px 2px rgba(0,0,0,0.08)',
        opacity: inactive ? 0.75 : 1,
        zIndex: 2,
        outlineOffset: 1,
      }}
    >
      <Text size="xs" fw={600} lh={1.25} truncate td={inactive ? 'line-through' : undefined} c={done ? 'dimmed' : undefined}>
        {compact ? format.time(a.startMs) : time} {name}
      </Text>
      {height > 34 && (
        <Text size="xs" lh={1.25} c="dimmed" truncate>
          {services}
        </Text>
      )}
      {height > 52 && (accent || compact) && (
        <Text size="10px" lh={1.4} fw={600} c={accent ? undefined : 'dimmed'} style={accent ? { color: accent } : undefined} truncate>
          {compact ? `${staff?.name.split(' ')[0] ?? ''}${accent ? ' · ' : ''}` : ''}
          {accent ? STATUS_LABELS[a.status] : ''}
        </Text>
      )}
    </Box>
  );
}
