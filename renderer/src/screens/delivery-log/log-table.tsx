/**
 * The delivery log's table: memoised so that a filter being picked does not re-render it, and filled progressively
 * after a reload — the first rows (more than a window shows) in the render that swaps the list, the rest a chunk per
 * task. 200 rows with their icons in one render was one main-thread task of 100+ ms between a filter's click and
 * the rows on screen; in chunks no task runs long and the rows in view come first.
 */
import { memo, useEffect, useState } from 'react';
import { Button, Group, Paper, Table, Text } from '@mantine/core';
import type { DeliveryLogEntry } from '../../../../shared/domain/delivery-log.ts';
import type { Translate } from '../../app/i18n.ts';
import { LogRow } from './log-row.tsx';

/** Rows rendered with a new list (about twice what a full-height window shows), then per following task. */
export const FIRST_ROWS = 40;
export const ROWS_PER_STEP = 40;

/**
 * Rows to render when the list becomes `entries`, having rendered `shown` of the previous one: a new filter starts
 * over at FIRST_ROWS; a live refresh or "load more" keeps at least what was shown (a reset would make the page jump).
 */
export function rowsForNewList(shown: number, length: number, progressive: boolean): number {
  return progressive ? Math.min(FIRST_ROWS, length) : Math.max(shown, length);
}

/** Rows to render after one more step of a progressive list. */
export function rowsAfterStep(shown: number, length: number): number {
  return Math.min(shown + ROWS_PER_STEP, length);
}

/** How many of `entries` to render: all at once unless `progressive`, then FIRST_ROWS and more each task. */
export function useProgressiveCount(entries: readonly unknown[], progressive: boolean): number {
  const [state, setState] = useState({ entries, count: rowsForNewList(0, entries.length, progressive) });
  let { count } = state;
  if (state.entries !== entries) {
    count = rowsForNewList(state.count, entries.length, progressive);
    setState({ entries, count });
  }
  useEffect(() => {
    if (count >= entries.length) return;
    const timer = setTimeout(() => setState((s) => (s.entries === entries ? { entries, count: rowsAfterStep(s.count, entries.length) } : s)), 0);
    return () => clearTimeout(timer);
  }, [entries, count]);
  return Math.min(count, entries.length);
}

export interface LogTableProps {
  entries: DeliveryLogEntry[];
  /** The list came from a change of filters: render it progressively (see above). */
  progressive: boolean;
  loading: boolean;
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

export const LogTable = memo(function LogTable({ entries, progressive, loading, exhausted, expanded, locale, timeZone, t, clientNames, why, onToggle, onClient, onLoadMore }: LogTableProps) {
  const count = useProgressiveCount(entries, progressive);
  return (
    <Paper withBorder radius="lg" style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer minWidth={860} maxHeight="calc(100vh - 330px)" type="native">
        <Table className="fd-log-table" verticalSpacing={8} horizontalSpacing="sm" data-testid="log-table" data-busy={loading || undefined} aria-busy={loading} stickyHeader>
          <LogHead t={t} />
          <tbody>
            {entries.slice(0, count).map((entry) => (
              <LogRow
                key={entry.id}
                entry={entry}
                open={expanded === entry.id}
                locale={locale}
                timeZone={timeZone}
                t={t}
                clientName={entry.clientId ? clientNames.get(entry.clientId) : undefined}
                reason={why(entry)}
                onToggle={onToggle}
                onClient={onClient}
              />
            ))}
          </tbody>
        </Table>
      </Table.ScrollContainer>
      <Group justify="space-between" px="md" py="sm" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
        <Text size="sm" c="dimmed" data-testid="log-count">
          {t('log.shown', { count: entries.length })}
        </Text>
        {!exhausted && (
          <Button variant="default" size="xs" loading={loading} onClick={onLoadMore} data-testid="log-load-more">
            {t('log.loadMore')}
          </Button>
        )}
      </Group>
    </Paper>
  );
});

const LogHead = memo(function LogHead({ t }: { t: Translate }) {
  return (
    <Table.Thead>
      <Table.Tr>
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
