import type { MigrationStrategies, RxJsonSchema } from 'rxdb';
import type { Appointment } from './appointment.ts';
import { appointmentMigrationStrategies, appointmentSchemaV3 } from './appointment.ts';
import type { Client } from './client.ts';
import { clientMigrationStrategies, clientSchemaV3 } from './client.ts';
import type { ClientPerk } from './client-perk.ts';
import { clientPerkSchemaV0 } from './client-perk.ts';
import type { DeliveryLogEntry } from './delivery-log.ts';
import { deliveryLogMigrationStrategies, deliveryLogSchemaV3 } from './delivery-log.ts';
import type { Job } from './job.ts';
import { jobMigrationStrategies, jobSchemaV3 } from './job.ts';
import type { Location } from './location.ts';
import { locationMigrationStrategies, locationSchemaV3 } from './location.ts';
import type { NotificationSettings } from './notification-settings.ts';
import { notificationSettingsMigrationStrategies, notificationSettingsSchemaV1 } from './notification-settings.ts';
import type { ProviderSettings } from './provider-settings.ts';
import { providerSettingsMigrationStrategies, providerSettingsSchemaV1 } from './provider-settings.ts';
import type { Service } from './service.ts';
import { serviceSchemaV0 } from './service.ts';
import type { Staff } from './staff.ts';
import { staffMigrationStrategies, staffSchemaV2 } from './staff.ts';
import type { TeamEvent } from './team-event.ts';
import { teamEventMigrationStrategies, teamEventSchemaV6 } from './team-event.ts';

/** Document type of every collection, by collection name. */
export interface FrontDeskDocTypes {
  locations: Location;
  staff: Staff;
  services: Service;
  clients: Client;
  appointments: Appointment;
  notification_settings: NotificationSettings;
  jobs: Job;
  delivery_log: DeliveryLogEntry;
  team_events: TeamEvent;
  client_perks: ClientPerk;
  provider_settings: ProviderSettings;
}

export type CollectionName = keyof FrontDeskDocTypes;

export interface CollectionDefinition<T> {
  schema: RxJsonSchema<T>;
  migrationStrategies: MigrationStrategies;
}

// The `as const` schemas are exact literal types; RxJsonSchema<T> wants mutable arrays, so each is widened once here.
function def<T>(schema: unknown, migrationStrategies: MigrationStrategies = {}): CollectionDefinition<T> {
  return { schema: schema as RxJsonSchema<T>, migrationStrategies };
}

/**
 * Every collection of a FrontDesk database with its current schema and the migrations that bring older documents to
 * it. Eleven collections, below RxDB open-core's limit of 13 per process. Names are lower_snake because RxDB allows only
 * lower case collection names. Each schema's `title` is its collection name: validation errors of document updates
 * carry only the schema, and the title is how `validationMessage` names the collection.
 */
export const collections: { readonly [K in CollectionName]: CollectionDefinition<FrontDeskDocTypes[K]> } = {
  locations: def<Location>(locationSchemaV3, locationMigrationStrategies),
  staff: def<Staff>(staffSchemaV2, staffMigrationStrategies as MigrationStrategies),
  services: def<Service>(serviceSchemaV0),
  clients: def<Client>(clientSchemaV3, clientMigrationStrategies as MigrationStrategies),
  appointments: def<Appointment>(appointmentSchemaV3, appointmentMigrationStrategies),
  notification_settings: def<NotificationSettings>(notificationSettingsSchemaV1, notificationSettingsMigrationStrategies),
  jobs: def<Job>(jobSchemaV3, jobMigrationStrategies),
  delivery_log: def<DeliveryLogEntry>(deliveryLogSchemaV3, deliveryLogMigrationStrategies),
  team_events: def<TeamEvent>(teamEventSchemaV6, teamEventMigrationStrategies),
  client_perks: def<ClientPerk>(clientPerkSchemaV0),
  provider_settings: def<ProviderSettings>(providerSettingsSchemaV1, providerSettingsMigrationStrategies),
};

export const COLLECTION_NAMES = Object.keys(collections) as CollectionName[];
