/**
 * A job's evidence of sending never moves back (DESIGN §4.1 exactly once; shared/sync/conflict-handlers.ts): a version
 * pulled from the sync endpoint that lacks an attempt or a send outcome this desk's copy has is not written over it.
 * Planning's own decisions (planned, cancelled, expired, skipped before any attempt) still change by sync as before.
 * RxDB's replication writes a pulled version when this desk's copy equals what it last pushed; a pull answer older
 * than that push — the endpoint wrote the answer before the push landed, and RxDB handled it after — would put a
 * delivered job back to `planned`, and the desk would send it again. Such a version is answered as a conflict (RxDB
 * then leaves the copy alone; the push's own version comes back through the feed); one that knows more in part is
 * merged forward.
 */
import type { BulkWriteRow, RxDocumentData, RxStorage, RxStorageWriteErrorConflict } from 'rxdb';
import type { Job } from '../../../shared/domain/job.ts';
import { JOB_STATE_RANK, mergeJobs } from '../../../shared/sync/conflict-handlers.ts';
import { sameValue } from '../../../shared/sync/merge-core.ts';
import { guardCollections, withBulkWrite, type AnyInstance } from './storage-instance-wrapper.ts';

/** RxDB's context for the writes of a replication's pulled documents. */
const PULLED = 'replication-downstream';

type Stored = RxDocumentData<Job>;

function jobOf(doc: Stored): Job {
  const { _rev: _r, _meta: _m, _attachments: _a, _deleted: _d, ...job } = doc;
  return job as unknown as Job;
}

/** What decides whether a message may be sent (again): the state, the attempts, each channel's step. */
function sendingFacts(job: Job): unknown {
  return { state: job.state, attempts: job.attempts, cascade: job.cascade ?? [] };
}

/** A state at or past this rank says a message was handed over (or may have been). */
const SENT = JOB_STATE_RANK.sending;

/** The pulled version lacks an attempt or a send outcome the desk's copy has. */
function losesEvidence(local: Job, pulled: Job): boolean {
  if (pulled.attempts < local.attempts) return true;
  // A cascade job's state may go from `sending` back to `planned` when a step has its verdict (the next channel is
  // due): its evidence is in the steps.
  if (local.channel !== 'cascade' && JOB_STATE_RANK[local.state] >= SENT && JOB_STATE_RANK[pulled.state] < JOB_STATE_RANK[local.state]) return true;
  const pulledSteps = new Map((pulled.cascade ?? []).map((step) => [step.channel, JOB_STATE_RANK[step.state]]));
  return (local.cascade ?? []).some((step) => JOB_STATE_RANK[step.state] >= SENT && (pulledSteps.get(step.channel) ?? -1) < JOB_STATE_RANK[step.state]);
}

function conflict(row: BulkWriteRow<unknown>, context: string, id: string): RxStorageWriteErrorConflict<unknown> {
  return { status: 409, isError: true, documentId: id, writeRow: row, documentInDb: row.previous!, context } as RxStorageWriteErrorConflict<unknown>;
}

function forwardOnlyInstance(instance: AnyInstance): AnyInstance {
  return withBulkWrite(instance, async (rows, context) => {
    if (!context.startsWith(PULLED)) return instance.bulkWrite(rows, context);
    const refused: RxStorageWriteErrorConflict<unknown>[] = [];
    const written: BulkWriteRow<unknown>[] = [];
    for (const row of rows) {
      const pulled = row.document as Stored;
      const previous = row.previous as Stored | undefined;
      const [local, incoming] = previous && !previous._deleted && !pulled._deleted ? [jobOf(previous), jobOf(pulled)] : [];
      if (!local || !incoming || !losesEvidence(local, incoming)) {
        written.push(row);
        continue;
      }
      const merged = mergeJobs(local, incoming);
      const facts = sendingFacts(merged);
      if (sameValue(facts, sendingFacts(incoming))) written.push(row);
      else if (sameValue(facts, sendingFacts(local))) refused.push(conflict(row, context, local.id));
      else written.push({ ...row, document: { ...merged, _rev: pulled._rev, _meta: pulled._meta, _attachments: pulled._attachments, _deleted: false } });
    }
    const result = written.length > 0 ? await instance.bulkWrite(written, context) : { error: [] };
    return { error: [...result.error, ...refused] };
  });
}

/** `storage` with the jobs collection (current schema version) guarded against pulled versions that move a job back. */
export function forwardOnlyJobsStorage<Internals, Options>(storage: RxStorage<Internals, Options>): RxStorage<Internals, Options> {
  return guardCollections(storage, ['jobs'], forwardOnlyInstance);
}
