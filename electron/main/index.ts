/**
 * Electron main: app lifecycle, the window, the tray, and IPC wiring around the host core.
 * Closing the window keeps the app in the tray so notifications keep going out.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, Menu, Tray, nativeImage } from 'electron';
import { IPC_EVENT_CHANNEL } from '../../shared/ipc/contract.ts';
import { FrontDeskHost } from '../host/host.ts';
import { installProcessGuard } from '../host/process-guard.ts';
import { appMenuTemplate } from './app-menu.ts';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './app-protocol.ts';
import { devServerUrl as configuredDevServerUrl } from './dev-server.ts';
import { hardenApp } from './hardening.ts';
import { registerApiHandlers } from './ipc.ts';
import { safeStorageKeyProtection } from './key-protection.ts';
import { exposeRxdbStorage } from './rxdb-ipc.ts';

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
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
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
  const created = new Tray(nativeImage.createFromPath(iconPath));
  created.setToolTip('FrontDesk');
  created.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open FrontDesk', click: showMainWindow },
      { type: 'separator' },
      { label: 'Quit', click: () => app.quit() },
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
  const message = error instanceof Error ? error.message : String(error);
  log(`could not start: ${error instanceof Error ? (error.stack ?? message) : message}`);
  // Safe before 'ready' too (on Linux it then goes to stderr).
  dialog.showErrorBox('FrontDesk could not start', message);
  app.exit(1);
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerAppScheme();
  hardenApp(isTrustedUrl);
  app.on('second-instance', showMainWindow);

  await app.whenReady();
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ packaged: app.isPackaged, platform: process.platform, appName: app.getName() })));
  const keyProtection = await safeStorageKeyProtection(log);
  const host = new FrontDeskHost({
    dataDir: app.getPath('userData'),
    mode: 'electron',
    version: app.getVersion(),
    log,
    // `--demo` fills an empty data folder with the demo salon (sandbox mode on), as `npm run web -- --demo` does.
    demo: process.argv.includes('--demo'),
    ...(keyProtection ? { keyProtection } : {}),
  });
  let closeRxdbStorage: (() => void) | undefined = undefined;
  installProcessGuard({
    log,
    tellUser: (message) => dialog.showErrorBox('FrontDesk', message),
    stop: async () => {
      closeRxdbStorage?.();
      await host.stop();
      tray?.destroy();
    },
    exit: (code) => app.exit(code),
  });
  try {
    await host.start();
  } catch (error) {
    failToStart(error);
    return;
  }
  host.onEvent((event) => mainWindow?.webContents.send(IPC_EVENT_CHANNEL, event));
  registerApiHandlers(host, isTrustedUrl);
  closeRxdbStorage = exposeRxdbStorage(host, isTrustedUrl, log);
  serveRenderer(rendererDir);
  tray = createTray();
  showMainWindow();

  app.on('activate', showMainWindow);
  app.on('window-all-closed', () => {
    // Stay in the tray: the notification engine keeps running until Quit.
  });
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    closeRxdbStorage?.();
    void host.stop().finally(() => {
      tray?.destroy();
      app.exit(0);
    });
  });
}

// Anything else that fails before the window is up ends the same way: said, then quit.
main().catch(failToStart);
