/**
 * Electron main: app lifecycle, the window, the tray, menus, dialogs and OS integration. The host — database, engine,
 * providers, sync — runs in a utility process (host-relay.ts), so the window never waits for it: it opens at once and
 * shows the app shell while the host starts, and a host that dies is started again under it.
 * Closing the window keeps the app in the tray so notifications keep going out.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, Menu, Tray, nativeImage, screen } from 'electron';
import { IPC_EVENT_CHANNEL, type HostEvent } from '../../shared/ipc/contract.ts';
import { internalErrorText, SHELL_LABELS, shellLanguage } from '../../shared/i18n/desktop-shell.ts';
import { startFailureDialog, type StartFailure } from '../../shared/i18n/start-failure.ts';
import type { HostLink } from '../host/process/host-link.ts';
import { APP_USER_MODEL_ID } from '../host/app-user-model-id.ts';
import { installProcessGuard } from '../host/process-guard.ts';
import { toastIconIn } from '../host/toast-icon.ts';
import { appMenuTemplate } from './app-menu.ts';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './app-protocol.ts';
import { devServerUrl as configuredDevServerUrl } from './dev-server.ts';
import { hardenApp } from './hardening.ts';
import { startHostRelay } from './host-relay.ts';
import { safeStorageKeyProtection } from './key-protection.ts';
import { mainWindowSize } from './window-size.ts';

// A packaged app never loads a dev server, whatever the environment says.
const devServerUrl = configuredDevServerUrl(app.isPackaged, process.env);
const log = (line: string) => console.error(`[frontdesk] ${line}`);
const rendererDir = path.join(import.meta.dirname, '../renderer');
const preloadPath = path.join(import.meta.dirname, '../preload/index.cjs');
const iconPath = path.join(import.meta.dirname, '../../build/icon.png');

function isTrustedUrl(url: string): boolean {
  try {
    const origin = new URL(url).origin;
    return url.startsWith(`${APP_ORIGIN}/`) || (devServerUrl !== undefined && origin === new URL(devServerUrl).origin);
  } catch {
    return false;
  }
}

let mainWindow: BrowserWindow | undefined;
let tray: Tray | undefined;
let quitting = false;

function showMainWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createMainWindow();
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    // Sized for the display it opens on: a laptop at 150 % scaling has a work area of about 911×480 window pixels.
    ...mainWindowSize(screen.getPrimaryDisplay().workAreaSize),
    show: false,
    title: 'FrontDesk',
    icon: iconPath,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('close', (event) => {
    if (!quitting) {
      event.preventDefault();
      window.hide();
    }
  });
  void (devServerUrl ? window.loadURL(devServerUrl) : window.loadURL(`${APP_ORIGIN}/index.html`));
  return window;
}

function createTray(): Tray {
  // The icon is 1024 px for the installers: macOS would show the menu-bar item at that size, the others scale it down.
  const icon = nativeImage.createFromPath(iconPath);
  const created = new Tray(process.platform === 'darwin' ? icon.resize({ width: 16, height: 16 }) : icon.resize({ width: 32, height: 32 }));
  const labels = SHELL_LABELS[shellLanguage(app.getLocale())];
  created.setToolTip('FrontDesk');
  created.setContextMenu(
    Menu.buildFromTemplate([
      { label: labels.trayOpen, click: showMainWindow },
      { type: 'separator' },
      { label: labels.trayQuit, click: () => app.quit() },
    ]),
  );
  created.on('click', showMainWindow);
  return created;
}

/**
 * A host that cannot start (the data folder in use by web mode, a damaged database, a read-only file) is said in a
 * dialog, and the app quits: a windowless process must not keep holding the single-instance lock.
 */
function failToStart(error: unknown): void {
  const message = error instanceof Error ? error.message : typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  log(`could not start: ${error instanceof Error ? (error.stack ?? message) : message}`);
  // The system's language (the desk's choice lives in the database this start could not open); before 'ready' the
  // locale comes from the environment.
  const { title, text } = startFailureDialog(error, app.isReady() ? app.getLocale() : (process.env.LC_ALL || process.env.LANG || ''));
  // Safe before 'ready' too (on Linux it then goes to stderr).
  dialog.showErrorBox(title, text);
  app.exit(1);
}

function sendToWindows(event: HostEvent): void {
  for (const window of BrowserWindow.getAllWindows()) if (!window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, event);
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerAppScheme();
  hardenApp(isTrustedUrl);
  app.on('second-instance', showMainWindow);
  // The id the installer registered: Windows groups the taskbar button and shows toasts under it.
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

  await app.whenReady();
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ packaged: app.isPackaged, platform: process.platform, appName: app.getName(), language: shellLanguage(app.getLocale()) })));
  const keyProtection = await safeStorageKeyProtection(log);
  let host: HostLink | undefined = undefined;
  installProcessGuard({
    log,
    tellUser: (_message, detail) => dialog.showErrorBox('FrontDesk', internalErrorText(shellLanguage(app.isReady() ? app.getLocale() : (process.env.LC_ALL || process.env.LANG || '')), detail)),
    stop: async () => {
      await host?.stop();
      tray?.destroy();
    },
    exit: (code) => app.exit(code),
  });
  host = startHostRelay({
    isTrustedUrl,
    startOptions: {
      dataDir: app.getPath('userData'),
      version: app.getVersion(),
      // `--demo` fills an empty data folder with the demo salon (sandbox mode on), as `npm run web -- --demo` does.
      demo: process.argv.includes('--demo'),
      // `--restore-backup=FILE` puts a backup in place of the book before it opens (the replaced book is kept).
      ...restoreFromArgv(process.argv),
      toastIcon: toastIconIn(rendererDir),
    },
    ...(keyProtection ? { keyProtection } : {}),
    log,
    onEvent: (event) => {
      // A click on a desktop toast opens the visit card: bring the window up from the tray too.
      if (event.type === 'openAppointment') showMainWindow();
      sendToWindows(event);
    },
    onStartFailed: failToStart,
    onCrash: ({ message, restarting }) => {
      if (!restarting) {
        const failure: StartFailure = { reason: 'hostStart.crashedRepeatedly', params: { detail: message }, message: `FrontDesk's background service stopped unexpectedly several times in a row and was not started again: ${message}` };
        failToStart(failure);
      }
      // Otherwise the windows hear 'hostRestarted' once the new host is ready, and reopen their data.
    },
  });
  serveRenderer(rendererDir);
  tray = createTray();
  // The window opens now and shows the app shell; calls wait in the relay until the host is ready.
  showMainWindow();
  host.start().catch(failToStart);

  app.on('activate', showMainWindow);
  app.on('window-all-closed', () => {
    // Stay in the tray: the notification engine keeps running until Quit.
  });
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    void host.stop().finally(() => {
      tray?.destroy();
      app.exit(0);
    });
  });
}

// Anything else that fails before the window is up ends the same way: said, then quit.
main().catch(failToStart);

function restoreFromArgv(argv: readonly string[]): { restoreFrom?: string } {
  const flag = argv.find((arg) => arg.startsWith('--restore-backup='));
  const file = flag?.slice('--restore-backup='.length);
  return file ? { restoreFrom: path.resolve(file) } : {};
}
