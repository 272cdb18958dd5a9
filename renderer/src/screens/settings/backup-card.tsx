import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Code, Group, Paper, Text } from '@mantine/core';
import { IconCheck, IconDatabase } from '@tabler/icons-react';
import type { BackupView } from '../../../../shared/ipc/backup-contract.ts';
import { useConnection } from '../../app/connection-context.ts';
import { errorText } from '../../app/coded-text.ts';
import { formatDateTime } from '../../app/format.ts';
import { useI18n } from '../../app/i18n.ts';
import { CardTitle } from './card-title.tsx';
import { showToast } from '../../app/toast.ts';

/** Size for people: 1 decimal under 10, whole numbers above, in the desk's number format. */
function formatSize(bytes: number, locale: string): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0 }).format(value)} ${units[unit]}`;
}

/**
 * Backups of the book on this computer (the host makes one a day in the data folder's backups/ folder and keeps the
 * newest seven): when the last one was made, "Back up now", and how to bring one back.
 */
export function BackupCard() {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t } = i18n;
  const [view, setView] = useState<BackupView | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    api
      .call('backup.status', {})
      .then(setView)
      .catch((e: unknown) => setError(errorText(i18n, e)));
  }, [api, i18n]);
  useEffect(load, [load]);
  const backUp = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setView(await api.call('backup.now', {}));
      showToast(t, { color: 'teal', icon: <IconCheck size={16} />, message: t('backup.doneToast') });
    } catch (e) {
      setError(errorText(i18n, e));
      load();
    } finally {
      setBusy(false);
    }
  };
  const last = view?.backups[0];
  const when = (iso: string) => formatDateTime(Date.parse(iso), i18n.locale);
  const problem = view?.problem && !error ? i18n.tryT(`error.${view.problem.code}`, view.problem.params) : undefined;
  return (
    <Paper withBorder p="lg" radius="lg" data-testid="backup-card">
      <CardTitle icon={<IconDatabase size={18} />} color="teal" mb={4}>
        {t('backup.title')}
      </CardTitle>
      {view && !view.available ? (
        <Text size="sm" c="dimmed">
          {t('backup.unavailable')}
        </Text>
      ) : (
        <>
          <Text size="sm" c="dimmed" mb="sm">
            {t('backup.hint')}
          </Text>
          <Text size="sm" data-testid="backup-last">
            {last ? t('backup.last', { time: when(last.at), size: formatSize(last.bytes, i18n.locale), count: view?.backups.length ?? 0 }) : view ? t('backup.none') : '…'}
          </Text>
          {view?.nextAt && (
            <Text size="sm" c="dimmed">
              {t('backup.next', { time: when(view.nextAt) })}
            </Text>
          )}
          {view && (
            <Text size="xs" c="dimmed" mt="xs">
              {t('backup.folder')} <Code data-testid="backup-folder">{view.folder}</Code>
            </Text>
          )}
          <Text size="xs" c="dimmed" mt={4}>
            {t('backup.restoreHint')}
          </Text>
          {(error ?? problem) && (
            <Alert color="red" mt="md" data-testid="backup-error">
              {error ?? problem}
            </Alert>
          )}
          <Group justify="flex-end" mt="md">
            <Button variant="light" loading={busy || view?.running} disabled={!view} onClick={() => void backUp()} data-testid="backup-now">
              {t('backup.now')}
            </Button>
          </Group>
        </>
      )}
    </Paper>
  );
}
