import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fillWithDefaultSettings } from 'rxdb';
import type { RxDocumentData, RxJsonSchema, RxStorage, RxStorageInstance } from 'rxdb';

export type Appointment = {
  id: string;
  locationId: string;
  staffId: string;
  start: string;
  status: string;
  price: number;
  note: string;
};

export const appointmentSchemaLiteral = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 24 },
    locationId: { type: 'string', maxLength: 12 },
    staffId: { type: 'string', maxLength: 12 },
    start: { type: 'string', maxLength: 30 },
    status: { type: 'string', maxLength: 12 },
    price: { type: 'number', minimum: 0, maximum: 100000, multipleOf: 0.01 },
    note: { type: 'string' },
  },
  required: ['id', 'locationId', 'staffId', 'start', 'status', 'price', 'note'],
  indexes: ['start', 'price', ['locationId', 'start'], ['staffId', 'status', 'start']],
} as const;

export function appointmentStorageSchema(): RxJsonSchema<RxDocumentData<Appointment>> {
  return fillWithDefaultSettings(structuredClone(appointmentSchemaLiteral) as unknown as RxJsonSchema<Appointment>);
}

export async function openInstance(
  storage: RxStorage<unknown, unknown>,
  databaseName: string,
  collectionName = 'appointments',
  schema = appointmentStorageSchema(),
): Promise<RxStorageInstance<Appointment, unknown, unknown>> {
  return (await storage.createStorageInstance<Appointment>({
    databaseInstanceToken: 'tok' + databaseName,
    databaseName,
    collectionName,
    schema,
    options: {},
    multiInstance: false,
    devMode: false,
  })) as RxStorageInstance<Appointment, unknown, unknown>;
}

export function tempDir(prefix: string): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `frontdesk-${prefix}-`));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** mulberry32: small, fast and good enough to drive reproducible test sequences. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw ? Number.parseInt(raw, 10) : NaN;
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export function makeAppointment(id: string, i: number, lwt: number, rev = '1-a'): RxDocumentData<Appointment> {
  const day = 1 + (i % 28);
  const minutes = (i * 37) % 600;
  return {
    id,
    locationId: `loc${i % 10}`,
    staffId: `staff${i % 60}`,
    start: `2025-03-${String(day).padStart(2, '0')}T${String(8 + Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00.000Z`,
    status: ['booked', 'confirmed', 'arrived', 'completed', 'cancelled'][i % 5]!,
    price: ((i * 7919) % 20000) / 100,
    note: `note ${i}`,
    _deleted: false,
    _rev: rev,
    _meta: { lwt },
    _attachments: {},
  };
}
