/**
 * A client import in steps, so a desk can show progress and stop at any point: `clients.importStart` reads the
 * location's clients and opens a plan (shared/clients/import-plan.ts), `clients.importRows` feeds it the file's rows
 * chunk by chunk and answers the counts and the invalid rows of the chunk, `clients.importCommit` writes the whole plan
 * in one storage transaction, `clients.importCancel` drops it. Until the commit nothing is written, so a cancelled or
 * abandoned import leaves no client behind; an import whose merge targets changed meanwhile is refused whole.
 */
import type { RxDocumentData } from 'rxdb';
import { mappingProblems } from '../../../shared/clients/import-columns.ts';
import { ClientImportPlan, type ExistingClient } from '../../../shared/clients/import-plan.ts';
import type { Client } from '../../../shared/domain/client.ts';
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import { issue } from '../../../shared/domain/issues.ts';
import type { Location } from '../../../shared/domain/location.ts';
import type { ParsedRequestOf } from '../../../shared/ipc/contract.ts';
import { ApiError } from '../../../shared/ipc/result.ts';
import type { Clock } from '../../../shared/time/clock.ts';
import type { Handlers } from '../api/router.ts';
import type { SalonRuntime } from '../salon-runtime.ts';
import { defaultLanguage } from './client-commands.ts';
import { findLocation, newDocumentId, notFound, refuse } from './command-support.ts';

/** Open imports at once (one per desk is usual); the oldest idle one makes room. */
const MAX_OPEN_IMPORTS = 4;
/** An import nobody touched for this long is dropped (a closed window never cancels). */
export const IMPORT_IDLE_MS = 30 * 60_000;
/** Rows one import reads at most: far above any salon's client base, and a bound on the host's memory. */
export const MAX_IMPORT_ROWS = 200_000;

const EXISTING_FIELDS = ['id', 'firstName', 'lastName', 'phone', 'email', 'birthday', 'language', 'marketingConsent', 'notes', 'loyaltyPoints'] as const;

function existingOf(client: Client): ExistingClient {
  const out: Record<string, unknown> = {};
  for (const key of EXISTING_FIELDS) if (client[key] !== undefined) out[key] = client[key];
  return out as unknown as ExistingClient;
}

interface OpenImport {
  location: Location;
  plan: ClientImportPlan;
  /** The merge targets as the plan read them, to refuse the commit if one changed meanwhile. */
  read: Map<string, string>;
  touchedAt: number;
  committing: boolean;
}

type StartRequest = ParsedRequestOf<'clients.importStart'>;

export class ClientImports {
  readonly #open = new Map<string, OpenImport>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  get openCount(): number {
    return this.#open.size;
  }

  async start(db: FrontDeskDatabase, request: StartRequest): Promise<{ importId: string }> {
    const location = await findLocation(db, request.locationId);
    const problems = mappingProblems(request.mapping);
    if (problems.length > 0) {
      refuse(problems.map((p) => issue(p.code, 'mapping', p.code === 'import.mapping.noName' ? 'map a column to the first name or the full name' : `${p.params?.field} is mapped to two columns`, p.params)));
    }
    const clients = await db.clients.find({ selector: { locationId: location.id } }).exec();
    const existing = clients.map((doc) => existingOf(doc.toJSON() as Client));
    const now = this.#clock.now();
    const plan = new ClientImportPlan(existing, request.mapping, {
      countryCode: location.countryCode,
      dateOrder: request.dateOrder,
      currentYear: new Date(now).getUTCFullYear(),
      duplicates: request.duplicates,
    });
    this.#dropIdle(now);
    if (this.#open.size >= MAX_OPEN_IMPORTS) {
      const oldest = [...this.#open.entries()].filter(([, o]) => !o.committing).sort((a, b) => a[1].touchedAt - b[1].touchedAt)[0];
      if (oldest) this.#open.delete(oldest[0]);
    }
    const importId = newDocumentId('imp');
    this.#open.set(importId, { location, plan, read: new Map(existing.map((c) => [c.id, JSON.stringify(c)])), touchedAt: now, committing: false });
    return { importId };
  }

  rows(request: ParsedRequestOf<'clients.importRows'>) {
    const open = this.#take(request.importId);
    const before = open.plan.issues().length;
    if (open.plan.summary().rows + request.rows.length > MAX_IMPORT_ROWS) {
      refuse([issue('import.tooManyRows', 'rows', `an import reads at most ${MAX_IMPORT_ROWS} rows: split the file`, { max: MAX_IMPORT_ROWS })]);
    }
    open.plan.addRows(request.rows, request.firstRow);
    return { summary: open.plan.summary(), issues: open.plan.issues().slice(before).map((i) => ({ ...i })) };
  }

  cancel(importId: string): { cancelled: boolean } {
    const open = this.#open.get(importId);
    if (!open || open.committing) return { cancelled: false };
    this.#open.delete(importId);
    return { cancelled: true };
  }

  /** Writes every new and merged client in one storage write (one SQLite transaction), or nothing. */
  async commit(db: FrontDeskDatabase, importId: string) {
    const open = this.#take(importId);
    open.committing = true;
    try {
      const { plan, location } = open;
      const createdAt = new Date(this.#clock.now()).toISOString();
      const rows: { previous?: RxDocumentData<Client>; document: RxDocumentData<Client> }[] = plan.creates().map(({ client }) => {
        const doc: Client = {
          id: newDocumentId('cli'),
          locationId: location.id,
          firstName: client.firstName,
          lastName: client.lastName,
          ...(client.phone !== undefined ? { phone: client.phone } : {}),
          ...(client.email !== undefined ? { email: client.email } : {}),
          ...(client.birthday !== undefined ? { birthday: client.birthday } : {}),
          language: client.language ?? defaultLanguage(location),
          apps: { aggregator: false },
          optOuts: [],
          marketingConsent: client.marketingConsent ?? false,
          loyaltyPoints: client.loyaltyPoints ?? 0,
          ...(client.notes ? { notes: client.notes } : {}),
          createdAt,
        };
        // RxDB's storage wrapper sets the revision and write time of every row.
        return { document: { ...doc, _deleted: false, _attachments: {}, _rev: '', _meta: { lwt: 0 } } };
      });
      const changed = plan.changedClients();
      if (changed.length > 0) {
        const current = new Map((await db.clients.storageInstance.findDocumentsById(changed.map((c) => c.id), false)).map((d) => [d.id, d]));
        for (const after of changed) {
          const previous = current.get(after.id);
          if (!previous || JSON.stringify(existingOf(previous)) !== open.read.get(after.id)) throw importChangedElsewhere();
          const document = { ...previous, ...after } as RxDocumentData<Client>;
          for (const key of EXISTING_FIELDS) if (after[key] === undefined) delete document[key];
          rows.push({ previous, document });
        }
      }
      const summary = plan.summary();
      if (rows.length > 0) {
        const result = await db.clients.storageInstance.bulkWrite(rows, 'clients-import');
        if (result.error.length > 0) {
          // A conflict is only possible for a merge target written in between; inserts have fresh ids.
          if (result.error.every((e) => e.status === 409)) throw importChangedElsewhere();
          throw new Error(`the import could not be written: ${JSON.stringify(result.error[0]).slice(0, 300)}`);
        }
      }
      this.#open.delete(importId);
      return { summary, created: plan.creates().length, updated: changed.length };
    } finally {
      open.committing = false;
    }
  }

  #take(importId: string): OpenImport {
    const now = this.#clock.now();
    this.#dropIdle(now);
    const open = this.#open.get(importId);
    if (!open) notFound('import.notFound', 'importId', 'this import is no longer open (it was cancelled, finished or left idle): start it again', { id: importId });
    if (open.committing) refuse([issue('import.committing', 'importId', 'this import is being written')]);
    open.touchedAt = now;
    return open;
  }

  #dropIdle(now: number): void {
    for (const [id, open] of this.#open) if (!open.committing && now - open.touchedAt > IMPORT_IDLE_MS) this.#open.delete(id);
  }
}

function importChangedElsewhere(): ApiError {
  const text = 'A client this import merges into was changed meanwhile (at another desk or by sync). Nothing was imported: check the file again and import it';
  return new ApiError('conflict', `${text}.`, { reason: 'import.changedElsewhere', issues: [issue('import.changedElsewhere', 'importId', text)] });
}

type ImportChannels = 'clients.importStart' | 'clients.importRows' | 'clients.importCommit' | 'clients.importCancel';

export function clientImportHandlers(runtime: () => SalonRuntime, imports: ClientImports): Pick<Handlers, ImportChannels> {
  return {
    'clients.importStart': (request) => imports.start(runtime().db, request),
    'clients.importRows': (request) => imports.rows(request),
    'clients.importCommit': (request) => imports.commit(runtime().db, request.importId),
    'clients.importCancel': (request) => imports.cancel(request.importId),
  };
}
