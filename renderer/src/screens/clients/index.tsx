import { memo, useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { ActionIcon, Alert, Avatar, Badge, Button, Card, Checkbox, Grid, Group, Pagination, ScrollArea, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { IconFileDownload, IconFileUpload, IconMessage, IconSearch, IconUserPlus, IconUserSearch } from '@tabler/icons-react';
import { paidMinor, type Appointment } from '../../../../shared/domain/appointment.ts';
import type { ChannelOptOuts, Client } from '../../../../shared/domain/client.ts';
import { clientDisplayName } from '../../../../shared/domain/client.ts';
import type { DeliveryLogEntry } from '../../../../shared/domain/delivery-log.ts';
import { CLIENT_NOTIFICATION_TYPES, type ClientNotificationType, type Language } from '../../../../shared/notifications/catalog.ts';
import { useConnection } from '../../app/connection-context.ts';
import { BirthdayField } from '../../app/fields.tsx';
import { useHostEvent } from '../../app/host-events.ts';
import { useI18n } from '../../app/i18n.ts';
import { navigate, openVisit, type Route } from '../../app/router.ts';
import { RouteNavLink } from '../../app/route-links.tsx';
import { useRowsAfterFrame } from '../../app/rows-after-frame.ts';
import { applyContactChange, checkClientContact, reachableIssues } from '../../../../shared/domain/client-input.ts';
import { NO_REFUSAL, refusalOf, refusalOfIssues, type Refusal } from '../../app/issues.ts';
import { useUnsavedChanges } from '../../app/unsaved.ts';
import { indexClients, searchClients } from '../../data/client-search.ts';
import { revisionOf, useAwaitedRevision, useRxDocument, useRxQuery } from '../../data/hooks.ts';
import { SalonGate } from '../../data/salon-gate.tsx';
import { useFormat, useSalon } from '../../data/salon.ts';
import { download } from '../delivery-log/csv.ts';
import { ChannelOptOutsEditor } from './channel-opt-outs.tsx';
import { clientsCsv } from './export.ts';
import { ImportDialog } from './import-dialog.tsx';
import { NewClientForm } from './new-client.tsx';
import { STATUS_COLORS } from '../calendar/calendar-model.ts';
import { statusLabel, useUiFormat } from '../calendar/ui-format.ts';
import { summarizeEntries } from '../visit-card/message-summary.ts';
import { MessageRow, typeLabel } from '../visit-card/messages.tsx';
import { TelegramLink } from './telegram-link.tsx';
import { LoyaltySection } from './loyalty.tsx';
import { displayPhone } from '../../../../shared/domain/phone.ts';

/** Rows per page of the list: thousands of clients are paged, never cut off. */
const PAGE_SIZE = 100;

/** Route: #/clients[/<clientId>|/new|/import]. */
export function ClientsScreen({ route }: { route: Route }) {
  return (
    <SalonGate>
      <Clients selectedId={route.params[0]} prefillPhone={route.params[1]} />
    </SalonGate>
  );
}

/**
 * The result rows; re-rendered only when the results or the selection change, not for each keystroke in the input.
 * A screenful first, the rest of the page after its frame (rows-after-frame.ts).
 */
const ClientRows = memo(function ClientRows({ results, selectedId, noContacts }: { results: readonly Client[]; selectedId: string | undefined; noContacts: string }) {
  const count = useRowsAfterFrame(results);
  return results.slice(0, count).map((c) => (
    <RouteNavLink
      key={c.id}
      active={c.id === selectedId}
      label={clientDisplayName(c)}
      description={c.phone ? displayPhone(c.phone) : (c.email ?? noContacts)}
      leftSection={<Avatar size={30} radius="xl" color="initials" name={clientDisplayName(c)} />}
      route={{ screen: 'clients', params: [c.id] }}
      data-testid="client-row"
    />
  ));
});

function Clients({ selectedId, prefillPhone }: { selectedId: string | undefined; prefillPhone: string | undefined }) {
  const { location } = useSalon();
  const clients = useRxQuery<Client>((db) => db.clients.find({ selector: { locationId: location.id }, sort: [{ lastName: 'asc' }] }), [location.id]);
  const { t } = useI18n();
  // The index (lower-cased names, phone digits) is rebuilt only when the clients change, never per keystroke.
  const index = useMemo(() => indexClients(clients.docs), [clients.docs]);
  const [query, setQuery] = useState('');
  // Every keystroke filters (a search over 20,000 clients takes a few ms); React renders the list as a deferred
  // update, so the input never waits for it and a keystroke that comes meanwhile replaces it.
  const searched = useDeferredValue(query.trim());
  const results = useMemo(() => searchClients(index, searched, Number.POSITIVE_INFINITY), [index, searched]);
  const total = clients.docs.length;
  // A new search starts on its first page (the state of the previous search's page is dropped with its key).
  const [paging, setPaging] = useState({ query: '', page: 1 });
  const pages = Math.max(1, Math.ceil(results.length / PAGE_SIZE));
  const page = paging.query === searched ? Math.min(paging.page, pages) : 1;
  const shown = useMemo(() => results.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE), [results, page]);
  const exportCsv = () => download(`frontdesk-clients-${new Date().toISOString().slice(0, 10)}.csv`, clientsCsv(clients.docs, location.locale));
  return (
    <Grid gap="md" data-testid="clients-screen">
      {/* Side by side from 768 px (a laptop at 150 % is 911 px wide): stacked, the card opened under the window's edge. */}
      <Grid.Col span={{ base: 12, sm: 5, md: 4 }}>
        <Stack gap="xs">
          <Group justify="space-between">
            <Group gap={8}>
              <Title order={3}>{t('clients.title')}</Title>
              {/* Counted once the clients are read: while they load there are none yet, and "0" jumped to the real number. */}
              {clients.fresh && (
                <Text size="sm" c="dimmed" data-testid="client-count">
                  {searched ? t('clients.shown', { shown: results.length, total }) : total}
                </Text>
              )}
            </Group>
            <Group gap={4}>
              <Tooltip label={t('import.title')}>
                <ActionIcon variant="default" size="lg" aria-label={t('import.title')} onClick={() => navigate({ screen: 'clients', params: ['import'] })} data-testid="clients-import">
                  <IconFileUpload size={18} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label={t('clients.export')}>
                <ActionIcon variant="default" size="lg" aria-label={t('clients.export')} onClick={exportCsv} disabled={total === 0} data-testid="clients-export">
                  <IconFileDownload size={18} />
                </ActionIcon>
              </Tooltip>
              <Button size="sm" leftSection={<IconUserPlus size={16} />} onClick={() => navigate({ screen: 'clients', params: ['new'] })} data-testid="client-new">
                {t('clients.new')}
              </Button>
            </Group>
          </Group>
          <TextInput autoFocus aria-label={t('clients.search')} leftSection={<IconSearch size={16} />} placeholder={t('clients.searchPlaceholder')} value={query} onChange={(e) => setQuery(e.currentTarget.value)} data-testid="client-search" />
          {/* data-searched: the search the list shows (deferred behind the input: bench:ui times a keystroke to it). */}
          <Card withBorder padding={0} radius="md" data-testid="client-results" data-searched={searched}>
            <ScrollArea h={pages > 1 ? 'calc(100vh - 262px)' : 'calc(100vh - 220px)'}>
              <ClientRows results={shown} selectedId={selectedId} noContacts={t('clients.noContacts')} />
              {results.length === 0 && (
                <Stack align="center" gap={6} p="xl" data-testid="clients-empty">
                  <IconUserSearch size={28} stroke={1.4} color="var(--mantine-color-dimmed)" />
                  <Text size="sm" c="dimmed" ta="center">{clients.loading ? t('common.loading') : searched ? t('clients.noMatch', { query: searched }) : t('clients.none')}</Text>
                </Stack>
              )}
            </ScrollArea>
          </Card>
          {pages > 1 && (
            <Group justify="space-between" gap="xs">
              <Text size="xs" c="dimmed" data-testid="client-page-range">{t('clients.range', { from: (page - 1) * PAGE_SIZE + 1, to: Math.min(page * PAGE_SIZE, results.length), total: results.length })}</Text>
              <Pagination size="sm" total={pages} value={page} onChange={(next) => setPaging({ query: searched, page: next })} siblings={1} boundaries={1} getControlProps={(control) => ({ 'aria-label': t(control === 'previous' ? 'clients.previousPage' : 'clients.nextPage') })} data-testid="client-pages" />
            </Group>
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 7, md: 8 }}>
        {selectedId === 'new' ? (
          <NewClientForm key={prefillPhone ?? ''} phone={prefillPhone} />
        ) : selectedId && selectedId !== 'import' ? (
          <ClientCard id={selectedId} />
        ) : (
          <Card withBorder radius="md" padding="xl" data-testid="client-card-placeholder">
            <Stack align="center" gap="xs" py="xl">
              <IconUserSearch size={40} stroke={1.3} color="var(--mantine-color-dimmed)" />
              <Text c="dimmed">{t('clients.choose')}</Text>
            </Stack>
          </Card>
        )}
      </Grid.Col>
      <ImportDialog opened={selectedId === 'import'} />
    </Grid>
  );
}

function ClientCard({ id }: { id: string }) {
  const { doc: client, loading } = useRxDocument('clients', id);
  const { t } = useI18n();
  if (!client) return loading ? <Text c="dimmed">{t('common.loading')}</Text> : <Alert color="yellow">{t('clients.missing')}</Alert>;
  return (
    <Stack gap="md" data-testid="client-card">
      <ContactForm key={client.id + client.phone + client.email} client={client} />
      <ConsentNotice client={client} />
      <TelegramLink client={client} />
      <LoyaltySection client={client} />
      <Visits clientId={client.id} />
      <Messages key={client.id} clientId={client.id} />
    </Stack>
  );
}

/** Inputs of the card, by the request field the host names in its issues. */
const CONTACT_INPUTS = ['firstName', 'lastName', 'phone', 'email', 'birthday', 'language'] as const;

function ContactForm({ client }: { client: Client }) {
  const { api } = useConnection();
  const { location } = useSalon();
  const i18n = useI18n();
  const { t } = i18n;
  // The card as saved (the live document); edits are compared with it for the unsaved-changes guard.
  const savedForm = { firstName: client.firstName, lastName: client.lastName, phone: client.phone ?? '', email: client.email ?? '', birthday: client.birthday ?? '', language: client.language as Language };
  const [form, setForm] = useState(savedForm);
  const [optOuts, setOptOuts] = useState<ClientNotificationType[]>(client.optOuts);
  const [consent, setConsent] = useState(client.marketingConsent);
  const [channels, setChannels] = useState<ChannelOptOuts>(client.channelOptOuts ?? {});
  const [notes, setNotes] = useState(client.notes ?? '');
  const dirty =
    JSON.stringify(form) !== JSON.stringify(savedForm) ||
    consent !== client.marketingConsent ||
    [...optOuts].sort().join() !== [...client.optOuts].sort().join() ||
    JSON.stringify(Object.entries(channels).sort()) !== JSON.stringify(Object.entries(client.channelOptOuts ?? {}).sort()) ||
    notes !== (client.notes ?? '');
  useUnsavedChanges(dirty);
  const [refusal, setRefusal] = useState<Refusal>(NO_REFUSAL);
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);
  const savedVersion = useAwaitedRevision(client);

  async function save() {
    setSaved(false);
    // The host's rules, checked here first so the card shows them before anything is sent.
    const checked = checkClientContact(form, location.countryCode);
    const local = checked.ok ? reachableIssues(applyContactChange(client, checked.value)) : checked.issues;
    setRefusal(refusalOfIssues(local, i18n, CONTACT_INPUTS));
    if (local.length > 0) return;
    setSaving(true);
    try {
      const answer = await api.call('clients.save', { locationId: location.id, clientId: client.id, expectedRevision: revisionOf(client), ...form, optOuts, marketingConsent: consent, channelOptOuts: channels, notes });
      savedVersion.awaitRevision(answer.revision);
      setSaved(true);
    } catch (error) {
      setRefusal(refusalOf(error, i18n, CONTACT_INPUTS));
    } finally {
      setSaving(false);
    }
  }
  // The host's rules for each field as it is typed (a birthday like 1990-02-30 is refused before Save), shown for the
  // fields changed here; what the host answered on Save comes on top.
  const checked = checkClientContact(form, location.countryCode);
  const typed = checked.ok ? [] : checked.issues.filter((i) => i.field !== undefined && i.field in form && form[i.field as keyof typeof form] !== savedForm[i.field as keyof typeof form]);
  const errors = { ...refusalOfIssues(typed, i18n, CONTACT_INPUTS).fields, ...refusal.fields };
  const message = saved ? { ok: true, text: t('clients.saved') } : refusal.general.length > 0 ? { ok: false, text: refusal.general.join(' ') } : undefined;

  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.currentTarget.value });
  return (
    // Save sits above the fields: from the notes at the bottom it was 20 Shift+Tabs away. Ctrl+Enter saves from any
    // field of the card, as in the booking form.
    <Card withBorder radius="md" padding="lg" onKeyDown={(e: React.KeyboardEvent) => e.key === 'Enter' && (e.ctrlKey || e.metaKey) && void save()}>
      <Group justify="space-between" mb="sm">
        <div>
          <Title order={3} data-testid="client-card-name">{clientDisplayName(client)}</Title>
          <Text size="sm" c="dimmed">{t('clients.since', { year: new Date(client.createdAt).getFullYear(), points: client.loyaltyPoints })}</Text>
        </div>
        <Button onClick={() => void save()} loading={saving || savedVersion.waiting} title={t('common.saveShortcut')} aria-keyshortcuts="Control+Enter" data-testid="client-save">{t('common.save')}</Button>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <TextInput label={t('clients.firstName')} value={form.firstName} onChange={set('firstName')} error={errors.firstName} data-testid="client-first-name" />
        <TextInput label={t('clients.lastName')} value={form.lastName} onChange={set('lastName')} error={errors.lastName} />
        <Select label={t('clients.language')} data={[{ value: 'en', label: 'English' }, { value: 'ru', label: 'Русский' }]} value={form.language} onChange={(v) => v && setForm({ ...form, language: v as Language })} allowDeselect={false} />
        <TextInput label={t('clients.phone')} description={t('clients.phoneHint', { country: location.countryCode })} value={form.phone} onChange={set('phone')} error={errors.phone} data-testid="client-phone" />
        <TextInput label={t('clients.email')} value={form.email} onChange={set('email')} error={errors.email} data-testid="client-email" />
        <BirthdayField label={t('clients.birthday')} value={form.birthday} onChange={(birthday) => setForm((f) => ({ ...f, birthday }))} error={errors.birthday} data-testid="client-birthday" />
      </SimpleGrid>
      <Text fw={600} size="sm" mt="md" mb={6}>{t('clients.receives')}</Text>
      <Checkbox label={t('clients.consent')} checked={consent} onChange={(e) => setConsent(e.currentTarget.checked)} mb="xs" />
      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing={6} data-testid="client-type-opt-outs">
        {CLIENT_NOTIFICATION_TYPES.map((type) => (
          <Checkbox
            key={type}
            size="xs"
            label={typeLabel(t, type)}
            checked={!optOuts.includes(type)}
            onChange={(e) => setOptOuts(e.currentTarget.checked ? optOuts.filter((o) => o !== type) : [...optOuts, type])}
          />
        ))}
      </SimpleGrid>
      <Text fw={600} size="sm" mt="md" mb={2}>{t('clients.channels')}</Text>
      <ChannelOptOutsEditor value={channels} onChange={setChannels} />
      <Textarea mt="md" label={t('clients.notes')} autosize minRows={2} maxRows={6} maxLength={2000} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} data-testid="client-notes" />
      {message && <Alert mt="sm" variant="light" color={message.ok ? 'teal' : 'red'} data-testid="client-message">{message.text}</Alert>}
    </Card>
  );
}

function Visits({ clientId }: { clientId: string }) {
  const salon = useSalon();
  const format = useUiFormat();
  const { t } = useI18n();
  const money = useFormat();
  const visits = useRxQuery<Appointment>((db) => db.appointments.find({ selector: { clientId }, sort: [{ startMs: 'desc' }] }), [clientId]);
  const shown = visits.docs.slice(0, 50);
  // Spend: what was paid for completed visits, or their price where no payment was recorded.
  const completed = visits.docs.filter((a) => a.status === 'completed');
  const spent = completed.reduce((sum, a) => sum + (a.payments?.length ? paidMinor(a) : (a.priceMinor ?? a.serviceIds.reduce((s, id) => s + (salon.serviceById.get(id)?.priceMinor ?? 0), 0))), 0);
  return (
    <Card withBorder radius="md" padding="md">
      <Group justify="space-between" mb="xs">
        <Text fw={650}>{t('clients.visits')}</Text>
        {visits.docs.length > 0 && <Text size="sm" c="dimmed" data-testid="client-spend">{t('clients.spend', { visits: visits.docs.length, completed: completed.length, spent: money.money(spent) })}</Text>}
      </Group>
      {visits.docs.length === 0 ? <Text size="sm" c="dimmed">{visits.loading ? t('common.loading') : t('clients.noVisits')}</Text> : (
        <Table highlightOnHover verticalSpacing={6} data-testid="client-visits">
          <Table.Tbody>
            {shown.map((a) => (
              <Table.Tr key={a.id} style={{ cursor: 'pointer' }} onClick={() => openVisit(a.id)}>
                <Table.Td w={170}>
                  {/* The row opens the visit on a click; this button is the same for Tab and Enter. */}
                  <UnstyledButton
                    aria-label={t('clients.openVisit', { when: format.dateTime(a.startMs) })}
                    data-testid="client-visit-open"
                    onClick={(event) => {
                      event.stopPropagation();
                      openVisit(a.id);
                    }}
                  >
                    <Text size="sm" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{format.dateTime(a.startMs)}</Text>
                  </UnstyledButton>
                </Table.Td>
                <Table.Td><Text size="sm" lineClamp={1}>{a.serviceIds.map((id) => salon.serviceById.get(id)?.name ?? t('cal.removedService')).join(', ')}</Text></Table.Td>
                <Table.Td><Text size="sm" c="dimmed" truncate>{salon.staffById.get(a.staffId)?.name}</Text></Table.Td>
                <Table.Td ta="right"><Badge size="sm" variant="light" color={STATUS_COLORS[a.status]}>{statusLabel(t, a.status)}</Badge></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

const MESSAGE_LIMIT = 30;

/**
 * The client's latest messages. The renderer's delivery_log collection has no clientId index, so the host answers
 * with `log.list` (filtered and limited there); refetched when the host says the log changed.
 */
function Messages({ clientId }: { clientId: string }) {
  const { location } = useSalon();
  const { api } = useConnection();
  const { t } = useI18n();
  const [state, setState] = useState<{ entries: DeliveryLogEntry[] | undefined; error?: string }>({ entries: undefined });
  const load = useCallback(() => {
    let live = true;
    api
      .call('log.list', { locationId: location.id, clientId, limit: MESSAGE_LIMIT * 8 })
      .then((result) => live && setState({ entries: result.entries as unknown as DeliveryLogEntry[] }))
      .catch((error: unknown) => live && setState((s) => ({ entries: s.entries ?? [], error: error instanceof Error ? error.message : String(error) })));
    return () => {
      live = false;
    };
  }, [api, location.id, clientId]);
  // Keyed by client in ClientCard, so a new client starts from "loading".
  useEffect(() => load(), [load]);
  useHostEvent('deliveryLogChanged', () => void load(), 500);
  const entries = state.entries;
  // One row per message: the log's attempts of one job are folded into it.
  const messages = useMemo(() => (entries ? summarizeEntries(entries).slice(0, MESSAGE_LIMIT) : undefined), [entries]);
  return (
    <Card withBorder radius="md" padding="md">
      <Group justify="space-between" mb="xs">
        <Text fw={650}>{t('clients.messages')}</Text>
        {messages && messages.length > 0 && <Badge variant="light" color="gray" leftSection={<IconMessage size={12} />}>{messages.length >= MESSAGE_LIMIT ? `${MESSAGE_LIMIT}+` : messages.length}</Badge>}
      </Group>
      {state.error && <Alert color="red" variant="light" mb="xs">{t('clients.messagesFailed', { error: state.error })}</Alert>}
      {!messages ? (
        <Text size="sm" c="dimmed">{t('common.loading')}</Text>
      ) : messages.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="client-messages-empty">{t('clients.noMessages')}</Text>
      ) : (
        <Stack gap="xs" data-testid="client-messages">
          {messages.map((m) => (
            <MessageRow key={m.id} message={m} onOpen={m.appointmentId ? () => openVisit(m.appointmentId) : undefined} />
          ))}
        </Stack>
      )}
    </Card>
  );
}

/** What the client's consent means, on the card: without it no promotional message goes out, whatever the settings. */
function ConsentNotice({ client }: { client: Client }) {
  const { t } = useI18n();
  const name = client.firstName;
  if (client.marketingConsent) {
    return <Text size="sm" c="dimmed" data-testid="consent-notice" data-consent="yes">{t('clients.consentYes', { name })}</Text>;
  }
  return (
    <Alert color="yellow" variant="light" data-testid="consent-notice" data-consent="no" title={t('clients.consentNoTitle')}>
      {t('clients.consentNo', { name })}
    </Alert>
  );
}
