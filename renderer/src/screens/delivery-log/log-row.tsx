import { memo, type CSSProperties, type ReactElement } from 'react';
import { Box, Button, Code, Group, Text } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconExternalLink } from '@tabler/icons-react';
import type { DeliveryLogEntry, DeliveryStatus } from '../../../../shared/domain/delivery-log.ts';
import type { Channel } from '../../../../shared/notifications/catalog.ts';
import type { MessageKey, Translate } from '../../app/i18n.ts';
import { openVisit } from '../../app/router.ts';
import { CHANNEL_ICONS } from '../settings/cascade-card.tsx';

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
  retrying: 'indigo',
};

/** The light badge colours per status, as CSS variables for `.fd-log-badge`; one object per status, built once. */
const BADGE_STYLE = Object.fromEntries(
  Object.entries(STATUS_COLOR).map(([status, color]) => [status, { '--fd-badge-bg': `var(--mantine-color-${color}-light)`, '--fd-badge-color': `var(--mantine-color-${color}-light-color)` } as CSSProperties]),
) as Record<DeliveryStatus, CSSProperties>;

/*
 * The rows' icons as elements made once: a row re-renders for every new list, and React skips an element it rendered
 * before (the same object) instead of rendering the icon's svg and paths again. A channel's icon is the same object in
 * every row of that channel.
 */
const CHANNEL_ICON = Object.fromEntries(Object.entries(CHANNEL_ICONS).map(([channel, Icon]) => [channel, <Icon size={15} stroke={1.6} />])) as Record<Channel, ReactElement>;
const CHEVRON_OPEN = <IconChevronDown size={14} />;
const CHEVRON_CLOSED = <IconChevronRight size={14} />;
const OPEN_VISIT = <IconExternalLink size={16} />;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Same output as app/format.ts formatDateTime, with one Intl.DateTimeFormat per locale and zone. */
export function formatLogTime(ms: number, locale: string, timeZone: string | undefined): string {
  const key = `${locale}|${timeZone ?? ''}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) });
    formatters.set(key, format);
  }
  return format.format(ms);
}

export interface LogRowProps {
  entry: DeliveryLogEntry;
  /** The row's aria-rowindex (1 is the header): the table renders only its first rows. */
  rowIndex: number;
  open: boolean;
  locale: string;
  timeZone: string | undefined;
  t: Translate;
  /** The client's name, when the entry is about a client the desk knows. */
  clientName: string | undefined;
  /** Why, in the desk's language (translated from the entry's reason code). */
  reason: string | undefined;
  /** Expands or collapses the row with this entry id (stable callback). */
  onToggle(id: string): void;
  /** Filters by this client (stable callback). */
  onClient(clientId: string): void;
}

/** One entry of the log (and its details when open); re-renders only when its own props change. */
export const LogRow = memo(function LogRow({ entry, rowIndex, open, locale, timeZone, t, clientName, reason, onToggle, onClient }: LogRowProps) {
  const openLabel = t('log.openVisit');
  const detailsId = `log-details-${entry.id}`;
  return (
    <>
      <tr className="fd-log-row" data-testid="log-row" data-entry={entry.id} data-type={entry.type} data-channel={entry.channel} data-status={entry.status} data-open={open || undefined} aria-rowindex={rowIndex} onClick={() => onToggle(entry.id)}>
        <td>
          {/* The row is clickable; this button makes it reachable and operable from the keyboard. */}
          <button
            type="button"
            className="fd-log-expand"
            aria-expanded={open}
            aria-controls={open ? detailsId : undefined}
            aria-label={open ? t('log.hideDetails') : t('log.showDetails')}
            data-testid="log-row-toggle"
            onClick={(e) => {
              e.stopPropagation();
              onToggle(entry.id);
            }}
          >
            {open ? CHEVRON_OPEN : CHEVRON_CLOSED}
          </button>
        </td>
        <td className="fd-log-nowrap">{formatLogTime(entry.atMs, locale, timeZone)}</td>
        <td className="fd-log-client" data-testid="log-client" data-client-id={entry.clientId}>{clientName ?? '—'}</td>
        <td>{t(`type.${entry.type}` as MessageKey)}</td>
        <td>
          <span className="fd-log-channel">
            {CHANNEL_ICON[entry.channel]}
            {t(`channel.${entry.channel}` as MessageKey)}
          </span>
        </td>
        <td>
          <span className="fd-log-badge" style={BADGE_STYLE[entry.status]}>
            {t(`deliveryStatus.${entry.status}` as MessageKey)}
          </span>
        </td>
        <td className="fd-log-recipient-cell">
          <span className="fd-log-truncate">{entry.recipient || '—'}</span>
        </td>
        <td className="fd-log-detail-cell">
          <span className="fd-log-detail-text">{reason ?? entry.subject ?? ''}</span>
        </td>
        <td>
          {entry.appointmentId && (
            <button
              type="button"
              className="fd-log-open"
              title={openLabel}
              aria-label={openLabel}
              onClick={(e) => {
                e.stopPropagation();
                openVisit(entry.appointmentId);
              }}
            >
              {OPEN_VISIT}
            </button>
          )}
        </td>
      </tr>
      {open && (
        <tr className="fd-log-details" id={detailsId} aria-rowindex={rowIndex + 1}>
          <td />
          <td colSpan={8}>
            <Box py={4} data-testid="log-entry-details">
              {reason && (
                <Text size="sm" mb={4} data-testid="log-entry-reason">
                  {reason}
                </Text>
              )}
              {entry.status === 'sandboxed' && (
                <Text size="xs" c="dimmed" mb={4}>
                  {t('msg.sandboxNote')}
                </Text>
              )}
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
              {entry.providerReply && <Code block>{entry.providerReply}</Code>}
              <Group gap="md" mt={6}>
                <Text size="xs" c="dimmed">
                  {t('log.recipient')}: {entry.recipient || '—'}
                </Text>
                {entry.costMicros !== undefined && entry.costCurrency ? (
                  <Text size="xs" c="dimmed" data-testid="log-entry-cost">
                    {t(entry.costEstimated ? 'log.cost.estimated' : 'log.cost', {
                      cost: new Intl.NumberFormat(locale, { style: 'currency', currency: entry.costCurrency }).format(entry.costMicros / 1_000_000),
                      segments: entry.segments ?? 1,
                    })}
                  </Text>
                ) : entry.segments !== undefined ? (
                  <Text size="xs" c="dimmed">{t('log.segments', { segments: entry.segments })}</Text>
                ) : null}
                {entry.clientId && (
                  <Button size="compact-xs" variant="subtle" onClick={() => onClient(entry.clientId ?? '')}>
                    {t('log.onlyThisClient', { client: clientName ?? t('log.client') })}
                  </Button>
                )}
              </Group>
            </Box>
          </td>
        </tr>
      )}
    </>
  );
});
