import { useCallback, useEffect, useState } from 'react';
import { ActionIcon, Alert, Badge, Box, Button, Center, Group, Loader, Paper, SegmentedControl, Stack, Text, ThemeIcon, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { IconCalendarPlus, IconCalendarTime, IconCalendarX, IconChecks, IconCheck, IconPhoneIncoming, IconQrcode, IconBellOff, IconArrowsSplit, IconMessageCircle, IconClockEdit } from '@tabler/icons-react';
import type { TeamEvent, TeamEventKind } from '../../../../shared/domain/team-event.ts';
import { useConnection } from '../../app/connection-context.ts';
import { deskId, formatClock, formatDateTime, formatDay, formatRelative } from '../../app/format.ts';
import { useHostEvent } from '../../app/host-events.ts';
import { errorText } from '../../app/coded-text.ts';
import { useI18n, type MessageKey } from '../../app/i18n.ts';
import { useLocationChoice } from '../../app/location-context.ts';
import { navigate, openVisit, type Route } from '../../app/router.ts';
import { teamEventText } from './event-text.ts';

const LOOK: Record<TeamEventKind, { icon: typeof IconCalendarPlus; color: string }> = {
  newBooking: { icon: IconCalendarPlus, color: 'teal' },
  reschedule: { icon: IconCalendarTime, color: 'blue' },
  cancellation: { icon: IconCalendarX, color: 'red' },
  qrPayment: { icon: IconQrcode, color: 'grape' },
  incomingCall: { icon: IconPhoneIncoming, color: 'orange' },
  syncConflict: { icon: IconArrowsSplit, color: 'yellow' },
  clientReply: { icon: IconMessageCircle, color: 'cyan' },
  durationChanged: { icon: IconClockEdit, color: 'indigo' },
};

/** The notification center: every schedule event, live (refetched on the host's teamEventsChanged), newest first. */
export function NotificationCenterScreen({ route }: { route: Route }) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { current } = useLocationChoice();
  const [events, setEvents] = useState<TeamEvent[] | undefined>();
  const [unread, setUnread] = useState(0);
  const [error, setError] = useState<unknown>();
  const [filter, setFilter] = useState<'all' | 'unread'>(route.params[0] === 'unread' ? 'unread' : 'all');
  const [now, setNow] = useState(() => Date.now());

  const load = useCallback(() => {
    api
      .call('teamEvents.list', { unreadOnly: filter === 'unread', limit: 200, ...(current ? { locationId: current.id } : {}) })
      .then((result) => {
        setEvents(result.events as unknown as TeamEvent[]);
        setUnread(result.unread);
        setNow(Date.now());
        setError(undefined);
      })
      .catch((e: unknown) => setError(e));
  }, [api, current, filter]);
  useEffect(load, [load]);
  useHostEvent('teamEventsChanged', load, 100);

  const markRead = async (ids: string[]) => {
    if (ids.length === 0) return;
    setEvents((list) => list?.map((e) => (ids.includes(e.id) ? { ...e, read: true } : e)));
    for (let i = 0; i < ids.length; i += 500) await api.call('teamEvents.markRead', { ids: ids.slice(i, i + 500), by: deskId() }).catch((e: unknown) => setError(e));
  };
  // Every unread event up to the newest one shown, also those beyond the list's 200; a newer one that arrives
  // meanwhile stays unread, since the receptionist has not seen it.
  const markAllRead = async () => {
    const upToMs = Math.max(now, ...(events ?? []).map((e) => e.atMs));
    setEvents((list) => list?.map((e) => (e.read ? e : { ...e, read: true })));
    setUnread(0);
    await api.call('teamEvents.markAllRead', { upToMs, by: deskId(), ...(current ? { locationId: current.id } : {}) }).catch((e: unknown) => setError(e));
  };
  const open = (event: TeamEvent) => {
    if (!event.read) void markRead([event.id]);
    if (event.appointmentId) openVisit(event.appointmentId);
    // Calls and payments without a visit: the caller's client card, or "new client" with the number.
    else if (event.clientId) navigate({ screen: 'clients', params: [event.clientId] });
    else if (event.facts?.phone) navigate({ screen: 'clients', params: ['new', event.facts.phone] });
  };

  return (
    <Stack gap="lg" data-testid="notification-center" maw={980}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Group gap="sm">
            <Title order={2}>{t('center.title')}</Title>
            {unread > 0 && (
              <Badge color="red" size="lg" variant="light" tt="none" data-testid="center-unread-count">
                {t('center.unreadCount', { count: unread })}
              </Badge>
            )}
          </Group>
          <Text c="dimmed" size="sm">
            {t('center.subtitle')}
          </Text>
        </div>
        <Group>
          <SegmentedControl
            value={filter}
            onChange={(v) => setFilter(v as 'all' | 'unread')}
            data={[
              { value: 'all', label: t('common.all') },
              { value: 'unread', label: t('center.unread') },
            ]}
            data-testid="center-filter"
          />
          <Button
            variant="light"
            leftSection={<IconChecks size={16} />}
            disabled={unread === 0}
            data-testid="mark-all-read"
            onClick={() => void markAllRead()}
          >
            {t('center.markAll')}
          </Button>
        </Group>
      </Group>
      {error !== undefined && <Alert color="red">{errorText(i18n, error)}</Alert>}
      {!events && error === undefined && (
        <Center h={200}>
          <Loader />
        </Center>
      )}
      {events && events.length === 0 && (
        <Paper withBorder radius="lg" p="xl">
          <Stack align="center" gap="xs">
            <ThemeIcon size={48} radius="xl" variant="light" color="gray">
              <IconBellOff size={26} />
            </ThemeIcon>
            <Text c="dimmed" ta="center" maw={420}>
              {filter === 'unread' ? t('center.emptyUnread') : t('center.empty')}
            </Text>
          </Stack>
        </Paper>
      )}
      {events && events.length > 0 && (
        <Paper withBorder radius="lg" style={{ overflow: 'hidden' }} data-testid="team-event-list">
          {events.map((event, index) => {
            const look = LOOK[event.type];
            const text = teamEventText(i18n, event, (ms) => formatDateTime(ms, locale, current?.timeZone), (ms) => formatClock(ms, locale, current?.timeZone), (ms) => formatDay(ms, locale, current?.timeZone));
            return (
              <Box
                key={event.id}
                data-testid="team-event-row"
                data-event-id={event.id}
                data-appointment-id={event.appointmentId ?? ''}
                data-read={event.read ? 'true' : 'false'}
                style={{
                  borderTop: index > 0 ? '1px solid var(--mantine-color-default-border)' : undefined,
                  background: event.read ? undefined : 'light-dark(var(--mantine-color-grape-0), rgba(190, 75, 219, 0.07))',
                }}
              >
                <Group wrap="nowrap" gap="md" px="md" py="sm" align="center">
                  <UnstyledButton onClick={() => open(event)} style={{ flex: 1, minWidth: 0 }} disabled={!event.appointmentId && event.read} data-testid="team-event-open">
                    <Group wrap="nowrap" gap="md" align="center">
                      <ThemeIcon size={38} radius="xl" variant="light" color={look.color}>
                        <look.icon size={20} />
                      </ThemeIcon>
                      <Stack gap={0} style={{ minWidth: 0, flex: 1 }}>
                        <Group gap="xs" wrap="nowrap">
                          {!event.read && <Box w={8} h={8} bg="red.6" style={{ borderRadius: 8, flex: 'none' }} aria-label={t('center.unread')} />}
                          <Text fw={event.read ? 500 : 700} size="sm" truncate data-testid="team-event-title">
                            {text.title}
                          </Text>
                          <Badge size="xs" variant="outline" color={look.color} style={{ flex: 'none' }}>
                            {t(`type.${event.type}` as MessageKey)}
                          </Badge>
                        </Group>
                        <Text size="sm" c="dimmed" lineClamp={2} data-testid="team-event-body">
                          {text.body}
                        </Text>
                        {!event.appointmentId && (
                          <Text size="xs" c="dimmed" fs="italic">
                            {t('center.noVisit')}
                          </Text>
                        )}
                      </Stack>
                    </Group>
                  </UnstyledButton>
                  <Tooltip label={formatDateTime(event.atMs, locale, current?.timeZone)} withArrow>
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {formatRelative(event.atMs, now, locale)}
                    </Text>
                  </Tooltip>
                  <Tooltip label={t('center.markRead')} withArrow>
                    <ActionIcon variant="subtle" color="gray" aria-label={t('center.markRead')} disabled={event.read} onClick={() => void markRead([event.id])} data-testid="team-event-mark-read" style={{ visibility: event.read ? 'hidden' : 'visible' }}>
                      <IconCheck size={16} />
                    </ActionIcon>
                  </Tooltip>
                </Group>
              </Box>
            );
          })}
        </Paper>
      )}
    </Stack>
  );
}
