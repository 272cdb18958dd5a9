/**
 * A visit card's messages take two round trips to the host: the visit's jobs, then their delivery log entries. A press
 * on a visit (and its click, for the keyboard) asks for both at once, before the route changes and the card renders:
 * the card's own queries (the same ones, data/queries.ts) then find their answers in RxDB's query cache, or already on
 * their way. Asked twice, a query runs once: RxDB hands out one query object per selector and runs it again only
 * after a change.
 */
import { getDatabase } from '../../data/database.ts';
import { jobIdsKey, jobsLogQuery, visitJobsQuery } from '../../data/queries.ts';

export function prefetchVisit(appointmentId: string): void {
  void getDatabase()
    .then((db) => visitJobsQuery(db, appointmentId).exec().then((jobs) => jobsLogQuery(db, jobIdsKey(jobs.map((job) => job.id)))?.exec()))
    // Only a head start: the card runs these queries itself and shows what goes wrong.
    .catch(() => undefined);
}
