/**
 * The sync status in the app chrome: "Local only" while sync is off; otherwise syncing (n left), up to date, offline
 * since…, or the problem with what to do — and which desk sends the messages. Refetched on the host's
 * `syncStatusChanged` event, never polled.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Badge, Stack, Text } from '@mantine/core';
import { SettledTooltip } from './settled-tooltip.tsx';
import { IconAlertTriangle, IconCloud, IconCloudOff, IconCloudUpload, IconDeviceDesktop, IconLockOpen } from '@tabler/icons-react';
import type { SyncStatusView } from '../../../shared/ipc/sync-contract.ts';
import { useConnection } from './connection-context.ts';
import { formatDateTime } from './format.ts';
import { useHostEvent } from './host-events.ts';
import { useI18n, type I18n } from './i18n.ts';

export function useSyncStatus(): SyncStatusView | undefined {
  const { api } = useConnection();
  const [status, setStatus] = useState<SyncStatusView | undefined>();
  const refresh = useCallback(() => {
    api
      .call('sync.status', {})
      .then(setStatus)
      .catch(() => {});
  }, [api]);
  useEffect(refresh, [refresh]);
  useHostEvent('syncStatusChanged', refresh, 100);
  return status;
}

/**
 * A problem code from the host in words: the translated text with its parameters (an instant as the desk's date and
 * time, "soon" when the host did not say), else the host's English sentence.
 */
export function syncProblemText(i18n: I18n, problem: { code: string; message: string; params?: Record<string, string | number> | undefined }): string {
  const { retryAt, ...params } = problem.params ?? {};
  const when = typeof retryAt === 'string' ? formatDateTime(Date.parse(retryAt), i18n.locale) : i18n.t('sync.retrySoon');
  return i18n.tryT(problem.code, { ...params, retryAt: when }) ?? problem.message;
}

/** One of this desk's documents the server refused: which (its kind and the desk's words for it), why, next try. */
export function setAsideText(i18n: I18n, entry: SyncStatusView['setAside'][number]): string {
  return i18n.t('sync.setAsideEntry', {
    collection: i18n.tryT(`sync.collection.${entry.collection}`) ?? entry.collection,
    description: entry.description,
    reason: i18n.tryT(entry.code, entry.params) ?? entry.reason,
    time: formatDateTime(Date.parse(entry.retryAt), i18n.locale),
  });
}

export function dispatcherText(i18n: I18n, location: SyncStatusView['locations'][number]): string {
  const { t } = i18n;
  if (location.dispatcher?.self) return t('sync.dispatcherSelf');
  if (location.dispatcher) return t('sync.dispatcherOther', { desk: location.dispatcher.deskName });
  return t('sync.dispatcherNone');
}

/**
 * Below Mantine's md breakpoint (the desktop app's smallest window, a laptop at 150 %) the badge shows only its icon
 * (shell.css: its words were cut with an ellipsis); they stay in the badge for a screen reader and lead its tooltip.
 */
const BADGE_CLASS = 'fd-status-badge';

function WordsOfNarrowBadge({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" fw={600} hiddenFrom="md">
      {children}
    </Text>
  );
}

export function SyncBadge({ modeLabel }: { modeLabel: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const status = useSyncStatus();
  if (!status || status.phase === 'off') {
    return (
      <SettledTooltip
        multiline
        w={260}
        withArrow
        label={
          <Stack gap={4}>
            <WordsOfNarrowBadge>
              {t('status.localOnly')} · {modeLabel}
            </WordsOfNarrowBadge>
            <Text size="sm">{t('status.localTooltip')}</Text>
          </Stack>
        }
      >
        <Badge color="teal" variant="light" size="lg" leftSection={<IconDeviceDesktop size={14} />} className={BADGE_CLASS} data-testid="status-badge" tt="none">
          {t('status.localOnly')} · {modeLabel}
        </Badge>
      </SettledTooltip>
    );
  }
  const pending = status.locations.reduce((n, l) => n + l.pending, 0);
  const progress = status.locations.find((l) => l.progress)?.progress;
  const offlineSince = status.locations.map((l) => l.offlineSince).find(Boolean);
  const problem = status.locations.map((l) => l.problem).find(Boolean);
  let label: string;
  let color: string;
  let icon = <IconCloud size={14} />;
  switch (status.phase) {
    case 'initial':
      label = t('sync.badge.initial', { percent: progress && progress.total > 0 ? Math.floor((100 * progress.done) / progress.total) : 0 });
      color = 'blue';
      icon = <IconCloudUpload size={14} />;
      break;
    case 'syncing':
      label = t('sync.badge.syncing', { count: pending });
      color = 'blue';
      icon = <IconCloudUpload size={14} />;
      break;
    case 'upToDate':
      label = t('sync.badge.upToDate');
      color = 'teal';
      break;
    case 'offline':
      label = t('sync.badge.offline', { time: offlineSince ? formatDateTime(Date.parse(offlineSince), i18n.locale) : '' });
      color = 'orange';
      icon = <IconCloudOff size={14} />;
      break;
    case 'error':
      label = t('sync.badge.error');
      color = 'red';
      icon = <IconAlertTriangle size={14} />;
      break;
    default:
      label = t('sync.badge.connecting');
      color = 'gray';
  }
  return (
    <SettledTooltip
      multiline
      w={320}
      withArrow
      label={
        <Stack gap={4}>
          <WordsOfNarrowBadge>
            {label}
            {status.insecure ? ` · ${t('sync.badge.insecure')}` : ''}
          </WordsOfNarrowBadge>
          {problem ? <Text size="sm">{syncProblemText(i18n, problem)}</Text> : null}
          {status.locations.map((l) => (
            <Text size="sm" key={l.locationId}>
              {dispatcherText(i18n, l)}
              {l.notSendingBecause ? ` — ${t(`sync.notSending.${l.notSendingBecause}`)}` : ''}
            </Text>
          ))}
          {status.insecure ? <Text size="sm">{t('sync.allowInsecureHelp')}</Text> : null}
        </Stack>
      }
    >
      <Badge color={color} variant="light" size="lg" leftSection={status.insecure ? <IconLockOpen size={14} /> : icon} className={BADGE_CLASS} data-testid="status-badge" data-sync-phase={status.phase} tt="none">
        {label}
        {status.insecure ? ` · ${t('sync.badge.insecure')}` : ''}
      </Badge>
    </SettledTooltip>
  );
}
