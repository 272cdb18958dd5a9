import { useState } from 'react';
import { Alert, Button, Card, Center, Group, Loader, Paper, SimpleGrid, Stack, Stepper, Text, ThemeIcon, Title } from '@mantine/core';
import { IconBuildingStore, IconCalendarCheck, IconMail, IconSparkles, IconUsers } from '@tabler/icons-react';
import type { Location } from '../../../../shared/domain/location.ts';
import { useConnection } from '../../app/connection-context.ts';
import { errorText } from '../../app/coded-text.ts';
import { useI18n } from '../../app/i18n.ts';
import { NO_REFUSAL, refusalOf, type Refusal } from '../../app/issues.ts';
import { useLocationChoice } from '../../app/location-context.ts';
import { navigate, type Route } from '../../app/router.ts';
import { useRxDocument } from '../../data/hooks.ts';
import { EmailStep } from './email-step.tsx';
import { PROFILE_INPUTS, SalonProfileForm, newProfileDraft, profileDraftOf, profileRequest, type ProfileDraft } from './salon-form.tsx';
import { TeamStep } from './team-step.tsx';

export const SETUP_STEPS = ['salon', 'team', 'email'] as const;
type Step = (typeof SETUP_STEPS)[number];

/**
 * The first-run set-up: #/setup (a new salon; on an empty data folder first the choice between setting one up and the
 * demo), then #/setup/<locationId>/<step> — the salon, its team and services, email — ending on the calendar. Reached
 * again from the salon settings (edit a salon's set-up, or add a location).
 */
export function SetupScreen({ route }: { route: Route }) {
  const [locationId, stepParam] = route.params;
  const { locations } = useLocationChoice();
  const step: Step = (SETUP_STEPS as readonly string[]).includes(stepParam ?? '') ? (stepParam as Step) : 'salon';
  const firstRun = locations.length === 0;
  if (!locationId || locationId === 'new') {
    // The wizard has a route of its own: the shell shows the set-up on a route elsewhere only while there is no
    // location, and the new one can reach the page before the answer to location.create that moves on to the team.
    if (firstRun && locationId !== 'new') return <Welcome onSetUp={() => navigate({ screen: 'setup', params: ['new'] })} />;
    return <Wizard step="salon" />;
  }
  return <Wizard step={step} locationId={locationId} />;
}

function Welcome({ onSetUp }: { onSetUp(): void }) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t } = i18n;
  const { select } = useLocationChoice();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const loadDemo = async () => {
    setLoading(true);
    setError(undefined);
    try {
      const { locationId } = await api.call('demo.load', {});
      select(locationId);
      navigate({ screen: 'calendar', params: [] });
    } catch (e) {
      setError(errorText(i18n, e));
      setLoading(false);
    }
  };
  return (
    <Center mih={480} data-testid="setup-welcome">
      <Stack maw={820} gap="lg" align="center">
        <ThemeIcon size={56} radius="xl" variant="gradient" gradient={{ from: 'grape.6', to: 'pink.5', deg: 135 }}>
          <IconSparkles size={30} />
        </ThemeIcon>
        <Title order={1} ta="center">
          {t('setup.welcome.title')}
        </Title>
        <Text c="dimmed" ta="center" maw={560}>
          {t('setup.welcome.subtitle')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }} w="100%">
          <Card withBorder radius="lg" padding="lg">
            <Stack gap="sm" h="100%" justify="space-between">
              <div>
                <Group gap="xs" mb={4}>
                  <IconBuildingStore size={20} />
                  <Title order={4}>{t('setup.welcome.ownTitle')}</Title>
                </Group>
                <Text size="sm" c="dimmed">
                  {t('setup.welcome.ownBody')}
                </Text>
              </div>
              <Button onClick={onSetUp} data-testid="setup-start" autoFocus>
                {t('setup.welcome.own')}
              </Button>
            </Stack>
          </Card>
          <Card withBorder radius="lg" padding="lg">
            <Stack gap="sm" h="100%" justify="space-between">
              <div>
                <Group gap="xs" mb={4}>
                  <IconSparkles size={20} />
                  <Title order={4}>{t('setup.welcome.demoTitle')}</Title>
                </Group>
                <Text size="sm" c="dimmed">
                  {t('setup.welcome.demoBody')}
                </Text>
              </div>
              <Button variant="light" loading={loading} onClick={() => void loadDemo()} data-testid="setup-demo">
                {t('setup.welcome.demo')}
              </Button>
            </Stack>
          </Card>
        </SimpleGrid>
        {error && (
          <Alert color="red" data-testid="setup-error">
            {error}
          </Alert>
        )}
      </Stack>
    </Center>
  );
}

function Wizard({ step, locationId }: { step: Step; locationId?: string }) {
  const { t } = useI18n();
  const { doc: location, loading } = useRxDocument('locations', locationId);
  const active = SETUP_STEPS.indexOf(step);
  const go = (next: Step | 'done', id = locationId) => {
    if (next === 'done') navigate({ screen: 'calendar', params: [] });
    else navigate({ screen: 'setup', params: [id ?? 'new', next] });
  };
  return (
    <Stack gap="lg" maw={1000} data-testid="setup-wizard">
      <div>
        <Title order={2}>{location ? t('setup.titleFor', { name: location.name }) : t('setup.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('setup.subtitle')}
        </Text>
      </div>
      <Stepper active={active} onStepClick={(i) => location && go(SETUP_STEPS[i]!)} allowNextStepsSelect={location !== undefined} size="sm">
        <Stepper.Step label={t('setup.step.salon')} description={t('setup.step.salonHint')} icon={<IconBuildingStore size={18} />} data-testid="setup-step-salon" />
        <Stepper.Step label={t('setup.step.team')} description={t('setup.step.teamHint')} icon={<IconUsers size={18} />} data-testid="setup-step-team" />
        <Stepper.Step label={t('setup.step.email')} description={t('setup.step.emailHint')} icon={<IconMail size={18} />} data-testid="setup-step-email" />
        <Stepper.Completed>{null}</Stepper.Completed>
      </Stepper>
      {locationId && !location && loading && (
        <Center h={200}>
          <Loader />
        </Center>
      )}
      {locationId && !location && !loading && <Alert color="yellow">{t('setup.noSuchLocation')}</Alert>}
      {step === 'salon' && (!locationId || location) && <SalonStep key={location?.id ?? 'new'} location={location} onDone={(id) => go('team', id)} />}
      {step === 'team' && location && <TeamStep location={location} onBack={() => go('salon')} onDone={() => go('email')} />}
      {step === 'email' && location && (
        <EmailStep location={location} onBack={() => go('team')} onDone={() => go('done')} doneIcon={<IconCalendarCheck size={18} />} />
      )}
    </Stack>
  );
}

/** Step 1: the salon's profile; creates the location (or saves it when the set-up is run again). */
function SalonStep({ location, onDone }: { location: Location | undefined; onDone(locationId: string): void }) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t, language } = i18n;
  const { select } = useLocationChoice();
  const [draft, setDraft] = useState<ProfileDraft>(() => (location ? profileDraftOf(location) : newProfileDraft(language)));
  const [refusal, setRefusal] = useState<Refusal>(NO_REFUSAL);
  const [saving, setSaving] = useState(false);
  const next = async () => {
    setSaving(true);
    setRefusal(NO_REFUSAL);
    try {
      if (location) {
        await api.call('location.save', { locationId: location.id, ...profileRequest(draft, false) });
        onDone(location.id);
      } else {
        const created = await api.call('location.create', profileRequest(draft, false));
        select(created.location.id);
        onDone(created.location.id);
      }
    } catch (e) {
      setRefusal(refusalOf(e, i18n, PROFILE_INPUTS));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Paper withBorder radius="lg" p="lg">
      <SalonProfileForm
        draft={draft}
        onChange={(next) => {
          setDraft(next);
          // The marks belong to what was sent; an edit starts afresh (the next save checks again).
          setRefusal(NO_REFUSAL);
        }}
        refusal={refusal}
        withLinks={false}
      />
      {refusal.general.length > 0 && (
        <Alert color="red" mt="md" data-testid="setup-salon-error">
          {refusal.general.join(' ')}
        </Alert>
      )}
      {Object.keys(refusal.fields).length > 0 && (
        <Alert color="red" variant="light" mt="md" data-testid="setup-salon-fix">
          {t('setup.fixFields')}
        </Alert>
      )}
      <Group justify="flex-end" mt="lg">
        <Button loading={saving} onClick={() => void next()} data-testid="setup-salon-next">
          {location ? t('setup.saveAndNext') : t('setup.createSalon')}
        </Button>
      </Group>
    </Paper>
  );
}
