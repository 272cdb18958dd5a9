/**
 * The sync channels of the IPC contract (merged into `contract`): the status for the badge and the settings panel,
 * the desk's sync settings, saving them, and "Test connection". The password goes in, never out.
 */
import { z } from 'zod';
import { DATABASE_PREFIX_PATTERN } from '../sync/sync-config.ts';

const empty = z.object({}).strict();
const params = z.record(z.string().max(60), z.union([z.string().max(500), z.number()])).optional();

const phase = z.enum(['off', 'connecting', 'initial', 'syncing', 'upToDate', 'offline', 'error']);

export const syncStatusSchema = z.object({
  phase,
  deskName: z.string(),
  insecure: z.boolean(),
  locations: z.array(
    z.object({
      locationId: z.string(),
      phase,
      pending: z.number().int(),
      progress: z.object({ done: z.number().int(), total: z.number().int() }).optional(),
      offlineSince: z.string().optional(),
      lastSyncedAt: z.string().optional(),
      problem: z.object({ code: z.string(), message: z.string(), params }).optional(),
      dispatcher: z.object({ self: z.boolean(), deskName: z.string(), epoch: z.number().int(), renewedAt: z.string().optional() }).optional(),
      notSendingBecause: z.enum(['noLease', 'offline', 'starting', 'firstSync', 'untrustedEndpoint']).optional(),
      quarantined: z.number().int(),
    }),
  ),
  quarantine: z.array(z.object({ collection: z.string(), id: z.string(), code: z.string(), reason: z.string(), params, at: z.string() })),
  setAside: z.array(z.object({ collection: z.string(), id: z.string(), description: z.string(), code: z.string(), reason: z.string(), params, since: z.string(), retryAt: z.string() })),
});

const syncedLocation = z
  .object({
    locationId: z.string().min(1).max(128),
    databasePrefix: z.string().regex(DATABASE_PREFIX_PATTERN, 'databasePrefix: lower-case letters, digits and - _ only, starting with a letter'),
  })
  .strict();

const settingsInput = {
  endpoint: z.string().trim().max(2000),
  username: z.string().trim().max(200),
  allowInsecureHttp: z.boolean(),
  locations: z.array(syncedLocation).max(20),
};

export const syncSettingsSchema = z.object({
  enabled: z.boolean(),
  endpoint: z.string(),
  username: z.string(),
  deskName: z.string(),
  onlyDesk: z.boolean(),
  allowInsecureHttp: z.boolean(),
  locations: z.array(z.object({ locationId: z.string(), databasePrefix: z.string() })),
  deskId: z.string(),
  passwordSet: z.boolean(),
});

export const syncContract = {
  'sync.status': { request: empty, response: syncStatusSchema },
  'sync.settings': { request: empty, response: syncSettingsSchema },
  'sync.save': {
    request: z
      .object({
        ...settingsInput,
        enabled: z.boolean(),
        deskName: z.string().trim().min(1, 'deskName: name this desk').max(120),
        onlyDesk: z.boolean(),
        /** Absent: keep the saved password. */
        password: z.string().max(1000).optional(),
      })
      .strict(),
    response: syncSettingsSchema,
  },
  'sync.test': {
    request: z.object({ ...settingsInput, password: z.string().max(1000).optional() }).strict(),
    response: z.object({
      ok: z.boolean(),
      insecure: z.boolean(),
      checks: z.array(z.object({ code: z.string(), ok: z.boolean(), message: z.string(), params })),
    }),
  },
} as const;

export type SyncStatusView = z.infer<typeof syncStatusSchema>;
export type SyncSettingsView = z.infer<typeof syncSettingsSchema>;
