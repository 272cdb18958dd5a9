import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Group, Paper, PasswordInput, Progress, Stack, Switch, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCloud, IconPlugConnected, IconX } from '@tabler/icons-react';
import type { SyncSettingsView } from '../../../../shared/ipc/sync-contract.ts';
import { defaultDatabasePrefix } from '../../../../shared/sync/sync-config.ts';
import { errorText } from '../../app/coded-text.ts';
import { useConnection } from '../../app/connection-context.ts';
import { formatDateTime } from '../../app/format.ts';
import { useI18n } from '../../app/i18n.ts';
import { useLocationChoice } from '../../app/location-context.ts';
import { dispatcherText, setAsideText, syncProblemText, useSyncStatus } from '../../app/sync-status.tsx';
import { CardTitle } from './card-title.tsx';
import { showToast } from '../../app/toast.ts';

type Form = Omit<SyncSettingsView, 'deskId' | 'passwordSet'>;
type Check = { code: string; ok: boolean; message: string; params?: Record<string, string | number> | undefined };

/** This desk's sync: the server, the desk user, the locations, "Test connection", and the live status. */
export function SyncPanel() {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t } = i18n;
  const { locations } = useLocationChoice();
  const status = useSyncStatus();
  const [saved, setSaved] = useState<SyncSettingsView | undefined>();
  const [form, setForm] = useState<Form | undefined>();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState<'save' | 'test' | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [checks, setChecks] = useState<Check[] | undefined>();

  const load = useCallback(() => {
    api
      .call('sync.settings', {})
      .then((settings) => {
        setSaved(settings);
        const { deskId: _d, passwordSet: _p, ...rest } = settings;
        setForm(rest);
      })
      .catch((e: unknown) => setError(errorText(i18n, e)));
  }, [api, i18n]);
  useEffect(load, [load]);

  if (!form || !saved) return <Text c="dimmed">{error ?? '…'}</Text>;
  const set = (next: Partial<Form>) => setForm({ ...form, ...next });
  const synced = new Map(form.locations.map((l) => [l.locationId, l.databasePrefix]));
  const toggleLocation = (locationId: string, on: boolean) =>
    set({ locations: on ? [...form.locations, { locationId, databasePrefix: defaultDatabasePrefix(locationId) }] : form.locations.filter((l) => l.locationId !== locationId) });
  const setPrefix = (locationId: string, databasePrefix: string) => set({ locations: form.locations.map((l) => (l.locationId === locationId ? { ...l, databasePrefix } : l)) });
  const request = () => ({ endpoint: form.endpoint, username: form.username, allowInsecureHttp: form.allowInsecureHttp, locations: form.locations, ...(password ? { password } : {}) });

  const save = async () => {
    setBusy('save');
    setError(undefined);
    try {
      await api.call('sync.save', { ...request(), enabled: form.enabled, deskName: form.deskName, onlyDesk: form.onlyDesk });
      setPassword('');
      showToast(t, { color: 'teal', message: t('sync.saved') });
      load();
    } catch (e) {
      setError(errorText(i18n, e));
    } finally {
      setBusy(undefined);
    }
  };
  const test = async () => {
    setBusy('test');
    setChecks(undefined);
    setError(undefined);
    try {
      setChecks((await api.call('sync.test', request())).checks);
    } catch (e) {
      setError(errorText(i18n, e));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Stack gap="lg" maw={760} data-testid="sync-panel">
      <Paper withBorder p="lg" radius="md">
        <Stack gap="sm">
          <CardTitle icon={<IconCloud size={18} />}>{t('sync.title')}</CardTitle>
          <Text size="sm" c="dimmed">{t('sync.intro')}</Text>
          <Switch label={t('sync.enabled')} checked={form.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} data-testid="sync-enabled" />
          <TextInput label={t('sync.endpoint')} description={t('sync.endpointHelp')} placeholder="https://couch.example.com:6984/" value={form.endpoint} onChange={(e) => set({ endpoint: e.currentTarget.value })} data-testid="sync-endpoint" />
          <Group grow align="flex-start">
            <TextInput label={t('sync.username')} value={form.username} onChange={(e) => set({ username: e.currentTarget.value })} data-testid="sync-username" autoComplete="off" />
            <PasswordInput visibilityToggleButtonProps={{ 'aria-label': t('common.passwordVisibility') }} label={t('sync.password')} description={saved.passwordSet ? t('sync.passwordSet') : undefined} value={password} onChange={(e) => setPassword(e.currentTarget.value)} data-testid="sync-password" autoComplete="new-password" />
          </Group>
          <TextInput label={t('sync.deskName')} value={form.deskName} onChange={(e) => set({ deskName: e.currentTarget.value })} data-testid="sync-desk-name" />
          <Checkbox label={t('sync.onlyDesk')} description={t('sync.onlyDeskHelp')} checked={form.onlyDesk} onChange={(e) => set({ onlyDesk: e.currentTarget.checked })} />
          <Checkbox label={t('sync.allowInsecure')} description={t('sync.allowInsecureHelp')} checked={form.allowInsecureHttp} onChange={(e) => set({ allowInsecureHttp: e.currentTarget.checked })} />
          <Text fw={500} size="sm">{t('sync.locations')}</Text>
          {locations.map((location) => (
            <Group key={location.id} align="flex-end">
              <Checkbox label={location.name} data-testid={`sync-location-${location.id}`} checked={synced.has(location.id)} onChange={(e) => toggleLocation(location.id, e.currentTarget.checked)} w={240} />
              {synced.has(location.id) ? <TextInput label={t('sync.prefix')} value={synced.get(location.id)} onChange={(e) => setPrefix(location.id, e.currentTarget.value)} w={300} /> : null}
            </Group>
          ))}
          {error ? <Alert color="red" icon={<IconAlertTriangle size={16} />} data-testid="sync-error">{error}</Alert> : null}
          {checks ? (
            <Stack gap={4} data-testid="sync-checks">
              {checks.map((check) => (
                <Group key={check.code} gap="xs" wrap="nowrap" data-testid="sync-check" data-ok={check.ok}>
                  {check.ok ? <IconCheck size={16} color="var(--mantine-color-teal-6)" /> : <IconX size={16} color="var(--mantine-color-red-6)" />}
                  <Text size="sm">{i18n.tryT(check.code, check.params) ?? check.message}</Text>
                </Group>
              ))}
            </Stack>
          ) : null}
          <Group>
            <Button variant="default" leftSection={<IconPlugConnected size={16} />} loading={busy === 'test'} onClick={() => void test()} data-testid="sync-test">
              {t('sync.test')}
            </Button>
            <Button loading={busy === 'save'} onClick={() => void save()} data-testid="sync-save">
              {t('sync.save')}
            </Button>
          </Group>
        </Stack>
      </Paper>
      {status && status.phase !== 'off' ? (
        <Paper withBorder p="lg" radius="md" data-testid="sync-status">
          <Stack gap="xs">
            <Text fw={600}>{t('sync.status')}</Text>
            {status.locations.map((l) => (
              <Stack key={l.locationId} gap={4}>
                <Text size="sm">{dispatcherText(i18n, l)}{l.notSendingBecause ? ` — ${t(`sync.notSending.${l.notSendingBecause}`)}` : ''}</Text>
                {l.progress ? <Progress value={l.progress.total > 0 ? (100 * l.progress.done) / l.progress.total : 0} /> : null}
                {l.pending > 0 ? <Text size="sm" c="dimmed">{t('sync.pending')}: {l.pending}</Text> : null}
                {l.lastSyncedAt ? <Text size="sm" c="dimmed">{t('sync.lastSynced', { time: formatDateTime(Date.parse(l.lastSyncedAt), i18n.locale) })}</Text> : null}
                {l.problem ? <Alert color={l.phase === 'offline' ? 'orange' : 'red'}>{syncProblemText(i18n, l.problem)}</Alert> : null}
              </Stack>
            ))}
            {status.quarantine.length > 0 ? (
              <Stack gap={2}>
                <Text fw={500} size="sm">{t('sync.quarantine')}</Text>
                <Text size="xs" c="dimmed">{t('sync.quarantineHelp')}</Text>
                {status.quarantine.map((q) => (
                  <Text key={`${q.collection}/${q.id}/${q.at}`} size="xs" ff="monospace">
                    {q.collection}/{q.id}: {i18n.tryT(q.code, q.params) ?? q.reason}
                  </Text>
                ))}
              </Stack>
            ) : null}
            {status.setAside.length > 0 ? (
              <Stack gap={2} data-testid="sync-set-aside">
                <Text fw={500} size="sm">{t('sync.setAsideTitle')}</Text>
                <Text size="xs" c="dimmed">{t('sync.setAsideHelp')}</Text>
                {status.setAside.map((entry) => (
                  <Text key={`${entry.collection}/${entry.id}`} size="xs" data-testid="sync-set-aside-entry">
                    {setAsideText(i18n, entry)}
                  </Text>
                ))}
              </Stack>
            ) : null}
          </Stack>
        </Paper>
      ) : null}
    </Stack>
  );
}
