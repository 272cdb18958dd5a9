/**
 * The delivery log's table: memoised so that a filter being picked does not re-render it, and windowed at the bottom:
 * a new list renders the rows a window shows (and some), and more rows as the last one comes near the scroll view.
 * The 200 rows of a page in the DOM made every style, layout and paint of the screen — the busy dimming, a filter's
 * dropdown, the next list — cost 15–25 ms a frame, and a filter's click waited behind those frames.
 */
import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Button, Group, Paper, Table, Text } from '@mantine/core';
import type { DeliveryLogEntry } from '../../../../shared/domain/delivery-log.ts';
import type { Translate } from '../../app/i18n.ts';
import { LogRow } from './log-row.tsx';

/**
 * Rows rendered with a new list before the table was measured, and at most: more than the table shows in a
 * full-height window (a row is at least MIN_ROW_PX).
 */
export const FIRST_ROWS = 24;
/** Rows added each time the last rendered one comes within NEAR_PX of the scroll view. */
export const ROWS_PER_STEP = 40;
export const NEAR_PX = 150;
/** A row of one line. */
export const MIN_ROW_PX = 37;
/** Columns of a row, for the spacer row below the rendered ones. */
const COLUMNS = 9;
/** A reload that has not answered by then dims the rows it will replace. */
export const DIM_AFTER_MS = 200;

/**
 * Sets `data-dim` on the element once `busy` has lasted DIM_AFTER_MS, and takes it off in the commit that ends it.
 * A timer, not a CSS transition delay: a delayed opacity transition was started and cancelled at every reload, and
 * the frame showing the answer rebuilt the table's paint layers for it (most reloads answer well within the delay).
 */
export function useDimWhenSlow(element: { readonly current: HTMLElement | null }, busy: boolean): void {
  useLayoutEffect(() => {
    const target = element.current;
    if (!busy || !target) return;
    const timer = setTimeout(() => target.setAttribute('data-dim', ''), DIM_AFTER_MS);
    return () => {
      clearTimeout(timer);
      target.removeAttribute('data-dim');
    };
  }, [element, busy]);
}

/** The table as the last layout left it: its scroll view's height and its rows' average height, in px. */
export interface RowMetrics {
  viewPx?: number;
  rowPx?: number;
}

/**
 * Rows that fill the scroll view and the NEAR_PX below it, so that the marker below them is not near at once: rows
 * were two lines high in most lists (type names and reasons wrap), and rendering FIRST_ROWS of them laid out and
 * painted twice the rows a window shows. The rows are assumed as high as in the lists so far (useRowMetrics); shorter
 * ones leave the marker near, and the next rows follow as on scrolling. FIRST_ROWS until measured, and at most.
 */
export function rowsToFill({ viewPx, rowPx }: RowMetrics): number {
  if (!viewPx || !rowPx) return FIRST_ROWS;
  return Math.min(FIRST_ROWS, Math.ceil((viewPx + NEAR_PX) / Math.max(rowPx, MIN_ROW_PX)) + 1);
}

/**
 * Rows to render when the list becomes `entries`, having rendered `shown` of the previous one: a new filter starts
 * over at `first` (rowsToFill); a live refresh or "load more" keeps what was shown (a reset would make the page jump),
 * and the rows below follow as they are scrolled to.
 */
export function rowsForNewList(shown: number, length: number, progressive: boolean, first = FIRST_ROWS): number {
  return Math.min(progressive ? first : Math.max(shown, first), length);
}

/** The scroll view is the window's height less the title, spend and filters above it and the footer below. */
const VIEW_OFFSET_PX = 330;

/**
 * The table's metrics for rowsToFill: the view from the window's height (a short list shrinks the view itself), the
 * rows' height from a ResizeObserver on their body, which reports after layout: nothing is read from the layout in the
 * task that renders a new list. The lowest average so far: a list of shorter rows than assumed leaves the marker near
 * at once, and the 40 rows that follow are removed again by the next filter, in the task that shows it.
 */
function useRowMetrics(body: { readonly current: HTMLTableSectionElement | null }): { readonly current: RowMetrics } {
  const metrics = useRef<RowMetrics>({});
  useEffect(() => {
    const rows = body.current;
    if (!rows || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([report]) => {
      if (!report || rows.rows.length === 0) return;
      const rowPx = report.contentRect.height / rows.rows.length;
      metrics.current = { viewPx: window.innerHeight - VIEW_OFFSET_PX, rowPx: Math.min(rowPx, metrics.current.rowPx ?? rowPx) };
    });
    observer.observe(rows);
    return () => observer.disconnect();
  }, [body]);
  return metrics;
}

/** The rows' React keys for a list, the list they were given for, and how many keys were made so far. */
export interface RowKeys {
  entries: readonly { id: string }[];
  keys: readonly string[];
  made: number;
}

/**
 * React keys for the rows of `entries`, given those of the list shown before. A new filter's rows take the places of
 * the old ones (`byPosition`: the row at place i keeps place i's key, so its cells are updated, not unmounted and
 * mounted again); a live refresh or "load more" keeps each entry's key, so that an entry's row, and the focus in it,
 * stay its own when newer entries come in above. Rows with no key to take get a new one.
 * One kind of key for both: keyed by place for one list and by entry for the next, every rendered row was mounted
 * anew at the switch, and again at the switch back (a live refresh, then a filter).
 */
export function rowKeysFor(previous: RowKeys | undefined, entries: readonly { id: string }[], byPosition: boolean): RowKeys {
  let made = previous?.made ?? 0;
  const fresh = () => `row-${++made}`;
  let keys: string[];
  if (!previous) keys = entries.map(fresh);
  else if (byPosition) keys = entries.map((_, i) => previous.keys[i] ?? fresh());
  else {
    const keyOf = new Map(previous.entries.map((entry, i) => [entry.id, previous.keys[i]!]));
    keys = entries.map((entry) => keyOf.get(entry.id) ?? fresh());
  }
  return { entries, keys, made };
}

/** The rows' keys (rowKeysFor), worked out once per list. */
function useRowKeys(entries: readonly { id: string }[], byPosition: boolean): readonly string[] {
  const [state, setState] = useState(() => rowKeysFor(undefined, entries, byPosition));
  if (state.entries === entries) return state.keys;
  const next = rowKeysFor(state, entries, byPosition);
  setState(next);
  return next.keys;
}

/** Rows to render once the last rendered row came near the scroll view. */
export function rowsAfterStep(shown: number, length: number): number {
  return Math.min(shown + ROWS_PER_STEP, length);
}

/**
 * How many of `entries` to render, and the ref for the marker row below them: when the marker comes within NEAR_PX
 * of `scroller`'s view, ROWS_PER_STEP more. Without IntersectionObserver every row is rendered.
 */
export function useRenderedRows(entries: readonly unknown[], progressive: boolean, scroller: { readonly current: HTMLElement | null }, metrics: { readonly current: RowMetrics }): [number, (marker: HTMLElement | null) => void] {
  const [state, setState] = useState({ entries, count: rowsForNewList(0, entries.length, progressive) });
  let { count } = state;
  if (state.entries !== entries) {
    count = rowsForNewList(state.count, entries.length, progressive, rowsToFill(metrics.current));
    setState({ entries, count });
  }
  const [marker, setMarker] = useState<HTMLElement | null>(null);
  const canObserve = typeof IntersectionObserver !== 'undefined';
  useEffect(() => {
    if (!marker || count >= entries.length) return;
    // A new observer per count: its first report says whether the marker is still near after the last step.
    const observer = new IntersectionObserver(
      (reports) => {
        if (!reports.some((r) => r.isIntersecting)) return;
        setState((s) => (s.entries === entries ? { entries, count: rowsAfterStep(s.count, entries.length) } : s));
      },
      { root: scroller.current, rootMargin: `0px 0px ${NEAR_PX}px 0px` },
    );
    observer.observe(marker);
    return () => observer.disconnect();
  }, [marker, entries, count, scroller]);
  return [canObserve ? Math.min(count, entries.length) : entries.length, setMarker];
}

export interface LogTableProps {
  entries: DeliveryLogEntry[];
  /** The list came from a change of filters: render it progressively (see above). */
  progressive: boolean;
  loading: boolean;
  /** The load under way is "load more": its button shows the spinner. */
  loadingMore: boolean;
  exhausted: boolean;
  expanded: string | undefined;
  locale: string;
  timeZone: string | undefined;
  t: Translate;
  clientNames: ReadonlyMap<string, string>;
  why(entry: DeliveryLogEntry): string | undefined;
  onToggle(id: string): void;
  onClient(clientId: string): void;
  onLoadMore(): void;
}

export const LogTable = memo(function LogTable({ entries, progressive, loading, loadingMore, exhausted, expanded, locale, timeZone, t, clientNames, why, onToggle, onClient, onLoadMore }: LogTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const table = useRef<HTMLTableElement>(null);
  const body = useRef<HTMLTableSectionElement>(null);
  const metrics = useRowMetrics(body);
  const [count, markerRef] = useRenderedRows(entries, progressive, scroller, metrics);
  const keys = useRowKeys(entries, progressive);
  useDimWhenSlow(table, loading);
  const openShown = expanded !== undefined && entries.slice(0, count).some((e) => e.id === expanded);
  return (
    <Paper withBorder radius="lg" style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer ref={scroller} minWidth={860} maxHeight={`calc(100vh - ${VIEW_OFFSET_PX}px)`} type="native">
        <Table
          ref={table}
          className="fd-log-table"
          verticalSpacing={8}
          horizontalSpacing="sm"
          data-testid="log-table"
          data-busy={loading || undefined}
          aria-busy={loading}
          // Rows not rendered yet are still the table's: their number, for assistive technology (each row says its place).
          aria-rowcount={1 + entries.length + (openShown ? 1 : 0)}
          stickyHeader
        >
          <LogHead t={t} />
          <tbody ref={body}>
            <LogRows entries={entries} count={count} keys={keys} expanded={expanded} locale={locale} timeZone={timeZone} t={t} clientNames={clientNames} why={why} onToggle={onToggle} onClient={onClient} />
            {count < entries.length && (
              <tr ref={markerRef} className="fd-log-more" aria-hidden="true">
                <td colSpan={COLUMNS} />
              </tr>
            )}
          </tbody>
        </Table>
      </Table.ScrollContainer>
      <Group justify="space-between" px="md" py="sm" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
        <Text size="sm" c="dimmed" data-testid="log-count">
          {t('log.shown', { count: entries.length })}
        </Text>
        {!exhausted && (
          // A reload only marks the button busy: Mantine's spinner fades in and out over 150 ms, re-rendering the
          // button while the answer is awaited and again in the frame that shows it. data-loading says it is busy;
          // data-reload keeps Mantine's loading look off it (delivery-log.css).
          <Button
            variant="default"
            size="xs"
            className="fd-log-load-more"
            {...(loadingMore ? { loading: true } : { disabled: loading, 'data-loading': loading || undefined, 'data-reload': loading || undefined })}
            onClick={onLoadMore}
            data-testid="log-load-more"
          >
            {t('log.loadMore')}
          </Button>
        )}
      </Group>
    </Paper>
  );
});

/** The rendered rows, keyed by rowKeysFor: their own memo, so that the busy flag of a reload re-renders only the table's frame. */
const LogRows = memo(function LogRows({ entries, count, keys, expanded, locale, timeZone, t, clientNames, why, onToggle, onClient }: Omit<LogTableProps, 'progressive' | 'loading' | 'loadingMore' | 'exhausted' | 'onLoadMore'> & { count: number; keys: readonly string[] }) {
  const rendered = entries.slice(0, count);
  const openAt = expanded === undefined ? -1 : rendered.findIndex((e) => e.id === expanded);
  return rendered.map((entry, i) => (
    <LogRow
      key={keys[i]}
      entry={entry}
      rowIndex={2 + i + (openAt >= 0 && openAt < i ? 1 : 0)}
      open={i === openAt}
      locale={locale}
      timeZone={timeZone}
      t={t}
      clientName={entry.clientId ? clientNames.get(entry.clientId) : undefined}
      reason={why(entry)}
      onToggle={onToggle}
      onClient={onClient}
    />
  ));
});

const LogHead = memo(function LogHead({ t }: { t: Translate }) {
  return (
    <Table.Thead>
      <Table.Tr aria-rowindex={1}>
        <Table.Th w={28} />
        <Table.Th w={170}>{t('log.when')}</Table.Th>
        <Table.Th>{t('log.client')}</Table.Th>
        <Table.Th>{t('log.type')}</Table.Th>
        <Table.Th>{t('log.channel')}</Table.Th>
        <Table.Th>{t('log.status')}</Table.Th>
        <Table.Th className="fd-log-recipient-cell">{t('log.recipient')}</Table.Th>
        <Table.Th>{t('log.details')}</Table.Th>
        <Table.Th w={40} />
      </Table.Tr>
    </Table.Thead>
  );
});
