import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { ActionIcon, Alert, Badge, Box, Button, Center, Code, Group, Loader, Paper, Select, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconDownload, IconExternalLink, IconFilter, IconFilterOff, IconInbox } from '@tabler/icons-react';
import { DELIVERY_STATUSES, type DeliveryLogEntry, type DeliveryStatus } from '../../../../shared/domain/delivery-log.ts';
import { NOTIFICATION_TYPES } from '../../../../shared/domain/notification-settings.ts';
import { CHANNELS } from '../../../../shared/notifications/catalog.ts';
import { zonedToUtc } from '../../../../shared/notifications/zoned-time.ts';
import type { RequestOf } from '../../../../shared/ipc/contract.ts';
import { useConnection } from '../../app/connection-context.ts';
import { formatDateTime } from '../../app/format.ts';
import { useHostEvent } from '../../app/host-events.ts';
import { useI18n, type MessageKey } from '../../app/i18n.ts';
import { useLocationChoice } from '../../app/location-context.ts';
import { openVisit, type Route } from '../../app/router.ts';
import { CHANNEL_ICONS } from '../settings/cascade-card.tsx';
import { download, toCsv } from './csv.ts';

const PAGE = 200;
const EXPORT_CAP = 100_000;

export const STATUS_COLOR: Record<DeliveryStatus, string> = {
  attempted: 'blue',
  sent: 'cyan',
  delivered: 'teal',
  failed: 'red',
  notTried: 'gray',
  skipped: 'yellow',
  expired: 'orange',
  cancelled: 'gray',
  uncertain: 'pink',
  sandboxed: 'violet',
};

interface Filters {
  type: string | null;
  channel: string | null;
  status: string | null;
  from: string;
  to: string;
  clientId: string;
}
const NO_FILTERS: Filters = { type: null, channel: null, status: null, from: '', to: '', clientId: '' };

function dayStart(date: string, timeZone: string | undefined, plusDays = 0): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const wall = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) + plusDays, hour: 0, minute: 0 };
  if (!timeZone) return new Date(wall.year, wall.month - 1, wall.day).getTime();
  // Day overflow (day 32) is normalised through Date.UTC inside zonedToUtc's arithmetic.
  const normalised = new Date(Date.UTC(wall.year, wall.month - 1, wall.day));
  return zonedToUtc({ year: normalised.getUTCFullYear(), month: normalised.getUTCMonth() + 1, day: normalised.getUTCDate(), hour: 0, minute: 0 }, timeZone);
}

/** The delivery log: filters, newest first, pages of 200, live (debounced refetch on deliveryLogChanged), CSV export. */
export function DeliveryLogScreen({ route }: { route: Route }) {
  const { api } = useConnection();
  const { t, locale } = useI18n();
  const { current } = useLocationChoice();
  const [filters, setFilters] = useState<Filters>(() => ({ ...NO_FILTERS, clientId: route.params[0] === 'client' ? (route.params[1] ?? '') : '' }));
  const [entries, setEntries] = useState<DeliveryLogEntry[] | undefined>();
  const [exhausted, setExhausted] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [expanded, setExpanded] = useState<string | undefined>();
  const [exporting, setExporting] = useState<number | undefined>();
  const shown = useRef(PAGE);
  const generation = useRef(0);

  const request = useCallback(
    (limit: number, toMs?: number): RequestOf<'log.list'> => {
      const fromMs = dayStart(filters.from, current?.timeZone);
      const endMs = dayStart(filters.to, current?.timeZone, 1);
      const upper = [toMs, endMs !== undefined ? endMs - 1 : undefined].filter((v): v is number => v !== undefined);
      return {
        limit,
        ...(current ? { locationId: current.id } : {}),
        ...(filters.type ? { type: filters.type } : {}),
        ...(filters.channel ? { channel: filters.channel } : {}),
        ...(filters.status ? { status: filters.status } : {}),
        ...(filters.clientId.trim() ? { clientId: filters.clientId.trim() } : {}),
        ...(fromMs !== undefined ? { fromMs } : {}),
        ...(upper.length ? { toMs: Math.min(...upper) } : {}),
      };
    },
    [filters, current],
  );

  /** Loads the newest `limit` entries for the filters (a refresh keeps as many rows as were shown). */
  const load = useCallback(
    (limit: number) => {
      const mine = ++generation.current;
      setLoading(true);
      api
        .call('log.list', request(Math.min(limit, 1000)))
        .then((result) => {
          if (mine !== generation.current) return;
          const list = result.entries as unknown as DeliveryLogEntry[];
          setEntries(list);
          setExhausted(list.length < Math.min(limit, 1000));
          setError(undefined);
        })
        .catch((e: Error) => mine === generation.current && setError(e.message))
        .finally(() => mine === generation.current && setLoading(false));
    },
    [api, request],
  );
  useEffect(() => {
    shown.current = PAGE;
    load(PAGE);
  }, [load]);
  useHostEvent('deliveryLogChanged', () => load(shown.current), 400);

  const loadMore = async () => {
    if (!entries?.length) return;
    setLoading(true);
    try {
      const last = entries[entries.length - 1]!;
      const result = await api.call('log.list', request(PAGE + 50, last.atMs));
      const seen = new Set(entries.map((e) => e.id));
      const more = (result.entries as unknown as DeliveryLogEntry[]).filter((e) => !seen.has(e.id));
      setEntries([...entries, ...more]);
      shown.current = entries.length + more.length;
      setExhausted(more.length === 0);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  };

  const exportCsv = async () => {
    const all: DeliveryLogEntry[] = [];
    const seen = new Set<string>();
    let toMs: number | undefined;
    setExporting(0);
    try {
      while (all.length < EXPORT_CAP) {
        const page = (await api.call('log.list', request(1000, toMs))).entries as unknown as DeliveryLogEntry[];
        const fresh = page.filter((e) => !seen.has(e.id));
        for (const e of fresh) seen.add(e.id);
        all.push(...fresh);
        setExporting(all.length);
        if (page.length < 1000 || fresh.length === 0) break;
        toMs = page[page.length - 1]!.atMs;
      }
      download(`frontdesk-delivery-log-${new Date().toISOString().slice(0, 10)}.csv`, toCsv(all));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setExporting(undefined);
    }
  };

  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);

  return (
    <Stack gap="lg" data-testid="delivery-log">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('log.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('log.subtitle')}
          </Text>
        </div>
        <Button leftSection={<IconDownload size={16} />} variant="light" loading={exporting !== undefined} onClick={() => void exportCsv()} data-testid="log-export">
          {exporting !== undefined ? t('log.exporting', { count: exporting }) : t('log.export')}
        </Button>
      </Group>

      <Paper withBorder radius="lg" p="md" data-testid="log-filters">
        <Group align="flex-end" gap="xs">
          <IconFilter size={18} style={{ marginBottom: 9, opacity: 0.6 }} />
          <Select label={t('log.type')} placeholder={t('common.all')} clearable w={190} value={filters.type} onChange={(type) => set({ type })} data={NOTIFICATION_TYPES.map((v) => ({ value: v, label: t(`type.${v}` as MessageKey) }))} data-testid="log-filter-type" />
          <Select label={t('log.channel')} placeholder={t('common.all')} clearable w={170} value={filters.channel} onChange={(channel) => set({ channel })} data={CHANNELS.map((v) => ({ value: v, label: t(`channel.${v}` as MessageKey) }))} data-testid="log-filter-channel" />
          <Select label={t('log.status')} placeholder={t('common.all')} clearable w={140} value={filters.status} onChange={(status) => set({ status })} data={DELIVERY_STATUSES.map((v) => ({ value: v, label: t(`deliveryStatus.${v}` as MessageKey) }))} data-testid="log-filter-status" />
          <TextInput type="date" label={t('log.from')} w={145} value={filters.from} onChange={(e) => set({ from: e.currentTarget.value })} data-testid="log-filter-from" />
          <TextInput type="date" label={t('log.to')} w={145} value={filters.to} onChange={(e) => set({ to: e.currentTarget.value })} data-testid="log-filter-to" />
          <TextInput label={t('log.client')} placeholder={t('log.clientPlaceholder')} w={150} value={filters.clientId} onChange={(e) => set({ clientId: e.currentTarget.value })} data-testid="log-filter-client" />
          {filtered && (
            <Button variant="subtle" color="gray" leftSection={<IconFilterOff size={16} />} onClick={() => setFilters(NO_FILTERS)}>
              {t('log.reset')}
            </Button>
          )}
        </Group>
      </Paper>

      {error && <Alert color="red">{error}</Alert>}
      {!entries && !error && (
        <Center h={200}>
          <Loader />
        </Center>
      )}
      {entries && entries.length === 0 && (
        <Paper withBorder radius="lg" p="xl">
          <Stack align="center" gap="xs" c="dimmed">
            <IconInbox size={36} />
            <Text c="dimmed">{t('log.empty')}</Text>
          </Stack>
        </Paper>
      )}
      {entries && entries.length > 0 && (
        <Paper withBorder radius="lg" style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={900} maxHeight="calc(100vh - 330px)" type="native">
            <Table highlightOnHover verticalSpacing={8} horizontalSpacing="md" data-testid="log-table" stickyHeader>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={28} />
                  <Table.Th w={170}>{t('log.when')}</Table.Th>
                  <Table.Th>{t('log.type')}</Table.Th>
                  <Table.Th>{t('log.channel')}</Table.Th>
                  <Table.Th>{t('log.status')}</Table.Th>
                  <Table.Th>{t('log.recipient')}</Table.Th>
                  <Table.Th>{t('log.details')}</Table.Th>
                  <Table.Th w={40} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.map((entry) => {
                  const Icon = CHANNEL_ICONS[entry.channel];
                  const open = expanded === entry.id;
                  return (
                    <Fragment key={entry.id}>
                      <Table.Tr data-testid="log-row" data-status={entry.status} style={{ cursor: 'pointer' }} onClick={() => setExpanded(open ? undefined : entry.id)}>
                        <Table.Td>{open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}</Table.Td>
                        <Table.Td>
                          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                            {formatDateTime(entry.atMs, locale, current?.timeZone)}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                            {t(`type.${entry.type}` as MessageKey)}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Group gap={6} wrap="nowrap">
                            <Icon size={15} stroke={1.6} />
                            <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                              {t(`channel.${entry.channel}` as MessageKey)}
                            </Text>
                          </Group>
                        </Table.Td>
                        <Table.Td>
                          <Badge variant="light" color={STATUS_COLOR[entry.status]} tt="none" style={{ minWidth: 'max-content' }}>
                            {t(`deliveryStatus.${entry.status}` as MessageKey)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" truncate maw={200}>
                            {entry.recipient || '—'}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" c="dimmed" lineClamp={1} maw={240}>
                            {entry.reason ?? entry.subject ?? entry.body ?? ''}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          {entry.appointmentId && (
                            <Tooltip label={t('log.openVisit')} withArrow>
                              <ActionIcon
                                variant="subtle"
                                aria-label={t('log.openVisit')}
                                onClick={(e) => {
                                  e.stopPropagation();
                                  openVisit(entry.appointmentId);
                                }}
                              >
                                <IconExternalLink size={16} />
                              </ActionIcon>
                            </Tooltip>
                          )}
                        </Table.Td>
                      </Table.Tr>
                      {open && (
                        <Table.Tr>
                          <Table.Td />
                          <Table.Td colSpan={7}>
                            <Box py={4} data-testid="log-entry-details">
                              {entry.subject && (
                                <Text fw={600} size="sm" mb={4}>
                                  {entry.subject}
                                </Text>
                              )}
                              {entry.body && (
                                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} mb="xs">
                                  {entry.body}
                                </Text>
                              )}
                              {entry.reason && (
                                <Text size="sm" c="dimmed">
                                  {entry.reason}
                                </Text>
                              )}
                              {entry.providerReply && <Code block>{entry.providerReply}</Code>}
                              <Group gap="md" mt={6}>
                                <Text size="xs" c="dimmed" ff="monospace">
                                  job {entry.jobId}
                                </Text>
                                {entry.clientId && (
                                  <Button size="compact-xs" variant="subtle" onClick={() => set({ clientId: entry.clientId ?? '' })}>
                                    {t('log.client')}: {entry.clientId}
                                  </Button>
                                )}
                              </Group>
                            </Box>
                          </Table.Td>
                        </Table.Tr>
                      )}
                    </Fragment>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group justify="space-between" px="md" py="sm" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
            <Text size="sm" c="dimmed" data-testid="log-count">
              {t('log.shown', { count: entries.length })}
            </Text>
            {!exhausted && (
              <Button variant="default" size="xs" loading={loading} onClick={() => void loadMore()} data-testid="log-load-more">
                {t('log.loadMore')}
              </Button>
            )}
          </Group>
        </Paper>
      )}
    </Stack>
  );
}
