/**
 * `clients.save`: the client card (an update of the fields given) and a new client (all of them). Contacts are
 * normalised here, for the location's country, whatever the form already did; every problem is reported at once.
 */
import type { Client } from '../../../shared/domain/client.ts';
import { applyContactChange, checkClientContact, reachableIssues, type ClientContactChange } from '../../../shared/domain/client-input.ts';
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import { issue, type Issue } from '../../../shared/domain/issues.ts';
import type { Location } from '../../../shared/domain/location.ts';
import type { ParsedRequestOf } from '../../../shared/ipc/contract.ts';
import type { Language } from '../../../shared/notifications/catalog.ts';
import type { Clock } from '../../../shared/time/clock.ts';
import type { Handlers } from '../api/router.ts';
import type { SalonRuntime } from '../salon-runtime.ts';
import { checkRevision, findLocation, newDocumentId, notFound, refuse, replaceDocument, writeError } from './command-support.ts';

/** The language a new client gets when the desk did not choose one: the salon's. */
export function defaultLanguage(location: Location): Language {
  return location.locale.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export interface NewClientFields {
  contact: ClientContactChange;
  language?: Language | undefined;
  marketingConsent?: boolean | undefined;
  optOuts?: Client['optOuts'] | undefined;
  channelOptOuts?: Client['channelOptOuts'] | undefined;
  notes?: string | undefined;
}

/** The channels a client opted out of, without the "allowed" ones; undefined when there are none. */
export function cleanChannelOptOuts(value: Client['channelOptOuts']): Client['channelOptOuts'] {
  const entries = Object.entries(value ?? {}).filter(([, scope]) => scope !== undefined);
  return entries.length > 0 ? (Object.fromEntries(entries) as Client['channelOptOuts']) : undefined;
}

/** A new client document from checked fields (the first name is required: an issue when missing). */
export function newClientDocument(location: Location, fields: NewClientFields, now: number): { client?: Client; issues: Issue[] } {
  if (fields.contact.firstName === undefined) return { issues: [issue('client.firstName.required', 'firstName', 'enter the first name')] };
  const client = applyContactChange<Client>(
    {
      id: newDocumentId('cli'),
      locationId: location.id,
      firstName: fields.contact.firstName,
      lastName: '',
      language: fields.language ?? defaultLanguage(location),
      apps: { aggregator: false },
      optOuts: [...(fields.optOuts ?? [])],
      ...(cleanChannelOptOuts(fields.channelOptOuts) ? { channelOptOuts: cleanChannelOptOuts(fields.channelOptOuts)! } : {}),
      marketingConsent: fields.marketingConsent ?? false,
      loyaltyPoints: 0,
      ...(fields.notes?.trim() ? { notes: fields.notes.trim() } : {}),
      createdAt: new Date(now).toISOString(),
    },
    fields.contact,
  );
  return { client, issues: reachableIssues(client) };
}

type SaveRequest = ParsedRequestOf<'clients.save'>;

async function createClient(db: FrontDeskDatabase, location: Location, request: SaveRequest, contact: ClientContactChange, now: number) {
  const { client, issues } = newClientDocument(location, { contact, language: request.language, marketingConsent: request.marketingConsent, optOuts: request.optOuts, channelOptOuts: request.channelOptOuts, notes: request.notes }, now);
  if (!client || issues.length > 0) refuse(issues);
  try {
    const saved = await db.clients.insert(client);
    return { clientId: saved.id, revision: saved.revision, created: true };
  } catch (error) {
    throw writeError(error, 'client', 'clients');
  }
}

async function updateClient(db: FrontDeskDatabase, location: Location, request: SaveRequest & { clientId: string }, contact: ClientContactChange) {
  const doc = await db.clients.findOne(request.clientId).exec();
  if (!doc) notFound('client.notFound', 'clientId', `no client "${request.clientId}" exists (was it removed?)`, { id: request.clientId });
  if (doc.locationId !== location.id) refuse([issue('client.wrongLocation', 'clientId', 'this client belongs to another location')]);
  if (request.expectedRevision === undefined) refuse([issue('command.revisionRequired', 'expectedRevision', 'say which revision of the client was edited')]);
  checkRevision(doc, request.expectedRevision, 'client');
  const next = applyContactChange(doc.toMutableJSON(), contact);
  if (request.language !== undefined) next.language = request.language;
  if (request.optOuts !== undefined) next.optOuts = [...new Set(request.optOuts)];
  if (request.marketingConsent !== undefined) next.marketingConsent = request.marketingConsent;
  if (request.channelOptOuts !== undefined) {
    const channels = cleanChannelOptOuts(request.channelOptOuts);
    if (channels) next.channelOptOuts = channels;
    else delete next.channelOptOuts;
  }
  if (request.notes !== undefined) {
    if (request.notes.trim() === '') delete next.notes;
    else next.notes = request.notes.trim();
  }
  // A client imported without contacts may keep that state; a desk edit of the contacts must leave one.
  if (request.phone !== undefined || request.email !== undefined) {
    const issues = reachableIssues(next);
    if (issues.length > 0) refuse(issues);
  }
  const saved = await replaceDocument(doc, next, 'client', 'clients');
  return { clientId: saved.id, revision: saved.revision, created: false };
}

export function clientHandlers(runtime: () => SalonRuntime, clock: Clock): Pick<Handlers, 'clients.save'> {
  return {
    'clients.save': async (request) => {
      const { db } = runtime();
      const location = await findLocation(db, request.locationId);
      const checked = checkClientContact(request, location.countryCode);
      const issues = checked.ok ? [] : [...checked.issues];
      if (request.clientId === undefined && request.firstName === undefined) issues.push(issue('client.firstName.required', 'firstName', 'enter the first name'));
      if (!checked.ok || issues.length > 0) refuse(issues);
      if (request.clientId === undefined) return createClient(db, location, request, checked.value, clock.now());
      return updateClient(db, location, { ...request, clientId: request.clientId }, checked.value);
    },
  };
}
