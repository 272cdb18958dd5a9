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
