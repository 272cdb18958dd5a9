/**
 * API handlers of sync: the status (badge, settings panel), the desk's sync settings, saving them (the password goes
 * to the encrypted secret store and never comes back out) and "Test connection" with the values being edited.
 */
import { ApiError } from '../../../shared/ipc/result.ts';
import type { SyncConfig } from '../../../shared/sync/sync-config.ts';
import type { SalonRuntime } from '../salon-runtime.ts';
import { testConnection } from '../sync/connection-test.ts';
import { checkEndpoint } from '../sync/endpoint-check.ts';
import { SYNC_PASSWORD_REF } from '../sync/sync-service.ts';
import type { Handlers } from './router.ts';

type SyncChannels = 'sync.status' | 'sync.settings' | 'sync.save' | 'sync.test';

async function settingsView(runtime: SalonRuntime) {
  return { ...runtime.sync.config, deskId: runtime.sync.deskId, passwordSet: await runtime.sync.hasPassword() };
}

export function syncHandlers(runtime: () => SalonRuntime): Pick<Handlers, SyncChannels> {
  return {
    'sync.status': () => runtime().sync.status(),
    'sync.settings': async () => settingsView(runtime()),
    'sync.save': async (request) => {
      const rt = runtime();
      const { password, ...rest } = request;
      // The desk's staff are this desk's own setting (desk.save), kept as they are.
      const config: SyncConfig = { ...rest, ...(rt.sync.config.deskStaffIds ? { deskStaffIds: rt.sync.config.deskStaffIds } : {}) };
      if (config.enabled) {
        const endpoint = checkEndpoint(config.endpoint, config.allowInsecureHttp);
        if (!endpoint.ok) throw new ApiError('invalid_request', `Nothing was saved. ${endpoint.message}`, { reason: endpoint.code, issues: [{ code: endpoint.code, field: 'endpoint', message: endpoint.message }] });
        if (config.username === '') throw new ApiError('invalid_request', 'Nothing was saved. Enter the desk’s user name on the sync server.', { reason: 'sync.username.needed', issues: [{ code: 'sync.username.needed', field: 'username', message: 'Enter the desk’s user name on the sync server.' }] });
        if (config.locations.length === 0) throw new ApiError('invalid_request', 'Nothing was saved. Choose at least one location to sync.', { reason: 'sync.locations.needed', issues: [{ code: 'sync.locations.needed', field: 'locations', message: 'Choose at least one location to sync.' }] });
        config.endpoint = endpoint.url;
      }
      await rt.sync.configure(config, password);
      return settingsView(rt);
    },
    'sync.test': async (request) => {
      const rt = runtime();
      const password = request.password ?? (await rt.secrets.get(SYNC_PASSWORD_REF)) ?? '';
      return testConnection(request, password, rt.clock);
    },
  };
}
