/**
 * Settings → Email: the location's mail server, a provider like the others — the same generated ProviderCard as
 * SMS and push, with its "Test connection" and "Send a test message". Also the email step of the first-run setup.
 */
import { useEffect, useState } from 'react';
import { Alert, Paper, Stack, Text } from '@mantine/core';
import { IconMail } from '@tabler/icons-react';
import type { ProviderView } from '../../../../shared/ipc/providers-contract.ts';
import { kindsForChannel, providerDocId } from '../../../../shared/providers/catalog.ts';
import { errorText } from '../../app/coded-text.ts';
import { useConnection } from '../../app/connection-context.ts';
import { useI18n } from '../../app/i18n.ts';
import { CardTitle } from './card-title.tsx';
import { ProviderCard } from './provider-card.tsx';

export function EmailPanel({ locationId }: { locationId: string }) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t } = i18n;
  const [providers, setProviders] = useState<ProviderView[] | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    api.call('providers.list', { locationId }).then(
      (answer) => setProviders(answer.providers.filter((p) => p.channel === 'email')),
      (e: unknown) => setError(errorText(i18n, e)),
    );
  }, [api, i18n, locationId]);

  const kinds = kindsForChannel('email');
  return (
    <Stack gap="md" maw={900} data-testid="email-panel">
      <Paper withBorder p="lg" radius="lg">
        <CardTitle icon={<IconMail size={18} />} color="blue" mb={4}>{t('email.title')}</CardTitle>
        <Text size="sm" c="dimmed">{t('email.hint')}</Text>
      </Paper>
      {error ? <Alert color="red">{error}</Alert> : null}
      {!providers && !error ? <Text c="dimmed">{t('common.loading')}</Text> : null}
      {providers
        ? kinds.map((kind) => {
            const saved = providers.find((p) => p.id === providerDocId(locationId, 'email', kind));
            return (
              <ProviderCard
                key={`${kind}|${saved?.updatedAt ?? ''}`}
                locationId={locationId}
                channel="email"
                kind={kind}
                saved={saved}
                only={kinds.length === 1}
                onSaved={(view) => setProviders((current) => [...(current ?? []).filter((p) => p.id !== view.id), view])}
              />
            );
          })
        : null}
    </Stack>
  );
}
