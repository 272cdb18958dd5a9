/**
 * The secret store's key, wrapped by the OS keychain through Electron's safeStorage (Keychain on macOS, DPAPI on
 * Windows, libsecret/kwallet on Linux). Injected into the host, which stays Node-only. Where no real keychain is
 * available (Linux without a keyring: safeStorage would fall back to a hard-coded password), the host keeps its key in
 * a file in the user's config folder instead, as web mode does.
 */
import { safeStorage } from 'electron';
import type { KeyProtection } from '../host/secret-store.ts';

export async function safeStorageKeyProtection(log: (line: string) => void): Promise<KeyProtection | undefined> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) {
    log('The system keychain is not available: saved passwords are protected by a key file in your config folder.');
    return undefined;
  }
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    log('No keyring (gnome-libsecret or kwallet) is running: saved passwords are protected by a key file in your config folder.');
    return undefined;
  }
  return {
    name: 'safeStorage',
    protect: async (key) => safeStorage.encryptStringAsync(key.toString('base64')),
    unprotect: async (wrapped) => Buffer.from((await safeStorage.decryptStringAsync(wrapped)).result, 'base64'),
  };
}
