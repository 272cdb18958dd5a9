import { useEffect, useState } from 'react';
import { Alert, AppShell, Badge, Code, Group, Loader, NavLink, Stack, Text, Title } from '@mantine/core';
import type { AppInfo } from '../../shared/ipc/contract.ts';
import type { Connection } from './api/connect.ts';
import { ConnectionContext } from './app/connection-context.ts';
import { navigate, openVisit, useRoute, type Screen } from './app/router.ts';
import { CalendarScreen } from './screens/calendar/index.tsx';
import { ClientsScreen } from './screens/clients/index.tsx';
import { DeliveryLogScreen } from './screens/delivery-log/index.tsx';
import { NotificationCenterScreen } from './screens/notification-center/index.tsx';
import { SettingsScreen } from './screens/settings/index.tsx';
import { VisitCard } from './screens/visit-card/index.tsx';

type Status = { kind: 'connecting' } | { kind: 'ready'; info: AppInfo } | { kind: 'failed'; message: string };

const NAVIGATION: { screen: Screen; label: string }[] = [
  { screen: 'calendar', label: 'Calendar' },
  { screen: 'clients', label: 'Clients' },
  { screen: 'notifications', label: 'Notification center' },
  { screen: 'log', label: 'Delivery log' },
  { screen: 'settings', label: 'Notification settings' },
];

export function App({ connection }: { connection: Connection }) {
  const [status, setStatus] = useState<Status>({ kind: 'connecting' });
  const route = useRoute();

  useEffect(() => {
    let live = true;
    connection.api
      .call('app.info', {})
      .then((info) => live && setStatus({ kind: 'ready', info }))
      .catch((error: Error) => live && setStatus({ kind: 'failed', message: error.message }));
    const unsubscribe = connection.onEvent((event) => {
      if (event.type === 'openAppointment') openVisit(event.appointmentId);
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, [connection]);

  return (
    <ConnectionContext.Provider value={connection}>
      <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm' }} padding="md">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between">
            <Title order={3} data-testid="app-title">
              FrontDesk
            </Title>
            <StatusBadge status={status} />
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs">
          <Stack justify="space-between" h="100%">
            <div>
              {NAVIGATION.map((item) => (
                <NavLink
                  key={item.screen}
                  label={item.label}
                  active={route.screen === item.screen}
                  onClick={() => navigate({ screen: item.screen, params: [] })}
                  data-testid={`nav-${item.screen}`}
                />
              ))}
            </div>
            {status.kind === 'ready' && (
              <Stack gap={2} p="xs">
                <Text size="xs" c="dimmed">
                  Data folder
                </Text>
                <Code data-testid="data-dir" style={{ wordBreak: 'break-all' }}>
                  {status.info.dataDir}
                </Code>
                <Text size="xs" c="dimmed">
                  FrontDesk {status.info.version}
                </Text>
              </Stack>
            )}
          </Stack>
        </AppShell.Navbar>
        <AppShell.Main>
          {status.kind === 'connecting' && <Loader aria-label="Connecting to the FrontDesk host" />}
          {status.kind === 'failed' && (
            <Alert color="red" title="Cannot reach the FrontDesk host" data-testid="connection-error">
              {status.message}
            </Alert>
          )}
          {status.kind === 'ready' && (
            <>
              {route.screen === 'calendar' && <CalendarScreen route={route} />}
              {route.screen === 'clients' && <ClientsScreen route={route} />}
              {route.screen === 'notifications' && <NotificationCenterScreen route={route} />}
              {route.screen === 'log' && <DeliveryLogScreen route={route} />}
              {route.screen === 'settings' && <SettingsScreen route={route} />}
              <VisitCard visitId={route.visitId} onClose={() => openVisit(undefined)} />
            </>
          )}
        </AppShell.Main>
      </AppShell>
    </ConnectionContext.Provider>
  );
}

function StatusBadge({ status }: { status: Status }) {
  if (status.kind === 'ready') {
    return (
      <Badge color="teal" variant="light" data-testid="status-badge">
        Local only · {status.info.mode === 'web' ? 'web mode' : 'desktop'}
      </Badge>
    );
  }
  if (status.kind === 'failed') return <Badge color="red" data-testid="status-badge">Disconnected</Badge>;
  return <Badge color="gray" data-testid="status-badge">Connecting…</Badge>;
}
