import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Center, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconBellRinging, IconBuildingStore, IconCloud, IconMail, IconMessages, IconMoonStars, IconPlugConnected, IconUsersGroup } from '@tabler/icons-react';
import { CLIENT_NOTIFICATION_TYPES, TEAM_EVENT_TYPES } from '../../../../shared/notifications/catalog.ts';
import { useConnection } from '../../app/connection-context.ts';
import { errorText } from '../../app/coded-text.ts';
import { useI18n } from '../../app/i18n.ts';
import { useLocationChoice } from '../../app/location-context.ts';
import { navigate, type Route } from '../../app/router.ts';
import { NoSalon } from '../../data/salon-gate.tsx';
import { EmailPanel } from './email-panel.tsx';
import { IntegrationsPanel } from './integrations-panel.tsx';
import { LocationPanel } from './location-panel.tsx';
import { SalonPanel } from './salon-panel.tsx';
import type { NotificationSettings, PublicLocation } from './model.ts';
import { ProvidersPanel } from './providers-panel.tsx';
import { SyncPanel } from './sync-panel.tsx';
import { TypesPanel } from './types-panel.tsx';

export const SETTINGS_TABS = ['client', 'team', 'salon', 'location', 'email', 'channels', 'sync', 'integrations'] as const;
type Tab = (typeof SETTINGS_TABS)[number];

interface Loaded {
  location: PublicLocation;
  settings: NotificationSettings[];
}

/** Notification settings for managers: #/settings/<tab>/<type>. */
export function SettingsScreen({ route }: { route: Route }) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t } = i18n;
  const { current } = useLocationChoice();
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [error, setError] = useState<unknown>();
  const tab: Tab = (SETTINGS_TABS as readonly string[]).includes(route.params[0] ?? '') ? (route.params[0] as Tab) : 'client';
  const selectedType = route.params[1];

  const load = useCallback(() => {
    if (!current) return;
    api
      .call('settings.list', { locationId: current.id })
      .then((value) => {
        setLoaded(value as unknown as Loaded);
        setError(undefined);
      })
      .catch((e: unknown) => setError(e));
  }, [api, current]);
  useEffect(load, [load]);

  if (!current) return <NoSalon />;

  const onSaved = (saved: NotificationSettings) =>
    setLoaded((l) => l && { ...l, settings: l.settings.map((s) => (s.id === saved.id ? saved : s)) });

  return (
    <Stack gap="lg" data-testid="settings-screen">
      <div>
        <Title order={2}>{t('settings.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('settings.subtitle')}
        </Text>
      </div>
      {error !== undefined && (
        <Alert color="red" title={errorText(i18n, error)}>
          <Button variant="light" color="red" size="xs" onClick={load}>
            {t('common.retry')}
          </Button>
        </Alert>
      )}
      {!loaded && error === undefined && (
        <Center h={200}>
          <Loader />
        </Center>
      )}
      {loaded && (
        <Tabs value={tab} onChange={(next) => next && navigate({ screen: 'settings', params: [next] })} keepMounted={false} variant="pills" radius="md">
          <Tabs.List mb="lg">
            <Tabs.Tab value="client" leftSection={<IconBellRinging size={16} />} data-testid="settings-tab-client">
              {t('settings.tab.client')}
            </Tabs.Tab>
            <Tabs.Tab value="team" leftSection={<IconUsersGroup size={16} />} data-testid="settings-tab-team">
              {t('settings.tab.team')}
            </Tabs.Tab>
            <Tabs.Tab value="salon" leftSection={<IconBuildingStore size={16} />} data-testid="settings-tab-salon">
              {t('settings.tab.salon')}
            </Tabs.Tab>
            <Tabs.Tab value="location" leftSection={<IconMoonStars size={16} />} data-testid="settings-tab-location">
              {t('settings.tab.location')}
            </Tabs.Tab>
            <Tabs.Tab value="email" leftSection={<IconMail size={16} />} data-testid="settings-tab-email">
              <Group gap={6} wrap="nowrap">
                {t('settings.tab.email')}
              </Group>
            </Tabs.Tab>
            <Tabs.Tab value="channels" leftSection={<IconMessages size={16} />} data-testid="settings-tab-channels">
              {t('settings.tab.channels')}
            </Tabs.Tab>
            <Tabs.Tab value="sync" leftSection={<IconCloud size={16} />} data-testid="settings-tab-sync">
              {t('sync.tab')}
            </Tabs.Tab>
            <Tabs.Tab value="integrations" leftSection={<IconPlugConnected size={16} />} data-testid="settings-tab-integrations">
              {t('integrations.tab')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="client">
            <TypesPanel tab="client" settings={loaded.settings} order={CLIENT_NOTIFICATION_TYPES} selectedType={selectedType} timeZone={loaded.location.timeZone} onSaved={onSaved} />
          </Tabs.Panel>
          <Tabs.Panel value="team">
            <TypesPanel tab="team" settings={loaded.settings} order={TEAM_EVENT_TYPES} selectedType={selectedType} timeZone={loaded.location.timeZone} onSaved={onSaved} />
          </Tabs.Panel>
          <Tabs.Panel value="salon">
            <SalonPanel locationId={loaded.location.id} />
          </Tabs.Panel>
          <Tabs.Panel value="location">
            <LocationPanel key={JSON.stringify(loaded.location)} location={loaded.location} onSaved={load} />
          </Tabs.Panel>
          <Tabs.Panel value="sync">
            <SyncPanel />
          </Tabs.Panel>
          <Tabs.Panel value="integrations">
            <IntegrationsPanel />
          </Tabs.Panel>
          <Tabs.Panel value="channels">
            <ProvidersPanel locationId={loaded.location.id} />
          </Tabs.Panel>
          <Tabs.Panel value="email">
            <EmailPanel locationId={loaded.location.id} />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}
