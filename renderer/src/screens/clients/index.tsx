import { useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Card, Checkbox, Grid, Group, NavLink, ScrollArea, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import { STATUS_LABELS } from '../../../../shared/domain/booking-edits.ts';
import type { Client } from '../../../../shared/domain/client.ts';
import { clientDisplayName } from '../../../../shared/domain/client.ts';
import type { DeliveryLogEntry } from '../../../../shared/domain/delivery-log.ts';
import { CLIENT_NOTIFICATION_TYPES, type ClientNotificationType, type Language } from '../../../../shared/notifications/catalog.ts';
import { navigate, openVisit, type Route } from '../../app/router.ts';
import { checkClientInput, type ClientErrors } from '../../data/client-edits.ts';
import { indexClients, searchClients } from '../../data/client-search.ts';
import { writeErrorMessage } from '../../data/database.ts';
import { useDatabase, useRxDocument, useRxQuery } from '../../data/hooks.ts';
import { SalonGate } from '../../data/salon-gate.tsx';
import { useFormat, useSalon } from '../../data/salon.ts';
import { STATUS_COLORS } from '../calendar/calendar-model.ts';
import { CHANNEL_LABELS, STATE_COLORS, TYPE_LABELS, stateLabel } from '../visit-card/messages.tsx';

/** Route: #/clients[/<clientId>]. */
export function ClientsScreen({ route }: { route: Route }) {
  return (
    <SalonGate>
      <Clients selectedId={route.params[0]} />
    </SalonGate>
  );
}

function Clients({ selectedId }: { selectedId: string | undefined }) {
  const { location } = useSalon();
  const clients = useRxQuery<Client>((db) => db.clients.find({ selector: { locationId: location.id }, sort: [{ lastName: 'asc' }] }), [location.id]);
  const index = useMemo(() => indexClients(clients.docs), [clients.docs]);
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 120);
  const results = useMemo(() => searchClients(index, debounced, 200), [index, debounced]);
  return (
    <Grid gap="md" data-testid="clients-screen">
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={3}>Clients</Title>
            <Text size="sm" c="dimmed">{clients.docs.length}</Text>
          </Group>
          <TextInput autoFocus leftSection={<IconSearch size={16} />} placeholder="Name, phone or email" value={query} onChange={(e) => setQuery(e.currentTarget.value)} data-testid="client-search" />
          <Card withBorder padding={0} radius="md">
            <ScrollArea h="calc(100vh - 220px)">
              {results.map((c) => (
                <NavLink
                  key={c.id}
                  active={c.id === selectedId}
                  label={clientDisplayName(c)}
                  description={c.phone ?? c.email ?? 'No contacts'}
                  onClick={() => navigate({ screen: 'clients', params: [c.id] })}
                  data-testid="client-row"
                />
              ))}
              {results.length === 0 && <Text p="md" size="sm" c="dimmed">{clients.loading ? 'Loading…' : 'No client matches.'}</Text>}
            </ScrollArea>
          </Card>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>
        {selectedId ? <ClientCard id={selectedId} /> : <Text c="dimmed" mt="xl">Choose a client to see their card.</Text>}
      </Grid.Col>
    </Grid>
  );
}

function ClientCard({ id }: { id: string }) {
  const { doc: client, loading } = useRxDocument('clients', id);
  if (!client) return loading ? <Text c="dimmed">Loading…</Text> : <Alert color="yellow">This client does not exist.</Alert>;
  return (
    <Stack gap="md" data-testid="client-card">
      <ContactForm key={client.id + client.phone + client.email} client={client} />
      <Visits clientId={client.id} />
      <Messages clientId={client.id} />
    </Stack>
  );
}

function ContactForm({ client }: { client: Client }) {
  const db = useDatabase();
  const { location } = useSalon();
  const [form, setForm] = useState({ firstName: client.firstName, lastName: client.lastName, phone: client.phone ?? '', email: client.email ?? '', birthday: client.birthday ?? '', language: client.language as Language });
  const [optOuts, setOptOuts] = useState<ClientNotificationType[]>(client.optOuts);
  const [consent, setConsent] = useState(client.marketingConsent);
  const [errors, setErrors] = useState<ClientErrors>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  useEffect(() => setMessage(undefined), [client.id]);

  async function save() {
    if (!db) return;
    const checked = checkClientInput(form, location.countryCode);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    try {
      const doc = await db.clients.findOne(client.id).exec();
      await doc?.incrementalModify((cur) => {
        const next = { ...cur, ...checked.value, optOuts, marketingConsent: consent };
        if (checked.value.phone === undefined) delete next.phone;
        if (checked.value.email === undefined) delete next.email;
        if (checked.value.birthday === undefined) delete next.birthday;
        return next;
      });
      setMessage({ ok: true, text: 'Saved.' });
    } catch (e) {
      setMessage({ ok: false, text: writeErrorMessage(e, 'clients') });
    }
  }

  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.currentTarget.value });
  return (
    <Card withBorder radius="md" padding="lg">
      <Group justify="space-between" mb="sm">
        <div>
          <Title order={3} data-testid="client-card-name">{clientDisplayName(client)}</Title>
          <Text size="sm" c="dimmed">Client since {new Date(client.createdAt).getFullYear()} · {client.loyaltyPoints} loyalty points</Text>
        </div>
        <Button onClick={() => void save()} data-testid="client-save">Save</Button>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <TextInput label="First name" value={form.firstName} onChange={set('firstName')} error={errors.firstName} />
        <TextInput label="Last name" value={form.lastName} onChange={set('lastName')} />
        <Select label="Language" data={[{ value: 'en', label: 'English' }, { value: 'ru', label: 'Русский' }]} value={form.language} onChange={(v) => v && setForm({ ...form, language: v as Language })} allowDeselect={false} />
        <TextInput label="Phone" description={`Local numbers read for ${location.countryCode}`} value={form.phone} onChange={set('phone')} error={errors.phone} data-testid="client-phone" />
        <TextInput label="Email" value={form.email} onChange={set('email')} error={errors.email} data-testid="client-email" />
        <TextInput label="Birthday" placeholder="YYYY-MM-DD or --MM-DD" value={form.birthday} onChange={set('birthday')} error={errors.birthday} />
      </SimpleGrid>
      <Text fw={600} size="sm" mt="md" mb={6}>Messages the client receives</Text>
      <Checkbox label="Agrees to promotional messages (win-back, repeat visit, birthday, discounts)" checked={consent} onChange={(e) => setConsent(e.currentTarget.checked)} mb="xs" />
      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing={6}>
        {CLIENT_NOTIFICATION_TYPES.map((type) => (
          <Checkbox
            key={type}
            size="xs"
            label={TYPE_LABELS[type]}
            checked={!optOuts.includes(type)}
            onChange={(e) => setOptOuts(e.currentTarget.checked ? optOuts.filter((t) => t !== type) : [...optOuts, type])}
          />
        ))}
      </SimpleGrid>
      {message && <Alert mt="sm" variant="light" color={message.ok ? 'teal' : 'red'} data-testid="client-message">{message.text}</Alert>}
    </Card>
  );
}

function Visits({ clientId }: { clientId: string }) {
  const salon = useSalon();
  const format = useFormat();
  const visits = useRxQuery<Appointment>((db) => db.appointments.find({ selector: { clientId }, sort: [{ startMs: 'desc' }], limit: 50 }), [clientId]);
  return (
    <Card withBorder radius="md" padding="md">
      <Text fw={650} mb="xs">Visits</Text>
      {visits.docs.length === 0 ? <Text size="sm" c="dimmed">No visits yet.</Text> : (
        <Table highlightOnHover verticalSpacing={6} data-testid="client-visits">
          <Table.Tbody>
            {visits.docs.map((a) => (
              <Table.Tr key={a.id} style={{ cursor: 'pointer' }} onClick={() => openVisit(a.id)}>
                <Table.Td><Text size="sm">{format.date(a.startMs)}, {format.time(a.startMs)}</Text></Table.Td>
                <Table.Td><Text size="sm">{a.serviceIds.map((id) => salon.serviceById.get(id)?.name ?? '?').join(', ')}</Text></Table.Td>
                <Table.Td><Text size="sm" c="dimmed">{salon.staffById.get(a.staffId)?.name}</Text></Table.Td>
                <Table.Td><Badge size="sm" variant="light" color={STATUS_COLORS[a.status]}>{STATUS_LABELS[a.status]}</Badge></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

function Messages({ clientId }: { clientId: string }) {
  const { location } = useSalon();
  const format = useFormat();
  // The log has no clientId index; the command channel filters it at the host with the log's own indexes.
  const log = useRxQuery<DeliveryLogEntry>((db) => db.delivery_log.find({ selector: { locationId: location.id, clientId }, sort: [{ atMs: 'desc' }], limit: 30 }), [clientId, location.id]);
  return (
    <Card withBorder radius="md" padding="md">
      <Text fw={650} mb="xs">Messages sent</Text>
      {log.docs.length === 0 ? <Text size="sm" c="dimmed">No messages yet.</Text> : (
        <Table verticalSpacing={6} data-testid="client-messages">
          <Table.Tbody>
            {log.docs.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td><Text size="sm">{format.dateTime(e.atMs)}</Text></Table.Td>
                <Table.Td><Text size="sm">{TYPE_LABELS[e.type] ?? e.type}</Text></Table.Td>
                <Table.Td><Text size="sm" c="dimmed">{CHANNEL_LABELS[e.channel] ?? e.channel}</Text></Table.Td>
                <Table.Td><Badge size="sm" variant="light" color={STATE_COLORS[e.status] ?? 'gray'}>{stateLabel(e.status)}</Badge></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
