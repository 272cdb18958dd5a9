/**
 * The screens besides the calendar load as their own chunks: the start parses and runs only what paints the day,
 * and the rest follows once the browser is idle (prefetchScreens), so opening a screen later still finds it loaded.
 */
import { lazy, Suspense, type ComponentType } from 'react';
import { Center, Loader } from '@mantine/core';
import type { Route } from './router.ts';

type ScreenComponent = ComponentType<{ route: Route }>;

const loaders = {
  clients: () => import('../screens/clients/index.tsx').then((m) => ({ default: m.ClientsScreen as ScreenComponent })),
  notifications: () => import('../screens/notification-center/index.tsx').then((m) => ({ default: m.NotificationCenterScreen as ScreenComponent })),
  log: () => import('../screens/delivery-log/index.tsx').then((m) => ({ default: m.DeliveryLogScreen as ScreenComponent })),
  settings: () => import('../screens/settings/index.tsx').then((m) => ({ default: m.SettingsScreen as ScreenComponent })),
  staff: () => import('../screens/staff/index.tsx').then((m) => ({ default: m.StaffScreen as ScreenComponent })),
  services: () => import('../screens/services/index.tsx').then((m) => ({ default: m.ServicesScreen as ScreenComponent })),
  setup: () => import('../screens/setup/index.tsx').then((m) => ({ default: m.SetupScreen as ScreenComponent })),
};

function deferred(load: () => Promise<{ default: ScreenComponent }>): ScreenComponent {
  // A lazy component keeps a failed load for good: the screen's next opening loads it again (web mode: the host was
  // unreachable for a moment), and meanwhile the screen's error boundary says why it is not shown.
  const loadable = (): ScreenComponent =>
    lazy(() =>
      load().catch((error: unknown) => {
        Screen = loadable();
        throw error;
      }),
    );
  let Screen = loadable();
  return function DeferredScreen({ route }: { route: Route }) {
    return (
      <Suspense fallback={<Center h={200}><Loader /></Center>}>
        <Screen route={route} />
      </Suspense>
    );
  };
}

export const ClientsScreen = deferred(loaders.clients);
export const NotificationCenterScreen = deferred(loaders.notifications);
export const DeliveryLogScreen = deferred(loaders.log);
export const SettingsScreen = deferred(loaders.settings);
export const StaffScreen = deferred(loaders.staff);
export const ServicesScreen = deferred(loaders.services);
export const SetupScreen = deferred(loaders.setup);

let prefetched = false;

/** How long after the app connected the other screens start loading: the calendar's first day goes first. */
const PREFETCH_AFTER_MS = 4000;

/** Loads every deferred screen's chunk a while after the start, when the page is idle (a failed load is retried on use). */
export function prefetchScreens(): void {
  if (prefetched) return;
  prefetched = true;
  const load = () => {
    for (const loader of Object.values(loaders)) loader().catch(() => undefined);
  };
  setTimeout(() => {
    if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(load, { timeout: 2000 });
    else load();
  }, PREFETCH_AFTER_MS);
}
