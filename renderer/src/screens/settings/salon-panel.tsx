import { useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { IconBuildingStore, IconCheck, IconPlus, IconWand } from '@tabler/icons-react';
import type { Location } from '../../../../shared/domain/location.ts';
import { useConnection } from '../../app/connection-context.ts';
import { useI18n } from '../../app/i18n.ts';
import { NO_REFUSAL, refusalOf, type Refusal } from '../../app/issues.ts';
import { useLocationChoice } from '../../app/location-context.ts';
import { navigate } from '../../app/router.ts';
import { useRxDocument } from '../../data/hooks.ts';
import { PROFILE_INPUTS, SalonProfileForm, profileDraftOf, profileRequest, type ProfileDraft } from '../setup/salon-form.tsx';
import { CardTitle } from './card-title.tsx';
import { BackupCard } from './backup-card.tsx';
import { DeskCard } from './desk-panel.tsx';
import { showToast } from '../../app/toast.ts';

/**
 * Settings → Salon: the chosen location's profile (everything the set-up asked, plus the review and online-booking
 * links the templates use), the salon's locations with a way to add one (a chain), this desk and its backups.
 */
export function SalonPanel({ locationId }: { locationId: string }) {
  const { doc: location } = useRxDocument('locations', locationId);
  return (
    <Stack gap="md" maw={1000}>
      {location && <ProfileCard key={location.id} location={location} />}
      <LocationsCard />
      <DeskCard />
      <BackupCard />
    </Stack>
  );
}

function ProfileCard({ location }: { location: Location }) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t } = i18n;
  const [draft, setDraft] = useState<ProfileDraft>(() => profileDraftOf(location));
  const [refusal, setRefusal] = useState<Refusal>(NO_REFUSAL);
  const [saving, setSaving] = useState(false);
  const saved = profileDraftOf(location);
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const save = async () => {
    setSaving(true);
    setRefusal(NO_REFUSAL);
    try {
      await api.call('location.save', { locationId: location.id, ...profileRequest(draft, true) });
      showToast(t, { color: 'teal', icon: <IconCheck size={16} />, message: t('location.savedToast') });
    } catch (e) {
      setRefusal(refusalOf(e, i18n, PROFILE_INPUTS));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Paper withBorder p="lg" radius="lg" data-testid="salon-profile-card">
      <CardTitle icon={<IconBuildingStore size={18} />} color="grape" mb="md">
        {t('salon.profile')}
      </CardTitle>
      <SalonProfileForm
        draft={draft}
        onChange={(next) => {
          setDraft(next);
          setRefusal(NO_REFUSAL);
        }}
        refusal={refusal}
        withLinks
      />
      {refusal.general.length > 0 && (
        <Alert color="red" mt="md" data-testid="salon-profile-error">
          {refusal.general.join(' ')}
        </Alert>
      )}
      {Object.keys(refusal.fields).length > 0 && (
        <Alert color="red" variant="light" mt="md" data-testid="salon-profile-fix">
          {t('setup.fixFields')}
        </Alert>
      )}
      <Group justify="flex-end" mt="md">
        <Button variant="default" disabled={!dirty} onClick={() => setDraft(saved)}>
          {t('common.discard')}
        </Button>
        <Button disabled={!dirty} loading={saving} onClick={() => void save()} data-testid="salon-profile-save">
          {t('common.save')}
        </Button>
      </Group>
    </Paper>
  );
}

/** The salon's locations (a chain); the header's switcher chooses the one every screen shows. */
function LocationsCard() {
  const { t } = useI18n();
  const { locations, current, select } = useLocationChoice();
  return (
    <Paper withBorder p="lg" radius="lg" data-testid="salon-locations-card">
      <CardTitle icon={<IconBuildingStore size={18} />} color="indigo" mb={4}>
        {t('salon.locations')}
      </CardTitle>
      <Text size="sm" c="dimmed" mb="sm">
        {t('salon.locationsHint')}
      </Text>
      <Table data-testid="salon-location-list">
        <Table.Tbody>
          {locations.map((l) => (
            <Table.Tr key={l.id}>
              <Table.Td fw={500}>{l.name}</Table.Td>
              <Table.Td c="dimmed">{l.timeZone}</Table.Td>
              <Table.Td ta="right">
                {l.id === current?.id ? (
                  <Badge variant="light">{t('salon.current')}</Badge>
                ) : (
                  <Button size="compact-sm" variant="subtle" onClick={() => select(l.id)} data-testid={`salon-switch-${l.id}`}>
                    {t('salon.switchTo')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group mt="md">
        <Button leftSection={<IconPlus size={16} />} variant="light" onClick={() => navigate({ screen: 'setup', params: ['new'] })} data-testid="salon-add-location">
          {t('salon.addLocation')}
        </Button>
        {current && (
          <Button leftSection={<IconWand size={16} />} variant="subtle" onClick={() => navigate({ screen: 'setup', params: [current.id, 'salon'] })} data-testid="salon-run-setup">
            {t('salon.runSetup')}
          </Button>
        )}
      </Group>
    </Paper>
  );
}
