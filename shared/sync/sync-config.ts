/**
 * What a desk's sync is configured with, and the rules that do not depend on where code runs: which CouchDB databases
 * a location uses, and whether an endpoint URL is acceptable. The host keeps the configuration in the data folder (it
 * is the desk's own, never replicated) and the password in its encrypted secret store.
 */
import { COLLECTION_NAMES, type CollectionName } from '../domain/collections.ts';

/** Every collection replicates: the book, clients, staff, services, settings, perks, outbox, log, team events. */
export const SYNCED_COLLECTIONS: readonly CollectionName[] = COLLECTION_NAMES;

export interface SyncedLocation {
  locationId: string;
  /** Databases of this location are `<prefix>-<collection>` plus `<prefix>-dispatch` (the lease). */
  databasePrefix: string;
}

export interface SyncConfig {
  enabled: boolean;
  /** Server root, e.g. https://couch.example.com:6984/ — no credentials in it. */
  endpoint: string;
  /** This desk's CouchDB user. */
  username: string;
  /** Shown to the other desks (the dispatcher, who changed a setting). */
  deskName: string;
  /**
   * The staff who work at this desk (ids): with sync, this desk plans and shows their desktop toasts, and the other
   * desks those of their own staff (someone listed at two desks gets a toast on each). Empty: this desk has not been
   * told, and shows every specialist's toasts. Without sync the desk is alone and shows every toast.
   */
  deskStaffIds?: string[];
  /** Send even while the endpoint cannot be reached: only safe when no other desk serves the location. */
  onlyDesk: boolean;
  /** The manager's explicit consent to plain http to a host other than this computer. */
  allowInsecureHttp: boolean;
  locations: SyncedLocation[];
}

export const DEFAULT_SYNC_CONFIG: SyncConfig = {
  enabled: false,
  endpoint: '',
  username: '',
  deskName: 'Front desk',
  onlyDesk: false,
  allowInsecureHttp: false,
  locations: [],
};

/** CouchDB database names: a lower-case letter, then lower-case letters, digits and _$()+-/. */
export const DATABASE_PREFIX_PATTERN = /^[a-z][a-z0-9_$()+-]{0,150}$/;

/** A readable default prefix from a location id: `frontdesk-` and the id lower-cased, other characters as `_`. */
export function defaultDatabasePrefix(locationId: string): string {
  return `frontdesk-${locationId.toLowerCase().replace(/[^a-z0-9_-]/g, '_')}`.slice(0, 120);
}

export function databaseName(prefix: string, collection: CollectionName | 'dispatch'): string {
  return `${prefix}-${collection}`;
}

export function locationDatabases(prefix: string): string[] {
  return [...SYNCED_COLLECTIONS.map((c) => databaseName(prefix, c)), databaseName(prefix, 'dispatch')];
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
