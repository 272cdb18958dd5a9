/**
 * Settings → Channels: per channel (SMS & messengers, the branded app, the client app, the staff app) every provider
 * the catalog offers for it, each as a generated ProviderCard; above them, the team notifications that are switched
 * on for a channel that cannot carry them (no provider, or a specialist without an address for it).
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Box, List, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ProviderView } from '../../../../shared/ipc/providers-contract.ts';
import type { ResponseOf } from '../../../../shared/ipc/contract.ts';
import type { Channel } from '../../../../shared/notifications/catalog.ts';
import { kindsForChannel, providerDocId } from '../../../../shared/providers/catalog.ts';
import { displayParams, errorText } from '../../app/coded-text.ts';
import { useConnection } from '../../app/connection-context.ts';
import { useI18n } from '../../app/i18n.ts';
import { RouteAnchor } from '../../app/route-links.tsx';
import { ProviderCard } from './provider-card.tsx';

export const PROVIDER_CHANNELS = ['sms', 'brandedPush', 'aggregatorPush', 'adminPush'] as const satisfies readonly Channel[];

type TeamProblem = ResponseOf<'providers.teamProblems'>['problems'][number];

function TeamProblemsList({ problems }: { problems: readonly TeamProblem[] }) {
  const i18n = useI18n();
  if (problems.length === 0) return null;
  return (
    <Alert color="orange" variant="light" icon={<IconAlertTriangle size={16} />} title={i18n.t('provider.teamProblems')} data-testid="team-channel-problems">
      <List size="sm" spacing={2}>
        {problems.map((p) => (
          <List.Item key={`${p.type}|${p.channel}|${p.staffId ?? ''}`}>{i18n.tryT(`provider.${p.code}`, displayParams(i18n, p.params)) ?? p.message}</List.Item>
        ))}
      </List>
      <RouteAnchor size="sm" route={{ screen: 'settings', params: ['channels'] }}>{i18n.t('provider.openChannels')}</RouteAnchor>
    </Alert>
  );
}

/** The team channels of one notification type that cannot work, above its editor in Settings → Team notifications. */
export function TeamTypeProblems({ locationId, type, refreshKey }: { locationId: string; type: string; refreshKey: string }) {
  const { api } = useConnection();
  const [problems, setProblems] = useState<TeamProblem[]>([]);
  useEffect(() => {
    api.call('providers.teamProblems', { locationId }).then((answer) => setProblems(answer.problems.filter((p) => p.type === type)), () => setProblems([]));
  }, [api, locationId, type, refreshKey]);
  return problems.length > 0 ? (
    <Box mb="md">
      <TeamProblemsList problems={problems} />
    </Box>
  ) : null;
}

export function ProvidersPanel({ locationId }: { locationId: string }) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t } = i18n;
  const [providers, setProviders] = useState<ProviderView[] | undefined>();
  const [problems, setProblems] = useState<TeamProblem[]>([]);
  const [error, setError] = useState<string | undefined>();

  const loadProblems = useCallback(() => {
    api.call('providers.teamProblems', { locationId }).then((answer) => setProblems(answer.problems), () => setProblems([]));
  }, [api, locationId]);
  useEffect(() => {
    api.call('providers.list', { locationId }).then(
      (answer) => setProviders(answer.providers),
      (e: unknown) => setError(errorText(i18n, e)),
    );
    loadProblems();
  }, [api, i18n, locationId, loadProblems]);

  const onSaved = (view: ProviderView) => {
    setProviders((current) => [...(current ?? []).filter((p) => p.id !== view.id), view]);
    loadProblems();
  };

  if (error) return <Alert color="red">{error}</Alert>;
  if (!providers) return <Text c="dimmed">{t('common.loading')}</Text>;
  const byId = new Map(providers.map((p) => [p.id, p]));

  return (
    <Stack gap="lg" maw={900} data-testid="providers-panel">
      <Text size="sm" c="dimmed">
        {t('provider.intro')}{' '}
        <RouteAnchor size="sm" route={{ screen: 'settings', params: ['email'] }}>{t('provider.emailLink')}</RouteAnchor>
      </Text>
      <TeamProblemsList problems={problems} />
      {PROVIDER_CHANNELS.map((channel) => (
        <Stack key={channel} gap="sm" data-testid={`providers-${channel}`}>
          <div>
            <Title order={4}>{t(`channel.${channel}`)}</Title>
            <Text size="sm" c="dimmed">{t(`provider.channelHelp.${channel}`)}</Text>
          </div>
          {kindsForChannel(channel).map((kind) => {
            const saved = byId.get(providerDocId(locationId, channel, kind));
            return <ProviderCard key={`${kind}|${saved?.updatedAt ?? ''}`} locationId={locationId} channel={channel} kind={kind} saved={saved} onSaved={onSaved} />;
          })}
        </Stack>
      ))}
    </Stack>
  );
}
