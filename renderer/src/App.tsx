import { useEffect, useState } from 'react';
import { Alert, AppShell, Badge, Code, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import type { AppInfo } from '../../shared/ipc/contract.ts';
import type { Connection } from './api/connect.ts';

type Status = { kind: 'connecting' } | { kind: 'ready'; info: AppInfo } | { kind: 'failed'; message: string };

export function App({ connection }: { connection: Connection }) {
  const [status, setStatus] = useState<Status>({ kind: 'connecting' });

  useEffect(() => {
    let live = true;
    connection.api
      .call('app.info', {})
      .then((info) => live && setStatus({ kind: 'ready', info }))
      .catch((error: Error) => live && setStatus({ kind: 'failed', message: error.message }));
    return () => {
      live = false;
    };
  }, [connection]);

  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={3} data-testid="app-title">
            FrontDesk
          </Title>
          <StatusBadge status={status} />
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        {status.kind === 'connecting' && <Loader aria-label="Connecting to the FrontDesk host" />}
        {status.kind === 'failed' && (
          <Alert color="red" title="Cannot reach the FrontDesk host" data-testid="connection-error">
            {status.message}
          </Alert>
        )}
        {status.kind === 'ready' && <AboutPanel info={status.info} />}
      </AppShell.Main>
    </AppShell>
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

function AboutPanel({ info }: { info: AppInfo }) {
  return (
    <Stack maw={720}>
      <Title order={2}>Welcome to FrontDesk</Title>
      <Text c="dimmed">The appointment book and client notifications for your salon.</Text>
      <Table withTableBorder data-testid="app-info">
        <Table.Tbody>
          <Table.Tr>
            <Table.Th>Version</Table.Th>
            <Table.Td>{info.version}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Mode</Table.Th>
            <Table.Td>{info.mode}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Data folder</Table.Th>
            <Table.Td>
              <Code data-testid="data-dir">{info.dataDir}</Code>
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Started</Table.Th>
            <Table.Td>{new Date(info.startedAt).toLocaleString()}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
