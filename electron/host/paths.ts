import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'FrontDesk';

/**
 * The per-user data folder, the same one Electron's app.getPath('userData') gives, so the desktop
 * app and the web mode open the same salon data by default.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), PRODUCT_NAME);
}

/**
 * Web mode's key for saved passwords (secret-store.ts): in the user's config folder but apart from any data folder,
 * so a copied or backed-up data folder alone opens no password. FRONTDESK_KEY_DIR overrides it (tests, portable
 * setups); the desktop app does not use it (its key is wrapped by the OS keychain).
 */
export function defaultKeyDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.FRONTDESK_KEY_DIR) return path.resolve(env.FRONTDESK_KEY_DIR);
  return path.join(path.dirname(defaultDataDir(env, platform)), `${PRODUCT_NAME}-keys`);
}
