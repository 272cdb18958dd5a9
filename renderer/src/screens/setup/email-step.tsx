import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Alert, Button, Center, Group, Loader, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';
import type { Location } from '../../../../shared/domain/location.ts';
import { useConnection } from '../../app/connection-context.ts';
import { errorText } from '../../app/coded-text.ts';
import { useI18n } from '../../app/i18n.ts';
import type { PublicLocation } from '../settings/model.ts';
import { SmtpPanel } from '../settings/smtp-panel.tsx';

/**
 * Step 3: how email goes out. A new salon is in sandbox mode (every message rendered and logged, none sent) until it
 * is turned off in the settings; the SMTP server can be set up here already, or later.
 */
export function EmailStep({ location, onBack, onDone, doneIcon }: { location: Location; onBack(): void; onDone(): void; doneIcon: ReactNode }) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t } = i18n;
  const [mode, setMode] = useState<'sandbox' | 'smtp'>(location.smtp ? 'smtp' : 'sandbox');
  const [loaded, setLoaded] = useState<PublicLocation | undefined>();
  const [error, setError] = useState<string | undefined>();
  const load = useCallback(() => {
    api
      .call('settings.list', { locationId: location.id })
      .then((value) => setLoaded(value.location as unknown as PublicLocation))
      .catch((e: unknown) => setError(errorText(i18n, e)));
  }, [api, location.id, i18n]);
  useEffect(load, [load]);
  return (
    <Stack gap="md" data-testid="setup-email">
      <Paper withBorder radius="lg" p="lg">
        <SegmentedControl
          value={mode}
          onChange={(v) => setMode(v as 'sandbox' | 'smtp')}
          data={[
            { value: 'sandbox', label: t('setup.email.sandbox') },
            { value: 'smtp', label: t('setup.email.smtp') },
          ]}
          data-testid="setup-email-mode"
          mb="md"
        />
        <Alert color="teal" variant="light" icon={<IconFlask size={18} />} data-testid="setup-sandbox-note">
          {t('setup.email.sandboxNote')}
        </Alert>
        {error && (
          <Alert color="red" mt="md">
            {error}
          </Alert>
        )}
      </Paper>
      {mode === 'smtp' && !loaded && !error && (
        <Center h={120}>
          <Loader />
        </Center>
      )}
      {mode === 'smtp' && loaded && <SmtpPanel key={JSON.stringify(loaded.smtp ?? null)} location={loaded} onSaved={load} />}
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          {t('setup.back')}
        </Button>
        <Group>
          <Text size="sm" c="dimmed">
            {t('setup.email.laterHint')}
          </Text>
          <Button leftSection={doneIcon} onClick={onDone} data-testid="setup-finish">
            {t('setup.finish')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
