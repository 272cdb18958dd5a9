import type { ReactNode } from 'react';
import { Alert, Button, Center, Loader } from '@mantine/core';
import { useI18n } from '../app/i18n.ts';
import { navigate } from '../app/router.ts';
import { markStart } from '../app/start-marks.ts';
import { useDatabaseState } from './hooks.ts';
import { SalonContext, useSalonData } from './salon.ts';

/** Opens the database and the location before a screen renders; says what is wrong when it cannot. */
export function SalonGate({ children, quiet = false }: { children: ReactNode; quiet?: boolean }) {
  const state = useDatabaseState();
  const { t } = useI18n();
  if (state.status === 'failed') {
    return quiet ? null : (
      <Alert color="red" title={t('salonGate.cannotOpen')} data-testid="database-error">
        {state.message} {t('salonGate.cannotOpenHint')}
      </Alert>
    );
  }
  if (state.status === 'loading') return quiet ? null : <Center h={200}><Loader aria-label={t('salonGate.opening')} /></Center>;
  return <SalonLoaded quiet={quiet}>{children}</SalonLoaded>;
}

function SalonLoaded({ children, quiet }: { children: ReactNode; quiet: boolean }) {
  const { salon, loading, error } = useSalonData();
  if (salon && !loading) markStart('salon_loaded');
  const { t } = useI18n();
  if (error && !quiet) return <Alert color="red" title={t('salonGate.cannotRead')}>{error}</Alert>;
  if (!salon) {
    if (quiet) return null;
    if (loading) return <Center h={200}><Loader aria-label={t('salonGate.loading')} /></Center>;
    return <NoSalon />;
  }
  return <SalonContext.Provider value={salon}>{children}</SalonContext.Provider>;
}

/** No location in the data folder (the set-up normally shows instead): the way to the set-up wizard. */
export function NoSalon() {
  const { t } = useI18n();
  return (
    <Alert color="yellow" title={t('salonGate.noSalon')} data-testid="no-location">
      {t('salonGate.noSalonBody')}{' '}
      <Button size="xs" variant="light" onClick={() => navigate({ screen: 'setup', params: [] })} data-testid="no-location-setup">
        {t('salonGate.setUp')}
      </Button>
    </Alert>
  );
}
