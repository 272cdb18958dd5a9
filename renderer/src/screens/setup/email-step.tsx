import { useState, type ReactNode } from 'react';
import { Alert, Button, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';
import type { Location } from '../../../../shared/domain/location.ts';
import { useI18n } from '../../app/i18n.ts';
import { EmailPanel } from '../settings/email-panel.tsx';

/**
 * Step 3: how email goes out. A new salon is in sandbox mode (every message rendered and logged, none sent) until it
 * is turned off in the settings; the SMTP server can be set up here already, or later.
 */
export function EmailStep({ location, onBack, onDone, doneIcon }: { location: Location; onBack(): void; onDone(): void; doneIcon: ReactNode }) {
  const { t } = useI18n();
  const [mode, setMode] = useState<'sandbox' | 'smtp'>('sandbox');
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
      </Paper>
      {mode === 'smtp' && <EmailPanel locationId={location.id} />}
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
