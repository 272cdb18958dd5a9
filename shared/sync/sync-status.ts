/**
 * What the desk shows about sync: one status per synced location, plus the overall one for the badge in the app
 * chrome. Error codes are stable keys the renderer translates (`sync.unreachable`, …).
 */

export const SYNC_ERROR_CODES = [
  'sync.unreachable',
  'sync.timeout',
  'sync.tls',
  'sync.notHttps',
  'sync.unauthorized',
  'sync.forbidden',
  'sync.databaseMissing',
  'sync.notCouchDb',
  'sync.serverError',
  'sync.badResponse',
  'sync.leaseUnconfirmed',
  'sync.tooLarge',
  'sync.documentsRefused',
  'sync.busy',
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

/** Failures that mean "no network to the endpoint": the desk is offline, not misconfigured. */
export const OFFLINE_CODES: readonly SyncErrorCode[] = ['sync.unreachable', 'sync.timeout'];

export type SyncPhase = 'off' | 'connecting' | 'initial' | 'syncing' | 'upToDate' | 'offline' | 'error';

export interface SyncProblem {
  code: SyncErrorCode;
  /** English fallback with what to do. */
  message: string;
  params?: Record<string, string | number>;
}

export interface DispatcherInfo {
  /** This desk holds the lease (or sends as the only desk while offline). */
  self: boolean;
  deskName: string;
  epoch: number;
  /** ISO instant the holder last renewed it. */
  renewedAt?: string;
}

export interface LocationSyncStatus {
  locationId: string;
  phase: SyncPhase;
  /** Documents written here and not yet on the endpoint, plus those still to pull on the first sync. */
  pending: number;
  /** First sync of this desk: documents pulled of the endpoint's total. */
  progress?: { done: number; total: number };
  offlineSince?: string;
  lastSyncedAt?: string;
  problem?: SyncProblem;
  /** Who sends this location's messages; undefined while nobody is known to. */
  dispatcher?: DispatcherInfo;
  /** Why this desk does not send now, when it does not. */
  notSendingBecause?: 'noLease' | 'offline' | 'starting' | 'firstSync' | 'untrustedEndpoint';
  quarantined: number;
}

/** Why a document from the endpoint was refused; the renderer translates these (`reason` is the English fallback). */
export const QUARANTINE_CODES = [
  'sync.refused.notObject',
  'sync.refused.noId',
  'sync.refused.design',
  'sync.refused.deleted',
  'sync.refused.tooLarge',
  'sync.refused.field',
  'sync.refused.ownId',
  'sync.refused.invalid',
  'sync.refused.otherLocation',
  'sync.refused.inconsistent',
  'sync.refused.location',
  'sync.refused.settings',
] as const;
export type QuarantineCode = (typeof QUARANTINE_CODES)[number];

export interface QuarantinedDocument {
  collection: string;
  id: string;
  code: QuarantineCode;
  reason: string;
  params?: Record<string, string | number>;
  at: string;
}

/** Why the endpoint refused one of this desk's documents; the renderer translates these (`reason` is the English fallback). */
export const SET_ASIDE_CODES = ['sync.setAside.tooLarge', 'sync.setAside.forbidden', 'sync.setAside.invalid', 'sync.setAside.refused'] as const;
export type SetAsideCode = (typeof SET_ASIDE_CODES)[number];

/**
 * A document of this desk the endpoint refused (too large for a proxy's limit, refused by the server's rules): kept
 * here, left out of its collection's push so that the rest goes on, and sent again when it changes or after a while.
 */
export interface SetAsideDocument {
  collection: string;
  id: string;
  /** Which document, in the desk's words (a client's name, an appointment's client and time); the id when unknown. */
  description: string;
  code: SetAsideCode;
  reason: string;
  params?: Record<string, string | number>;
  /** ISO instant it was first refused. */
  since: string;
  /** ISO instant of the next attempt, unless it changes first. */
  retryAt: string;
}

export interface SyncStatus {
  phase: SyncPhase;
  deskName: string;
  /** Plain http to another host, with the manager's consent: the badge warns. */
  insecure: boolean;
  locations: LocationSyncStatus[];
  /** Most recent first, at most 20. */
  quarantine: QuarantinedDocument[];
  /** This desk's documents the endpoint refused, oldest first (at most 20 shown). */
  setAside: SetAsideDocument[];
}

const PHASE_WEIGHT: Record<SyncPhase, number> = { off: 0, upToDate: 1, connecting: 2, syncing: 3, initial: 4, offline: 5, error: 6 };

/** The badge shows the most urgent location's phase. */
export function overallPhase(locations: readonly LocationSyncStatus[], enabled: boolean): SyncPhase {
  if (!enabled) return 'off';
  if (locations.length === 0) return 'connecting';
  return locations.reduce<SyncPhase>((worst, l) => (PHASE_WEIGHT[l.phase] > PHASE_WEIGHT[worst] ? l.phase : worst), 'upToDate');
}
