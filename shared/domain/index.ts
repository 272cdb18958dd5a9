/** The salon data model: RxDB schemas, document types, and the small pure rules other parts share. */
export * from './schema-parts.ts';
export * from './location.ts';
export * from './staff.ts';
export * from './service.ts';
export * from './client.ts';
export * from './appointment.ts';
export * from './notification-settings.ts';
export * from './job.ts';
export * from './delivery-log.ts';
export * from './team-event.ts';
export * from './client-perk.ts';
export * from './collections.ts';
export * from './phone.ts';
export * from './email.ts';
export * from './zoned-time.ts';
export * from './validation-errors.ts';
export type * from './database-types.ts';
