/**
 * Differential test: the same seeded random sequences of writes and reads run on RxDB's memory storage (the
 * reference) and on ours, at the storage-instance level; every answer must be identical.
 * STORAGE_DIFF_CASES (default 1000) sets the number of sequences, STORAGE_DIFF_SEED the first seed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { getChangedDocumentsSince, normalizeMangoQuery, prepareQuery } from 'rxdb';
import type { BulkWriteRow, MangoQuery, RxDocumentData, RxStorageInstance } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getRxStorageNodeSqlite } from '../../../../electron/host/storage/index.ts';
import { appointmentStorageSchema, envInt, openInstance, prng, tempDir } from './storage-fixtures.ts';
import type { Appointment } from './storage-fixtures.ts';

const CASES = envInt('STORAGE_DIFF_CASES', 1000);
const FIRST_SEED = envInt('STORAGE_DIFF_SEED', 1);
const schema = appointmentStorageSchema();
const tmp = tempDir('diff');
afterAll(() => tmp.dispose());

type Doc = RxDocumentData<Appointment>;
type Instance = RxStorageInstance<Appointment, unknown, unknown>;

// Indexed string fields get awkward characters on purpose: control characters sort below the space padding of
// RxDB's index strings (and around the markers of our compact keys), runs of spaces and trailing spaces test where a
// compact key ends, é and emoji exercise UTF-8 vs UTF-16 ordering, U+E000/U+FFFD sit above the surrogates.
const ALPHABET = ['a', 'b', 'Z', '0', ' ', ' ', '\t', '\n', '\x00', '\x02', 'é', '😀', '\uE000', '\uFFFD'];

function generator(seed: number) {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const str = (max: number) => Array.from({ length: 1 + int(max) }, () => pick(ALPHABET)).join('');
  let lwt = 1_700_000_000_000;
  let revCounter = 0;
  return {
    rnd,
    int,
    pick,
    nextLwt() {
      // Several documents share one lwt now and then: checkpoints must break ties by id.
      if (rnd() < 0.7) {
        lwt = Math.round((lwt + 0.01 + int(3) * 0.01) * 100) / 100;
      }
      return lwt;
    },
    fields(): Omit<Appointment, 'id'> {
      return {
        locationId: pick(['loc1', 'loc2', 'loc3', str(4)]),
        staffId: pick(['s1', 's2', 's3', 's4']),
        start: `2025-03-${pick(['01', '02', '03'])}T${pick(['09', '10', '11'])}:${pick(['00', '30'])}${rnd() < 0.1 ? str(3) : ''}`,
        status: pick(['booked', 'confirmed', 'cancelled', 'no-show']),
        price: int(5) === 0 ? 0 : Math.round(rnd() * 50000) / 100,
        note: pick(['x', 'y', 'z', str(3)]),
      };
    },
    str,
    // Revisions must be unique as RxDB's are: the memory storage trusts a matching _rev to locate index entries.
    rev() {
      revCounter++;
      return `r${revCounter}`;
    },
  };
}

type Gen = ReturnType<typeof generator>;

function randomSelector(g: Gen): MangoQuery<Doc>['selector'] {
  const options: (() => MangoQuery<Doc>['selector'])[] = [
    () => ({}),
    () => ({ locationId: g.pick(['loc1', 'loc2', 'loc3']) }),
    () => ({ locationId: 'loc1', start: { $gte: '2025-03-02', $lt: '2025-03-03' } }),
    () => ({ start: { $gt: `2025-03-0${1 + g.int(3)}T10` } }),
    () => ({ staffId: g.pick(['s1', 's2']), status: g.pick(['booked', 'confirmed']) }),
    () => ({ price: { $gte: g.int(300), $lte: 300 + g.int(300) } }),
    () => ({ price: { $gt: 100 }, note: g.pick(['x', 'y']) }),
    () => ({ note: { $in: ['x', 'z'] } }),
    () => ({ status: { $ne: 'cancelled' }, locationId: { $in: ['loc1', 'loc3'] } }),
    () => ({ $or: [{ staffId: 's3' }, { price: { $lt: 50 } }] }),
    () => ({ locationId: { $gt: g.str(2) } }),
    // $in on an index field whose prefix is fixed becomes one range per value (query-ranges.ts).
    () => ({ staffId: { $in: [g.pick(['s1', 's2', 's3']), g.pick(['s3', 's4', 's9'])] } }),
    () => ({ staffId: g.pick(['s1', 's2']), status: { $in: ['cancelled', 'booked', g.str(3)] } }),
    () => ({ locationId: { $in: ['loc3', g.str(3), 'loc1', 'loc1 '] }, start: { $gte: '2025-03-02' } }),
    () => ({ price: { $in: [0, g.int(300), g.int(50000) / 100] } }),
    () => ({ start: { $in: [`2025-03-0${1 + g.int(3)}T09:00`, `2025-03-0${1 + g.int(3)}T10:30`] }, note: { $ne: 'y' } }),
  ];
  const selector = g.pick(options)();
  // RxDB collections always query live documents only; the storage must also answer queries over deleted ones.
  return g.rnd() < 0.8 ? { ...selector, _deleted: { $eq: false } } : selector;
}

function randomSort(g: Gen): MangoQuery<Doc>['sort'] {
  return g.pick<MangoQuery<Doc>['sort']>([
    undefined,
    [{ start: 'asc' }],
    [{ start: 'desc' }],
    [{ price: 'asc' }],
    [{ locationId: 'asc' }, { start: 'asc' }],
    [{ staffId: 'asc' }, { status: 'asc' }, { start: 'asc' }],
    [{ note: 'asc' }],
    [{ price: 'desc' }, { note: 'asc' }],
  ]);
}

function randomQuery(g: Gen) {
  const mango: MangoQuery<Doc> = { selector: randomSelector(g) };
  const sort = randomSort(g);
  if (sort) mango.sort = sort;
  if (g.rnd() < 0.4) mango.skip = g.int(4);
  if (g.rnd() < 0.6) mango.limit = g.int(8);
  return prepareQuery(schema, normalizeMangoQuery(schema, mango));
}

async function allChanges(instance: Instance, batch: number) {
  const pages = [];
  let checkpoint: unknown;
  for (let i = 0; i < 1000; i++) {
    const page = await getChangedDocumentsSince(instance, batch, checkpoint);
    pages.push(page);
    if (page.documents.length === 0) break;
    checkpoint = page.checkpoint;
  }
  return pages;
}

async function runCase(seed: number): Promise<void> {
  const g = generator(seed);
  const name = `diff${seed}`;
  const memory = await openInstance(getRxStorageMemory() as never, name);
  const ours = await openInstance(getRxStorageNodeSqlite({ directory: tmp.dir, synchronous: 'NORMAL' }) as never, name);
  const both = [memory, ours] as const;
  const ids: string[] = [];
  const revs = new Map<string, Doc[]>();
  try {
    const steps = 4 + g.int(8);
    for (let step = 0; step < steps; step++) {
      const rows: BulkWriteRow<Appointment>[] = [];
      const n = 1 + g.int(12);
      for (let i = 0; i < n; i++) {
        const kind = ids.length === 0 ? 0 : g.int(10);
        const lwt = g.nextLwt();
        if (kind < 4) {
          // Insert, sometimes of an id that exists (a conflict), sometimes already deleted (as replication does).
          const id = kind === 0 && ids.length > 0 ? g.pick(ids) : `d${seed}x${ids.length}`;
          if (rows.some((r) => r.document.id === id)) continue;
          if (!ids.includes(id)) ids.push(id);
          const doc: Doc = { id, ...g.fields(), _deleted: g.rnd() < 0.05, _rev: `1-${g.rev()}`, _meta: { lwt }, _attachments: {} };
          rows.push({ document: doc });
        } else {
          const id = g.pick(ids);
          // RxDB never writes one document twice in one bulkWrite (the memory storage would corrupt its indexes).
          if (rows.some((r) => r.document.id === id)) continue;
          const history = revs.get(id);
          const current = (await memory.findDocumentsById([id], true))[0];
          const previous = history && g.rnd() < 0.2 ? g.pick(history) : current;
          if (!previous) continue;
          const height = Number.parseInt(previous._rev, 10) + 1;
          const base = kind < 8 ? { ...previous, ...g.fields() } : { ...previous };
          rows.push({
            previous,
            document: { ...base, id, _deleted: kind >= 8 ? g.rnd() < 0.8 : previous._deleted && g.rnd() < 0.5, _rev: `${height}-${g.rev()}`, _meta: { lwt }, _attachments: {} },
          });
        }
      }
      // Each storage gets its own deep copy: the memory storage keeps the written objects by reference.
      const results = await Promise.all(both.map((s) => s.bulkWrite(structuredClone(rows), 'diff')));
      expect(results[1], `seed ${seed} step ${step}: bulkWrite`).toEqual(results[0]);
      for (const row of rows) {
        const list = revs.get(row.document.id) ?? [];
        list.push(row.document);
        revs.set(row.document.id, list);
      }

      for (let q = 0; q < 3; q++) {
        const query = randomQuery(g);
        const [a, b] = await Promise.all(both.map((s) => s.query(query)));
        expect(b, `seed ${seed} step ${step}: query ${JSON.stringify(query.query)}`).toEqual(a);
        const [ca, cb] = await Promise.all(both.map((s) => s.count(query)));
        expect(cb, `seed ${seed} step ${step}: count ${JSON.stringify(query.query)}`).toEqual(ca);
      }
      const lookup = [...ids.filter(() => g.rnd() < 0.5), 'missing'];
      const withDeleted = g.rnd() < 0.5;
      const [fa, fb] = await Promise.all(both.map((s) => s.findDocumentsById(lookup, withDeleted)));
      expect(fb, `seed ${seed} step ${step}: findDocumentsById`).toEqual(fa);
      if (g.rnd() < 0.1) {
        await Promise.all(both.map((s) => s.cleanup(0)));
      }
    }
    const batch = 1 + g.int(5);
    const [ca, cb] = await Promise.all(both.map((s) => allChanges(s, batch)));
    expect(cb, `seed ${seed}: getChangedDocumentsSince`).toEqual(ca);
  } finally {
    await Promise.all(both.map((s) => s.remove()));
  }
}

describe('node:sqlite storage vs RxDB memory storage', () => {
  it(`gives identical results over ${CASES} seeded random sequences`, { timeout: 600_000 }, async () => {
    for (let i = 0; i < CASES; i++) {
      await runCase(FIRST_SEED + i);
    }
  });

  it('has not been comparing two empty storages', async () => {
    const storage = getRxStorageNodeSqlite({ directory: tmp.dir });
    const ours = await openInstance(storage as never, 'sanity');
    try {
      const doc: Doc = { id: 'a1', locationId: 'loc1', staffId: 's1', start: '2025-03-01T09:00', status: 'booked', price: 10, note: 'x', _deleted: false, _rev: '1-a', _meta: { lwt: 1_700_000_000_000 }, _attachments: {} };
      await ours.bulkWrite([{ document: doc }], 'sanity');
      const stale = await ours.bulkWrite([{ document: { ...doc, _rev: '1-b' } }], 'sanity');
      expect(stale.error[0]?.status).toBe(409);
      const query = prepareQuery(schema, normalizeMangoQuery<Doc>(schema, { selector: { locationId: 'loc1' } }));
      expect(query.queryPlan.index).toEqual(['_deleted', 'locationId', 'start', 'id']);
      expect((await ours.query(query)).documents).toEqual([doc]);
    } finally {
      await ours.remove();
    }
  });
});
