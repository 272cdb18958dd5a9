import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dates/styles.css';
import './app/theme.css';
import './app/shell.css';
import { startTransition, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider, createTheme, localStorageColorSchemeManager } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { App } from './App.tsx';
import { connect } from './api/connect.ts';
import { getDatabase } from './data/database.ts';
import { FieldsProvider } from './app/fields.tsx';
import { I18nProvider } from './app/i18n.ts';
import { UnsavedPrompt } from './app/unsaved-prompt.tsx';
import { markStart } from './app/start-marks.ts';
import { keepFocusThroughLoading } from './app/focus-through-loading.ts';
import { prefetchStartDay } from './screens/calendar/prefetch-day.ts';
import { useStartSettled } from './app/start-settled.ts';

markStart('modules_evaluated');

const theme = createTheme({
  primaryColor: 'grape',
  // Shade 8: white text on a filled button is 5.8:1 (shade 6 was 4.0:1, below WCAG AA).
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  headings: { fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
  cursorType: 'pointer',
  // A list opens on typing, ArrowDown or a click, not when its field is reached with Tab: open on focus, it covered the
  // fields below and a keyboard user pressed Escape at each one (date fields: DateField).
  components: Object.fromEntries(['Select', 'MultiSelect', 'Autocomplete', 'TagsInput'].map((name) => [name, { defaultProps: { openOnFocus: false } }])),
});
// The light/dark choice is kept per desk; "auto" follows the OS until someone picks one.
const colorSchemeManager = localStorageColorSchemeManager({ key: 'frontdesk.color-scheme' });
const connection = connect();
// The salon's database opens at once, beside the API's first calls: the calendar's queries need it, and at start every
// round trip saved is time to the painted day. (A failure is reported by the screens, which open it again.)
getDatabase().catch(() => undefined);
// The calendar's first day is asked for from here, not from a component: see screens/calendar/prefetch-day.ts.
prefetchStartDay();
keepFocusThroughLoading(document);
const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');

/**
 * The toasts' container, once the start has settled (app/start-settled.ts): its position stacks and their store
 * rendered with the shell, in the tasks the calendar's first answers waited behind. A toast shown before is kept in
 * Mantine's store and appears when the container mounts, for its full time.
 */
function SettledNotifications() {
  return useStartSettled() ? <Notifications position="bottom-right" /> : null;
}

const shell = (
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="auto" colorSchemeManager={colorSchemeManager}>
      <SettledNotifications />
      <I18nProvider>
        <FieldsProvider>
          <App connection={connection} />
          <UnsavedPrompt />
        </FieldsProvider>
      </I18nProvider>
    </MantineProvider>
  </StrictMode>
);
// The shell's first render is long (React and Mantine run for the first time) and, as one task, it held the answers
// to the database's first requests until it ended. As a transition React yields to them every few milliseconds: the
// prefetch above goes on from answer to answer while the shell renders, and the host is not idle meanwhile.
startTransition(() => createRoot(root).render(shell));
