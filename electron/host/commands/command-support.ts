/**
 * What every command of the host shares: refusing with all issues at once, "not found" and "changed elsewhere"
 * answers a desk can act on, fresh document ids, and the one guarded write that replaces a document only if it is
 * still the revision the desk edited.
 */
import { randomUUID } from 'node:crypto';
import type { RxDocument } from 'rxdb';
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import { issue, type Issue } from '../../../shared/domain/issues.ts';
import type { Location } from '../../../shared/domain/location.ts';
import { validationMessage } from '../../../shared/domain/validation-errors.ts';
import { ApiError, type ErrorParams } from '../../../shared/ipc/result.ts';

/** A new document id: a readable prefix and 128 random bits, so two desks never make the same one. */
export function newDocumentId(prefix: string): string {
  return `${prefix}-${randomUUID().replaceAll('-', '')}`;
}

/** Refuses a command with every issue found; nothing was written. */
export function refuse(issues: readonly Issue[]): never {
  const text = issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; ');
  throw new ApiError('invalid_request', `Nothing was saved. ${text}.`, { reason: 'command.refused', issues: [...issues] });
}

export function notFound(code: string, field: string, message: string, params?: ErrorParams): never {
  throw new ApiError('not_found', `${message}.`, { reason: code, ...(params ? { params } : {}), issues: [issue(code, field, message, params)] });
}

export type EditedThing = 'appointment' | 'client' | 'settings' | 'staff' | 'service';

const CHANGED_ELSEWHERE: Record<EditedThing, string> = {
  appointment: 'This visit was changed meanwhile (at another desk or by sync). Nothing was saved: look at the visit as it is now and make your change again',
  client: 'This client was changed meanwhile (at another desk or by sync). Nothing was saved: look at the card as it is now and make your change again',
  settings: 'These settings were changed meanwhile (by another manager or by sync). Nothing was saved: reload them and make your change again',
  staff: 'This staff member was changed meanwhile (at another desk or by sync). Nothing was saved: look at them as they are now and make your change again',
  service: 'This service was changed meanwhile (at another desk or by sync). Nothing was saved: look at it as it is now and make your change again',
};

/** `conflict`: the document is not the revision the desk saw; the code `<thing>.changedElsewhere` says what to do. */
export function changedElsewhere(thing: EditedThing): ApiError {
  const code = `${thing}.changedElsewhere`;
  return new ApiError('conflict', `${CHANGED_ELSEWHERE[thing]}.`, { reason: code, issues: [issue(code, 'expectedRevision', CHANGED_ELSEWHERE[thing])] });
}

export function checkRevision(doc: Pick<RxDocument<unknown>, 'revision'>, expected: string, thing: EditedThing): void {
  if (doc.revision !== expected) throw changedElsewhere(thing);
}

function isConflict(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'CONFLICT';
}

/**
 * Replaces the document with `next`, but only over the revision `doc` was read at: a write that landed in between
 * (another command, a replicated change) makes the storage refuse, and the desk is told to look again.
 */
export async function replaceDocument<T>(doc: RxDocument<T>, next: T, thing: EditedThing, collection: string): Promise<RxDocument<T>> {
  try {
    return await doc.modify(() => next);
  } catch (error) {
    throw writeError(error, thing, collection);
  }
}

/** A failed write as an API answer: a conflict, or a document the database schema refused (a bug: named field). */
export function writeError(error: unknown, thing: EditedThing, collection: string): unknown {
  if (isConflict(error)) return changedElsewhere(thing);
  const message = validationMessage(error, collection);
  if (message) return new ApiError('invalid_request', `Nothing was saved. ${message}`, { reason: 'document.invalid' });
  return error;
}

export async function findLocation(db: FrontDeskDatabase, locationId: string): Promise<Location> {
  const location = (await db.locations.findOne(locationId).exec())?.toMutableJSON();
  if (!location) notFound('location.unknown', 'locationId', `no location "${locationId}" exists`, { id: locationId });
  return location;
}
