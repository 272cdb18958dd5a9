/**
 * One hover card for the whole grid: blocks report hover/focus through a tiny store, so showing the card re-renders
 * only the card — never the thousands of blocks of a busy week.
 */
import { memo, useEffect, useState } from 'react';
import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import type { Client } from '../../../../shared/domain/client.ts';
import { clientDisplayName } from '../../../../shared/domain/client.ts';
import { STATUS_COLORS, appointmentEndMs } from './calendar-model.ts';
import { serviceNames, type BlockEnv } from './appointment-block.tsx';
import { statusLabel } from './ui-format.ts';
import { useDisplayPhone } from '../../app/phone-display.ts';

export interface HoverState {
  appointment: Appointment;
  rect: DOMRect;
}

export interface HoverStore {
  set(state: HoverState | undefined): void;
  subscribe(listener: (state: HoverState | undefined) => void): () => void;
}

export function createHoverStore(): HoverStore {
  const listeners = new Set<(state: HoverState | undefined) => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    set(state) {
      clearTimeout(timer);
      // A short delay keeps the card from flickering while the pointer crosses the grid.
      timer = setTimeout(() => listeners.forEach((l) => l(state)), state ? 250 : 60);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const WIDTH = 280;

/** Memoised: a day switch re-renders it only when its store, env or clients change (it shows nothing most of the time). */
export const AppointmentHoverCard = memo(function AppointmentHoverCard({ store, env, clients }: { store: HoverStore; env: BlockEnv; clients: ReadonlyMap<string, Client> }) {
  const [state, setState] = useState<HoverState | undefined>();
  const displayPhone = useDisplayPhone();
  useEffect(() => store.subscribe(setState), [store]);
  useEffect(() => {
    if (!state) return;
    const hide = () => setState(undefined);
    // Escape dismisses it (WCAG 1.4.13): shown for a focused block, it covers the next column's visits while the block
    // keeps focus. Left to other listeners too: the same key still abandons a drag or closes what else is open.
    const hideOnEscape = (event: KeyboardEvent) => event.key === 'Escape' && hide();
    window.addEventListener('scroll', hide, true);
    window.addEventListener('keydown', hideOnEscape);
    return () => {
      window.removeEventListener('scroll', hide, true);
      window.removeEventListener('keydown', hideOnEscape);
    };
  }, [state]);
  if (!state) return null;
  const { appointment: a, rect } = state;
  const { t, format, lookup } = env;
  const client = clients.get(a.clientId);
  const staff = lookup.staffById.get(a.staffId);
  const roomRight = window.innerWidth - rect.right > WIDTH + 16;
  const left = roomRight ? rect.right + 8 : Math.max(8, rect.left - WIDTH - 8);
  const top = Math.min(Math.max(8, rect.top), window.innerHeight - 200);
  return (
    <Paper
      data-testid="appointment-hover-card"
      shadow="md"
      withBorder
      radius="md"
      p="sm"
      style={{ position: 'fixed', left, top, width: WIDTH, zIndex: 300, pointerEvents: 'none', borderLeft: `4px solid ${staff?.color ?? '#868e96'}` }}
    >
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Text size="sm" fw={700} style={{ fontVariantNumeric: 'tabular-nums' }}>
            {format.time(a.startMs)}–{format.time(appointmentEndMs(a))}
          </Text>
          <Badge size="sm" variant="light" color={STATUS_COLORS[a.status]}>{statusLabel(t, a.status)}</Badge>
        </Group>
        <Text size="sm" fw={600} truncate>{client ? clientDisplayName(client) : t('cal.loadingClient')}</Text>
        {client?.phone && <Text size="xs" c="dimmed">{displayPhone(client.phone)}</Text>}
        <Text size="xs" lineClamp={3}>{serviceNames(a, lookup, t)}</Text>
        <Group gap={6} wrap="nowrap">
          <span style={{ width: 8, height: 8, borderRadius: 2, background: staff?.color ?? '#868e96', flexShrink: 0 }} />
          <Text size="xs" c="dimmed" truncate>{staff?.name ?? t('cal.unknownStaff')}</Text>
        </Group>
        {a.notes && <Text size="xs" c="dimmed" fs="italic" lineClamp={2}>{a.notes}</Text>}
        <Text size="10px" c="dimmed" mt={2}>{t('cal.clickToOpen')}</Text>
      </Stack>
    </Paper>
  );
});
