import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { Alert, Button, Center, Group, Loader, Paper, Select, Stack, Text, Title, type SelectProps } from '@mantine/core';
import { IconDownload, IconFilter, IconFilterOff, IconInbox } from '@tabler/icons-react';
import { DELIVERY_STATUSES, type DeliveryLogEntry } from '../../../../shared/domain/delivery-log.ts';
import { NOTIFICATION_TYPES } from '../../../../shared/domain/notification-settings.ts';
import { CHANNELS } from '../../../../shared/notifications/catalog.ts';
import { zonedToUtc } from '../../../../shared/notifications/zoned-time.ts';
import { clientDisplayName, type Client } from '../../../../shared/domain/client.ts';
import { errorText, reasonText } from '../../app/coded-text.ts';
import { DateField } from '../../app/fields.tsx';
import { indexClients, searchClients } from '../../data/client-search.ts';
import { useRxDocument, useRxQuery, useShownWhenReady } from '../../data/hooks.ts';
import { useConnection } from '../../app/connection-context.ts';
import { useHostEvent } from '../../app/host-events.ts';
import { useI18n, type MessageKey, type Translate } from '../../app/i18n.ts';
import { useLocationChoice } from '../../app/location-context.ts';
import type { Route } from '../../app/router.ts';
import { CSV_COLUMNS, csvSeparator, download, toCsv, type CsvColumn } from './csv.ts';
import { formatLogTime } from './log-row.tsx';
import { LogTable } from './log-table.tsx';
import { SpendSummary } from './spend.tsx';
import { filtersKey, type LogRequest } from './recent-entries.ts';
import { useRecentLogFeed } from './use-recent-log-feed.ts';
import './delivery-log.css';
import { displayPhone } from '../../../../shared/domain/phone.ts';

export { STATUS_COLOR } from './log-row.tsx';

const PAGE = 200;
const EXPORT_CAP = 100_000;

interface ShownRows {
  entries: DeliveryLogEntry[] | undefined;
  clientNames: ReadonlyMap<string, string>;
}

const NO_ROWS: ShownRows = { entries: undefined, clientNames: new Map() };

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

/** What the table shows; set as one object so a reload renders the table once. */
interface ListState {
  entries: DeliveryLogEntry[] | undefined;
  /** The entries answer a change of filters (rendered progressively, see log-table.tsx). */
  progressive: boolean;
  exhausted: boolean;
  loading: boolean;
  /** The load under way is "load more" (its button spins; a reload only dims the rows). */
  loadingMore: boolean;
  /** The failure as it came (translated when shown). */
  error: unknown;
  /** The answer the rows show: which load's (a count), of which filters (filtersKey), and from where. */
  answered?: { load: number; filters: string; by: 'page' | 'host' };
}

/** The delivery log: filters, newest first, pages of 200, live (debounced refetch on deliveryLogChanged), CSV export. */
export function DeliveryLogScreen({ route }: { route: Route }) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { current } = useLocationChoice();
  const locationId = current?.id;
  const clients = useRxQuery<Client>((db) => (locationId ? db.clients.find({ selector: { locationId } }) : undefined), [locationId]);
  const { doc: salonDoc } = useRxDocument('locations', locationId);
  const clientNames = useMemo(() => new Map(clients.docs.map((c) => [c.id, clientDisplayName(c)])), [clients.docs]);
  const [filters, setFilters] = useState<Filters>(() => ({ ...NO_FILTERS, clientId: route.params[0] === 'client' ? (route.params[1] ?? '') : '' }));
  const [list, setList] = useState<ListState>({ entries: undefined, progressive: true, exhausted: false, loading: false, loadingMore: false, error: undefined });
  const { entries, progressive, exhausted, loading, loadingMore, error } = list;
  const [expanded, setExpanded] = useState<string | undefined>();
  const [exporting, setExporting] = useState<number | undefined>();
  const shown = useRef(PAGE);
  const generation = useRef(0);
  /** deliveryLogChanged events heard so far, and how many of them the last reload had heard when it was sent. */
  const logChanges = useRef({ heard: 0, covered: 0 });

  const filtersNow = useRef(filters);
  filtersNow.current = filters;
  const feed = useRecentLogFeed(api, locationId, entries !== undefined);
  const feedNow = useRef(feed);
  feedNow.current = feed;

  const requestFor = useCallback(
    (of: Filters, limit: number, toMs?: number): LogRequest => {
      const fromMs = dayStart(of.from, current?.timeZone);
      const endMs = dayStart(of.to, current?.timeZone, 1);
      const upper = [toMs, endMs !== undefined ? endMs - 1 : undefined].filter((v): v is number => v !== undefined);
      return {
        limit,
        ...(current ? { locationId: current.id } : {}),
        ...(of.type ? { type: of.type } : {}),
        ...(of.channel ? { channel: of.channel } : {}),
        ...(of.status ? { status: of.status } : {}),
        ...(of.clientId.trim() ? { clientId: of.clientId.trim() } : {}),
        ...(fromMs !== undefined ? { fromMs } : {}),
        ...(upper.length ? { toMs: Math.min(...upper) } : {}),
      };
    },
    [current],
  );
  const request = useCallback((limit: number, toMs?: number) => requestFor(filters, limit, toMs), [requestFor, filters]);

  /**
   * Loads the newest `limit` entries for `of` (a refresh keeps as many rows as were shown). The old rows stay
   * while loading (dimmed); the result replaces them and clears the busy flag in one render. True if the page's recent
   * entries answered at once: `beforeShowing` runs first then, and the rows render in a microtask after it.
   */
  const load = useCallback(
    (of: Filters, limit: number, progressive: boolean, beforeShowing?: () => void): boolean => {
      const mine = ++generation.current;
      logChanges.current.covered = logChanges.current.heard;
      const asked = requestFor(of, Math.min(limit, 1000));
      const answered = { load: mine, filters: filtersKey(asked) };
      // The newest entries are here and hold the whole answer: shown at once, in the task of the click.
      const here = feedNow.current.answer(asked);
      if (here) {
        const show = () => flushSync(() => setList({ entries: here, progressive, exhausted: here.length < asked.limit, loading: false, loadingMore: false, error: undefined, answered: { ...answered, by: 'page' } }));
        if (!beforeShowing) show();
        else {
          beforeShowing();
          queueMicrotask(() => mine === generation.current && show());
        }
        return true;
      }
      setList((s) => (s.loading && !s.loadingMore ? s : { ...s, loading: true, loadingMore: false }));
      api
        .call('log.list', asked)
        .then(
          (result) => {
            if (mine !== generation.current) return;
            const next = result.entries as unknown as DeliveryLogEntry[];
            // Rendered in the task that brought the answer, not one the scheduler queues behind whatever else waits.
            flushSync(() => setList({ entries: next, progressive, exhausted: next.length < asked.limit, loading: false, loadingMore: false, error: undefined, answered: { ...answered, by: 'host' } }));
          },
          (e: unknown) => {
            if (mine !== generation.current) return;
            // What this reload covered was not shown: the next change event's refresh must run.
            logChanges.current.covered = 0;
            setList((s) => ({ ...s, loading: false, loadingMore: false, error: e }));
          },
        );
      return false;
    },
    [api, requestFor],
  );
  const loadNow = useRef(load);
  loadNow.current = load;
  // On opening and when the location changes; a change of filters loads from its own event (see `set`).
  useEffect(() => {
    shown.current = PAGE;
    load(filtersNow.current, PAGE, true);
  }, [load]);
  useHostEvent('deliveryLogChanged', () => {
    logChanges.current.heard++;
  });
  // A reload sent after the change was heard (a filter picked meanwhile) already has it: the host sends the event once
  // the change is written, so a request it answers later sees it. Refreshing again cost the host a query and the page
  // an answer to handle, often in the middle of the next filter's.
  useHostEvent(
    'deliveryLogChanged',
    () => {
      if (logChanges.current.covered < logChanges.current.heard) load(filtersNow.current, shown.current, false);
    },
    400,
  );

  const loadMore = useCallback(async () => {
    if (!entries?.length) return;
    const mine = ++generation.current;
    setList((s) => ({ ...s, loading: true, loadingMore: true }));
    try {
      const last = entries[entries.length - 1]!;
      const result = await api.call('log.list', request(PAGE + 50, last.atMs));
      if (mine !== generation.current) return;
      const seen = new Set(entries.map((e) => e.id));
      const more = (result.entries as unknown as DeliveryLogEntry[]).filter((e) => !seen.has(e.id));
      shown.current = entries.length + more.length;
      setList((s) => ({ ...s, entries: [...entries, ...more], progressive: false, exhausted: more.length === 0, loading: false, loadingMore: false, error: undefined }));
    } catch (e) {
      if (mine === generation.current) setList((s) => ({ ...s, loading: false, loadingMore: false, error: e }));
    }
  }, [api, entries, request]);
  const onLoadMore = useCallback(() => void loadMore(), [loadMore]);

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
      const zone = timeZone ?? 'UTC';
      const headers = Object.fromEntries(CSV_COLUMNS.map((c) => [c, t(`csv.${c}` as MessageKey)])) as Record<CsvColumn, string>;
      const csv = toCsv(all, {
        separator: csvSeparator(salonLocale ?? locale),
        timeZone: zone,
        headers,
        typeLabel: (code) => i18n.tryT(`type.${code}`) ?? code,
        channelLabel: (code) => i18n.tryT(`channel.${code}`) ?? code,
        statusLabel: (code) => i18n.tryT(`deliveryStatus.${code}`) ?? code,
        reasonText: (entry) => reasonText(i18n, entry, (ms) => formatLogTime(ms, locale, zone)),
        clientName: (id) => clientNames.get(id),
      });
      download(`frontdesk-delivery-log-${new Date().toISOString().slice(0, 10)}.csv`, csv);
    } catch (e) {
      setList((s) => ({ ...s, error: e }));
    } finally {
      setExporting(undefined);
    }
  };

  /**
   * A change of filters sends its request before anything re-renders: from an effect, the request waited for the
   * render of the filters and a frame (50+ ms of a filter's click) before it left. Answered in the page, the rows
   * render after the filters and the select's closing dropdown (React renders those in a microtask queued before the
   * rows'): the select's input, given its new value in that commit, lays the page out there and then, and with the new
   * rows already in, that layout was theirs too (a fifth of the page's time per filter, UI_BENCH_LOG_TRACE).
   */
  const change = useCallback((next: Filters) => {
    filtersNow.current = next;
    shown.current = PAGE;
    if (!loadNow.current(next, PAGE, true, () => setFilters(next))) setFilters(next);
  }, []);
  const set = useCallback((patch: Partial<Filters>) => change({ ...filtersNow.current, ...patch }), [change]);
  const toggle = useCallback((id: string) => setExpanded((open) => (open === id ? undefined : id)), []);
  const filterByClient = useCallback((clientId: string) => set({ clientId }), [set]);
  const reset = useCallback(() => change(NO_FILTERS), [change]);
  const timeZone = current?.timeZone;
  const salonLocale = salonDoc?.locale;
  const why = useCallback((entry: DeliveryLogEntry) => reasonText(i18n, entry, (ms) => formatLogTime(ms, locale, timeZone)), [i18n, locale, timeZone]);
  // The rows show with their clients' names: the entries come from the host's answer, the names from the storage, and
  // either may come first; rows before their names showed a dash in every client cell for a moment.
  const live = useMemo<ShownRows>(() => ({ entries, clientNames }), [entries, clientNames]);
  const rows = useShownWhenReady(live, clients.fresh, NO_ROWS);

  return (
    <Stack gap="lg" data-testid="delivery-log" data-answer={list.answered?.load} data-answered-by={list.answered?.by} data-answered-filters={list.answered?.filters}>
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

      {locationId ? <SpendSummary locationId={locationId} /> : null}

      <LogFilters filters={filters} set={set} reset={reset} clients={clients.docs} clientNames={clientNames} t={t} />

      {error !== undefined && <Alert color="red">{errorText(i18n, error)}</Alert>}
      {!rows.entries && error === undefined && (
        <Center h={200}>
          <Loader />
        </Center>
      )}
      {rows.entries && rows.entries.length === 0 && (
        <Paper withBorder radius="lg" p="xl" data-busy={loading || undefined}>
          <Stack align="center" gap="xs" c="dimmed">
            {loading ? <Loader size="sm" /> : <IconInbox size={36} />}
            <Text c="dimmed">{t('log.empty')}</Text>
          </Stack>
        </Paper>
      )}
      {rows.entries && rows.entries.length > 0 && (
        <LogTable
          entries={rows.entries}
          progressive={progressive}
          loading={loading}
          loadingMore={loadingMore}
          exhausted={exhausted}
          expanded={expanded}
          locale={locale}
          timeZone={timeZone}
          t={t}
          clientNames={rows.clientNames}
          why={why}
          onToggle={toggle}
          onClient={filterByClient}
          onLoadMore={onLoadMore}
        />
      )}
    </Stack>
  );
}

/**
 * A closed filter's options leave the page instead of staying hidden in it (Mantine's default): the hidden dropdown was
 * positioned again by floating-ui in the commit that closes it, after the filter's rows were in the page, and reading
 * its size laid out the page with them — 11 % of the page's script per filter (bench:ui UI_BENCH_LOG_TRACE with
 * UI_BENCH_TRACE_JS: getCssDimensions 339 of 2,951 samples; 30 with this). Opening a filter mounts its dozen options.
 */
const FILTER_COMBOBOX = { keepMounted: false } as const;
/** Each filter re-renders only when its own value changes (a date field alone costs milliseconds a render). */
const FilterSelect = memo((props: SelectProps) => <Select comboboxProps={FILTER_COMBOBOX} {...props} />);
const FilterDate = memo(DateField);

/** The filters; memoised so that a new list or an opened row does not re-render the selects. */
const LogFilters = memo(function LogFilters({ filters, set, reset, clients, clientNames, t }: { filters: Filters; set(patch: Partial<Filters>): void; reset(): void; clients: readonly Client[]; clientNames: ReadonlyMap<string, string>; t: Translate }) {
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);
  const typeOptions = useMemo(() => NOTIFICATION_TYPES.map((v) => ({ value: v, label: t(`type.${v}` as MessageKey) })), [t]);
  const channelOptions = useMemo(() => CHANNELS.map((v) => ({ value: v, label: t(`channel.${v}` as MessageKey) })), [t]);
  const statusOptions = useMemo(() => DELIVERY_STATUSES.map((v) => ({ value: v, label: t(`deliveryStatus.${v}` as MessageKey) })), [t]);
  const on = useMemo(
    () => ({
      type: (type: string | null) => set({ type }),
      channel: (channel: string | null) => set({ channel }),
      status: (status: string | null) => set({ status }),
      from: (from: string) => set({ from }),
      to: (to: string) => set({ to }),
      clientId: (clientId: string) => set({ clientId }),
    }),
    [set],
  );
  return (
    <Paper withBorder radius="lg" p="md" data-testid="log-filters">
      <Group align="flex-end" gap="xs">
        <IconFilter size={18} style={{ marginBottom: 9, opacity: 0.6 }} />
        <FilterSelect label={t('log.type')} placeholder={t('common.all')} clearable w={190} value={filters.type} onChange={on.type} data={typeOptions} data-testid="log-filter-type" />
        <FilterSelect label={t('log.channel')} placeholder={t('common.all')} clearable w={170} value={filters.channel} onChange={on.channel} data={channelOptions} data-testid="log-filter-channel" />
        <FilterSelect label={t('log.status')} placeholder={t('common.all')} clearable w={140} value={filters.status} onChange={on.status} data={statusOptions} data-testid="log-filter-status" />
        <FilterDate label={t('log.from')} w={150} clearable value={filters.from} onChange={on.from} data-testid="log-filter-from" />
        <FilterDate label={t('log.to')} w={150} clearable value={filters.to} onChange={on.to} data-testid="log-filter-to" />
        <ClientFilter clients={clients} names={clientNames} value={filters.clientId} onChange={on.clientId} />
        {filtered && (
          <Button variant="subtle" color="gray" leftSection={<IconFilterOff size={16} />} onClick={() => reset()}>
            {t('log.reset')}
          </Button>
        )}
      </Group>
    </Paper>
  );
});

/** Filters by client: type a name, phone or email, pick the client (the log is filtered by the client's id). */
const ClientFilter = memo(function ClientFilter({ clients, names, value, onChange }: { clients: readonly Client[]; names: ReadonlyMap<string, string>; value: string; onChange(clientId: string): void }) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const index = useMemo(() => indexClients(clients), [clients]);
  // Clients of the same name (the demo salon has several) are told apart by their phone or email in the list.
  const namesakes = useMemo(() => {
    const seen = new Map<string, number>();
    for (const name of names.values()) seen.set(name, (seen.get(name) ?? 0) + 1);
    return seen;
  }, [names]);
  const options = useMemo(() => {
    const labelOf = (c: Client) => {
      const name = names.get(c.id) ?? c.id;
      const contact = c.phone ? displayPhone(c.phone) : c.email;
      return (namesakes.get(name) ?? 0) > 1 && contact ? `${name} · ${contact}` : name;
    };
    const found = searchClients(index, search, 30).map((c) => ({ value: c.id, label: labelOf(c) }));
    if (!value || found.some((o) => o.value === value)) return found;
    // The chosen client is shown even when the search no longer finds it, with the same label as in the list.
    const chosen = clients.find((c) => c.id === value);
    return [{ value, label: chosen ? labelOf(chosen) : (names.get(value) ?? t('log.client')) }, ...found];
  }, [index, search, value, clients, names, namesakes, t]);
  return (
    <Select
      label={t('log.client')}
      placeholder={t('log.clientPlaceholder')}
      w={230}
      searchable
      clearable
      data={options}
      value={value || null}
      onChange={(id) => onChange(id ?? '')}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={t('log.noClient')}
      data-testid="log-filter-client"
    />
  );
});
