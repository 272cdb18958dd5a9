import { memo, useCallback, useEffect, useState } from 'react';
import {
  ActionIcon,
  Alert,
  AppShell,
  Badge,
  Burger,
  Center,
  Code,
  Group,
  Kbd,
  Loader,
  Select,
  Stack,
  Text,
  ThemeIcon,
  Title,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import {
  IconBell,
  IconCalendar,
  IconId,
  IconListDetails,
  IconMoon,
  IconScissors,
  IconSettings,
  IconSparkles,
  IconSun,
  IconUsers,
  IconWifiOff,
} from '@tabler/icons-react';
import type { AppInfo } from '../../shared/ipc/contract.ts';
import type { Connection } from './api/connect.ts';
import { ConnectionContext, useConnection } from './app/connection-context.ts';
import { DeskToasts } from './app/desk-toasts.tsx';
import { useHostEvent, useHostEventData } from './app/host-events.ts';
import { connectionFailureText } from './app/coded-text.ts';
import { useI18n, type MessageKey, type UiLanguage } from './app/i18n.ts';
import { useLocationChoice } from './app/location-context.ts';
import { LocationProvider } from './app/location-provider.tsx';
import { navigate, openVisit, useRoute, type Route, type Screen } from './app/router.ts';
import { useScreenShortcuts } from './app/shortcuts.ts';
import { RouteNavLink } from './app/route-links.tsx';
import { SettledTooltip } from './app/settled-tooltip.tsx';
import { SegmentedRadios } from './app/segmented-radios.tsx';
import { SyncBadge } from './app/sync-status.tsx';
import { reopenDatabase } from './data/database.ts';
import { reportGestures } from './app/gesture-beacon.ts';
import { markStart, whenStartMarked } from './app/start-marks.ts';
import { ClientsScreen, DeliveryLogScreen, NotificationCenterScreen, prefetchScreens, ServicesScreen, SettingsScreen, SetupScreen, StaffScreen } from './app/lazy-screens.tsx';
import { CalendarScreen } from './screens/calendar/index.tsx';
import { VisitCard } from './screens/visit-card/index.tsx';
import { showToast } from './app/toast.ts';
import { ScreenErrorBoundary } from './app/screen-error-boundary.tsx';

type Status = { kind: 'connecting' } | { kind: 'ready'; info: AppInfo } | { kind: 'failed'; error: Error };

const NAVIGATION: { screen: Screen; label: MessageKey; icon: typeof IconCalendar }[] = [
  { screen: 'calendar', label: 'nav.calendar', icon: IconCalendar },
  { screen: 'clients', label: 'nav.clients', icon: IconUsers },
  { screen: 'notifications', label: 'nav.notifications', icon: IconBell },
  { screen: 'log', label: 'nav.log', icon: IconListDetails },
  { screen: 'staff', label: 'nav.staff', icon: IconId },
  { screen: 'services', label: 'nav.services', icon: IconScissors },
  { screen: 'settings', label: 'nav.settings', icon: IconSettings },
];
const ORDER = NAVIGATION.map((item) => item.screen);

export function App({ connection }: { connection: Connection }) {
  const [status, setStatus] = useState<Status>({ kind: 'connecting' });
  // Web mode: the host stopped under the page. The screens stay (what was typed is still there); calls fail at once.
  const [closed, setClosed] = useState<Error>();
  // Closed before the host's first answer, the start failed, and the alert of a failed start says why.
  const lost = status.kind === 'ready' ? closed : undefined;
  const [navOpened, { toggle: toggleNav }] = useDisclosure();
  const i18n = useI18n();
  const { t } = i18n;

  useEffect(() => {
    let live = true;
    connection.api
      .call('app.info', {})
      .then((info) => {
        markStart('app_info_answered');
        if (live) setStatus({ kind: 'ready', info });
        prefetchScreens();
      })
      .catch((error: Error) => live && setStatus({ kind: 'failed', error }));
    const unsubscribe = connection.onEvent((event) => {
      if (event.type === 'openAppointment') openVisit(event.appointmentId);
    });
    const stopWatchingClose = connection.onClosed((error) => live && setClosed(error));
    // A lost note only means the host's background work did not pause for that gesture.
    const stopGestures = reportGestures(window, () => void connection.api.call('app.gesture', {}).catch(() => undefined));
    return () => {
      live = false;
      unsubscribe();
      stopWatchingClose();
      stopGestures();
    };
  }, [connection]);

  const go = useCallback((screen: Screen) => navigate({ screen, params: [] }), []);
  useScreenShortcuts(ORDER, go);

  return (
    <ConnectionContext.Provider value={connection}>
      <HostRestartNotice />
      {status.kind === 'ready' && <DeskToasts />}
      {/* The screens read the database as soon as it is open; the host's first answer (app.info) comes only once its
          providers, sync and engine have started too, and waiting for it would hold the calendar back. */}
      <LocationProvider ready={status.kind !== 'failed'}>
        <SkipToContent />
        {/* Below 1200 px (a 1366×768 laptop at 125 %, or 1280 at 150 %) the navigation is a rail of icons: its 260 px
            took a quarter of the width from the calendar's columns. */}
        <AppShell header={{ height: 60 }} navbar={{ width: { sm: NAV_RAIL_WIDTH, lg: 260 }, breakpoint: 'sm', collapsed: { mobile: !navOpened } }} padding="lg">
          <AppShell.Header>
            <Group h="100%" px="md" justify="space-between" wrap="nowrap">
              <Group gap="sm" wrap="nowrap" className="fd-header-start">
                <Burger opened={navOpened} onClick={toggleNav} hiddenFrom="sm" size="sm" aria-label={t('chrome.menu')} />
                <ThemeIcon size={34} radius="md" variant="gradient" gradient={{ from: 'grape.6', to: 'pink.5', deg: 135 }}>
                  <IconSparkles size={20} />
                </ThemeIcon>
                <Title order={3} data-testid="app-title" fw={700} style={{ letterSpacing: '-0.01em' }}>
                  {t('app.title')}
                </Title>
                {status.kind === 'ready' && <LocationSwitcher />}
              </Group>
              <Group gap="sm" wrap="nowrap">
                <StatusBadge status={lost ? { kind: 'failed', error: lost } : status} />
                <LanguageSwitch />
                <ThemeToggle />
              </Group>
            </Group>
          </AppShell.Header>
          <AppShell.Navbar p="sm" className="fd-navbar">
            <Stack justify="space-between" h="100%">
              <RoutedNavigation ready={status.kind === 'ready'} />
              {status.kind === 'ready' && (
                <Stack gap={2} p="xs" className="fd-nav-wide-only">
                  <Text size="xs" c="dimmed">
                    {t('chrome.dataFolder')}
                  </Text>
                  <Code data-testid="data-dir" style={{ wordBreak: 'break-all' }}>
                    {status.info.dataDir}
                  </Code>
                  <Text size="xs" c="dimmed">
                    {t('chrome.version', { version: status.info.version })}
                  </Text>
                </Stack>
              )}
            </Stack>
          </AppShell.Navbar>
          <AppShell.Main id={MAIN_ID} tabIndex={-1} className="fd-main">
            {status.kind === 'failed' && (
              <Alert color="red" title={t('chrome.cannotReach')} data-testid="connection-error" icon={<IconWifiOff />}>
                {connectionFailureText(i18n, status.error)}
              </Alert>
            )}
            {lost && (
              <Alert color="red" title={t('chrome.connectionLost')} data-testid="connection-lost" icon={<IconWifiOff />} mb="md">
                {connectionFailureText(i18n, lost)}
              </Alert>
            )}
            {status.kind !== 'failed' && <RoutedScreens />}
          </AppShell.Main>
        </AppShell>
      </LocationProvider>
    </ConnectionContext.Provider>
  );
}

/**
 * The route is read here and in the navigation, not in App: a day switch or an opened visit card (both route changes)
 * then re-render neither the header nor the shell around the screen.
 */
function RoutedScreens() {
  return <Screens route={useRoute()} />;
}

function RoutedNavigation({ ready }: { ready: boolean }) {
  return <Navigation screen={useRoute().screen} ready={ready} />;
}

/** Memoised: only a change of screen (not of the date or the open visit) re-renders the links. */
const Navigation = memo(function Navigation({ screen, ready }: { screen: Screen; ready: boolean }) {
  const { t } = useI18n();
  // The rail shows only the icons (shell.css): each link names itself to a screen reader and in a tooltip.
  const rail = useMediaQuery(NAV_RAIL_QUERY, false, { getInitialValueInEffect: false });
  return (
    <Stack gap={4}>
      {NAVIGATION.map((item, index) => (
        <SettledTooltip key={item.screen} label={t(item.label)} position="right" withArrow disabled={!rail} events={{ hover: true, focus: true, touch: false }}>
          <RouteNavLink
            label={t(item.label)}
            aria-label={rail ? t(item.label) : undefined}
            leftSection={<item.icon size={18} stroke={1.6} />}
            rightSection={
              item.screen === 'notifications' && ready ? (
                <UnreadBadge />
              ) : (
                <Kbd size="xs" visibleFrom="lg" style={{ opacity: 0.55 }}>
                  Alt {index + 1}
                </Kbd>
              )
            }
            active={screen === item.screen}
            route={{ screen: item.screen, params: [] }}
            data-testid={`nav-${item.screen}`}
            style={{ borderRadius: 'var(--mantine-radius-md)' }}
            variant="light"
          />
        </SettledTooltip>
      ))}
      <Text size="xs" c="dimmed" px="sm" pt="xs" className="fd-nav-wide-only">
        {t('nav.shortcutsHint')}
      </Text>
    </Stack>
  );
});

/**
 * The screen of the route; the set-up wizard instead while the data folder has no salon (first run), and on #/setup.
 */
function Screens({ route }: { route: Route }) {
  const { loaded, locations } = useLocationChoice();
  const { t, tryT, locale } = useI18n();
  // The first start after an update: the host brings older documents to this version's layout before the data opens.
  const [updating, setUpdating] = useState<{ collection: string; handled: number; total: number }>();
  useHostEventData('dataUpdating', ({ collection, handled, total }) => setUpdating({ collection, handled, total }));
  if (route.screen === 'setup' || (loaded && locations.length === 0)) return <SetupScreen route={route} />;
  if (!loaded) {
    // A formatter only for an update's figures: a tab's first one loads ICU's data, and a start makes it later on purpose
    // (app/warm-intl.ts).
    const count = (n: number) => new Intl.NumberFormat(locale).format(n);
    // Named, as each collection counts from zero again.
    const what = updating && (tryT(`chrome.updatingWhat.${updating.collection}`) ?? t('chrome.updatingAnyData'));
    const waiting = updating ? t('chrome.updatingData', { what: what!, handled: count(updating.handled), total: count(updating.total) }) : t('chrome.connecting');
    return (
      <Center h={240}>
        <Stack align="center" gap="xs" maw={520}>
          <Loader aria-label={waiting} />
          <Text c="dimmed" ta="center" data-testid="connecting-text">{waiting}</Text>
        </Stack>
      </Center>
    );
  }
  return (
    <>
      <ScreenErrorBoundary resetKey={route.screen}>
        {route.screen === 'calendar' && <CalendarScreen route={route} />}
        {route.screen === 'clients' && <ClientsScreen route={route} />}
        {route.screen === 'notifications' && <NotificationCenterScreen route={route} />}
        {route.screen === 'log' && <DeliveryLogScreen route={route} />}
        {route.screen === 'settings' && <SettingsScreen route={route} />}
        {route.screen === 'staff' && <StaffScreen route={route} />}
        {route.screen === 'services' && <ServicesScreen route={route} />}
      </ScreenErrorBoundary>
      {/* Its own: a visit card that fails leaves the screen under it; another visit, or none, tries again. */}
      <ScreenErrorBoundary resetKey={route.visitId}>
        <VisitCard visitId={route.visitId} onClose={() => openVisit(undefined)} />
      </ScreenErrorBoundary>
    </>
  );
}

const MAIN_ID = 'fd-main';
const NAV_RAIL_WIDTH = 68;
/** Mantine's sm to lg breakpoints (48em, 75em): the navbar is a rail between them (shell.css has the same). */
const NAV_RAIL_QUERY = '(min-width: 48em) and (max-width: 74.99em)';

/**
 * The first stop of Tab, shown only while focused: straight to the screen past the header and the seven links. A
 * button, not a link to "#fd-main", which the hash router would read as a route.
 */
function SkipToContent() {
  const { t } = useI18n();
  return (
    <button type="button" className="fd-skip-link" data-testid="skip-to-content" onClick={() => document.getElementById(MAIN_ID)?.focus()}>
      {t('chrome.skipToContent')}
    </button>
  );
}

/** Desktop app: the host's process died and main started a new one; say so, and read the data from the new one. */
function HostRestartNotice() {
  const { t } = useI18n();
  useHostEvent('hostRestarted', () => {
    showToast(t, { color: 'orange', autoClose: false, withBorder: true, message: t('chrome.hostRestarted') });
    reopenDatabase();
  });
  return null;
}

function LocationSwitcher() {
  const { locations, current, select } = useLocationChoice();
  const { t } = useI18n();
  if (!current) return null;
  if (locations.length < 2) {
    return (
      <Text c="dimmed" size="sm" fw={500} visibleFrom="sm" className="fd-location-name" title={current.name} data-testid="location-name">
        · {current.name}
      </Text>
    );
  }
  return (
    <Select
      aria-label={t('chrome.location')}
      data-testid="location-switcher"
      size="sm"
      w={240}
      allowDeselect={false}
      data={locations.map((l) => ({ value: l.id, label: l.name }))}
      value={current.id}
      onChange={(id) => id && select(id)}
    />
  );
}

/** The longest the unread count waits for the calendar's first day (the page may have opened on another screen). */
const FIRST_UNREAD_COUNT_CAP_MS = 1500;

function UnreadBadge() {
  const { api } = useConnection();
  const { current, loaded } = useLocationChoice();
  const [unread, setUnread] = useState(0);
  const refresh = useCallback(() => {
    // Counted for the chosen location only, so not before the locations are known (one call instead of two).
    if (!loaded) return;
    api
      .call('teamEvents.list', { unreadOnly: true, limit: 1, ...(current ? { locationId: current.id } : {}) })
      .then((result) => setUnread(result.unread))
      .catch(() => {});
  }, [api, current, loaded]);
  useEffect(() => {
    // The first count waits for the calendar's day (or a moment, on another screen): the host answers one request at a
    // time, and counting the unread events beside the day's visits held those back at start.
    let live = true;
    void whenStartMarked('day_ready', FIRST_UNREAD_COUNT_CAP_MS).then(() => live && refresh());
    return () => {
      live = false;
    };
  }, [refresh]);
  useHostEvent('teamEventsChanged', refresh);
  if (unread === 0) return null;
  return (
    <Badge size="sm" color="red" variant="filled" circle={unread < 10} data-testid="unread-badge">
      {unread > 99 ? '99+' : unread}
    </Badge>
  );
}

function StatusBadge({ status }: { status: Status }) {
  const { t } = useI18n();
  if (status.kind === 'ready') return <SyncBadge modeLabel={status.info.mode === 'web' ? t('status.web') : t('status.desktop')} />;
  if (status.kind === 'failed') {
    return (
      <Badge color="red" size="lg" data-testid="status-badge" tt="none">
        {t('status.disconnected')}
      </Badge>
    );
  }
  return (
    <Badge color="gray" size="lg" data-testid="status-badge" tt="none">
      {t('status.connecting')}
    </Badge>
  );
}

const LANGUAGE_OPTIONS: readonly { value: UiLanguage; label: string }[] = [
  { value: 'en', label: 'EN' },
  { value: 'ru', label: 'RU' },
];

function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return <SegmentedRadios size="xs" aria-label={t('chrome.language')} data-testid="language-switch" value={language} onChange={setLanguage} options={LANGUAGE_OPTIONS} />;
}

function ThemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light', { getInitialValueInEffect: false });
  const { t } = useI18n();
  const dark = computed === 'dark';
  const label = dark ? t('chrome.theme.light') : t('chrome.theme.dark');
  return (
    <SettledTooltip label={label} withArrow>
      <ActionIcon variant="default" size="lg" aria-label={label} data-testid="color-scheme-toggle" data-scheme={computed} onClick={() => setColorScheme(dark ? 'light' : 'dark')}>
        {dark ? <IconSun size={18} /> : <IconMoon size={18} />}
      </ActionIcon>
    </SettledTooltip>
  );
}
