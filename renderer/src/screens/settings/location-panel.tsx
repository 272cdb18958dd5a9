import { useState } from 'react';
import { Alert, Button, Group, Modal, Paper, Stack, Switch, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconFlask, IconMoonStars } from '@tabler/icons-react';
import { errorText } from '../../app/coded-text.ts';
import { useConnection } from '../../app/connection-context.ts';
import { TimeField } from '../../app/fields.tsx';
import { useI18n } from '../../app/i18n.ts';
import { useUnsavedChanges } from '../../app/unsaved.ts';
import type { PublicLocation } from './model.ts';
import { CardTitle } from './card-title.tsx';
import { LastEdit } from './last-edit.tsx';
import { showToast } from '../../app/toast.ts';

/** Location-wide settings: quiet hours and the sandbox switch (turning it off asks first). */
export function LocationPanel({ location, onSaved }: { location: PublicLocation; onSaved(): void }) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t } = i18n;
  const [quiet, setQuiet] = useState(location.quietHours);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [confirmOff, setConfirmOff] = useState(false);
  const dirty = JSON.stringify(quiet) !== JSON.stringify(location.quietHours);
  useUnsavedChanges(dirty);
  // Checked as the host checks them, before Save: both times given (a cleared input is ''), and not the same.
  const missing = (time: string) => (quiet.enabled && time === '' ? t('location.quietTimeRequired') : undefined);
  const startError = missing(quiet.start);
  const endError = missing(quiet.end) ?? (quiet.enabled && quiet.start === quiet.end ? t('error.location.quietHours.sameTimes') : undefined);
  const invalid = startError !== undefined || endError !== undefined;

  const save = async (patch: { quietHours?: typeof quiet; sandboxMode?: boolean }) => {
    setSaving(true);
    setError(undefined);
    try {
      await api.call('location.save', { locationId: location.id, ...patch });
      showToast(t, { color: 'teal', icon: <IconCheck size={16} />, message: t('location.savedToast') });
      onSaved();
    } catch (e) {
      setError(errorText(i18n, e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack gap="md" maw={860}>
      <Paper withBorder p="lg" radius="lg" data-testid="quiet-hours-card">
        <CardTitle icon={<IconMoonStars size={18} />} color="indigo" mb={4}>{t('location.quietHours')}</CardTitle>
        <Stack gap={2} mb="md">
          <Text size="sm" c="dimmed">
            {t('location.quietHoursHint', { zone: location.timeZone })}
          </Text>
          <LastEdit updatedAt={location.updatedAt} updatedBy={location.updatedBy} timeZone={location.timeZone} />
        </Stack>
        <Stack gap="sm">
          <Switch label={quiet.enabled ? t('common.on') : t('common.off')} checked={quiet.enabled} onChange={(e) => setQuiet({ ...quiet, enabled: e.currentTarget.checked })} data-testid="quiet-enabled" />
          <Group>
            <TimeField label={t('location.quietFrom')} w={160} disabled={!quiet.enabled} value={quiet.start} onChange={(start) => setQuiet({ ...quiet, start })} data-testid="quiet-start" error={startError} />
            <TimeField label={t('location.quietTo')} w={160} disabled={!quiet.enabled} value={quiet.end} onChange={(end) => setQuiet({ ...quiet, end })} data-testid="quiet-end" error={endError} />
          </Group>
          {error && (
            <Alert color="red" variant="light" data-testid="location-error">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" disabled={!dirty} onClick={() => setQuiet(location.quietHours)}>
              {t('common.discard')}
            </Button>
            <Button disabled={!dirty || invalid} loading={saving} onClick={() => void save({ quietHours: quiet })} data-testid="quiet-save">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </Paper>

      <Paper withBorder p="lg" radius="lg" data-testid="sandbox-card">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={4}>
            <Group gap="xs">
              <ThemeIcon variant="light" radius="md" color={location.sandboxMode ? 'teal' : 'red'}>
                <IconFlask size={18} />
              </ThemeIcon>
              <Title order={4}>{t('location.sandbox')}</Title>
            </Group>
            <Text size="sm" c="dimmed" maw={560}>
              {t('location.sandboxOn')}
            </Text>
          </Stack>
          <Switch
            size="lg"
            aria-label={t('location.sandbox')}
            onLabel={t('common.on')}
            offLabel={t('common.off')}
            checked={location.sandboxMode}
            disabled={saving}
            data-testid="sandbox-switch"
            onChange={(e) => (e.currentTarget.checked ? void save({ sandboxMode: true }) : setConfirmOff(true))}
          />
        </Group>
        {!location.sandboxMode && (
          <Alert mt="md" color="red" variant="filled" icon={<IconAlertTriangle size={18} />} data-testid="sandbox-off-warning">
            {t('location.sandboxOffWarning')}
          </Alert>
        )}
      </Paper>

      <Modal opened={confirmOff} onClose={() => setConfirmOff(false)} closeButtonProps={{ 'aria-label': i18n.t('common.close') }} title={<Text fw={700}>{t('location.sandboxConfirmTitle')}</Text>} centered>
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} mb="md">
          {t('location.sandboxConfirmBody')}
        </Alert>
        <Group justify="flex-end" className="fd-dialog-actions">
          <Button variant="default" onClick={() => setConfirmOff(false)}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            data-testid="sandbox-confirm-off"
            onClick={() => {
              setConfirmOff(false);
              void save({ sandboxMode: false });
            }}
          >
            {t('location.sandboxConfirm')}
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}
