/**
 * Windows shows a toast only for an app id registered at installation: the installer registers electron-builder's
 * `appId` (build/electron-builder.yml) on its Start-menu shortcut; main sets the same id on the app and the desktop
 * provider hands it to the notifier. Its own module, so main does not load the notifier to read it.
 */
export const APP_USER_MODEL_ID = 'app.frontdesk.desktop';
