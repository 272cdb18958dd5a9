/**
 * A visit card's messages take two round trips to the host: the visit's jobs, then their delivery log entries. A press
 * on a visit asks for both at once, before the route changes and the card renders: the card's own queries (the same
 * ones, data/queries.ts) then find their answers in RxDB's query cache, or already on their way. Asked twice, a query
 * runs once: RxDB hands out one query object per selector and runs it again only after a change.
 */
import { flushSync } from 'react-dom';
import { openVisit } from '../../app/router.ts';
import { getDatabase, leaseMessageCollections, openedDatabase, openedMessagesDatabase } from '../../data/database.ts';
import { jobIdsKey, jobsLogQuery, visitJobsQuery } from '../../data/queries.ts';

/** The visit whose messages were asked for last. */
let lastAsked: string | undefined;

export function prefetchVisit(appointmentId: string): void {
  void askForMessages(appointmentId);
}

/**
 * Resolves once the visit's jobs are asked for (or asking failed). The message collections are opened first if no
 * screen has them open (database.ts MESSAGE_COLLECTIONS); the lease ends with the prefetch, and the card's own lease
 * keeps them open (they close only after a while unused).
 */
function askForMessages(appointmentId: string): Promise<void> {
  lastAsked = appointmentId;
  return getDatabase()
    .then((db) => {
      const lease = leaseMessageCollections(db);
      return lease.ready.then((messagesDb) => {
        void visitJobsQuery(messagesDb, appointmentId)
          .exec()
          .then((jobs) => jobsLogQuery(messagesDb, jobIdsKey(jobs.map((job) => job.id)))?.exec())
          // Only a head start: the card runs these queries itself and shows what goes wrong.
          .catch(() => undefined)
          .finally(() => lease.release());
      }, (error: unknown) => {
        lease.release();
        throw error;
      });
    })
    .catch(() => undefined);
}

/**
 * Opens a visit's card from a click on the visit. After a press (a pointer's click) its messages were asked for some
 * 100 ms ago, and the card renders at once. Without one (Enter or Space on a focused visit) they are asked for now,
 * and the card renders in the next task, so that the host reads them while the page renders the card: rendered in the
 * click's own task, the card held the request back (RxDB sends it only after a few promise turns, and those came
 * after the render), and the host began only when the render was over (traces: the jobs query left 20-40 ms after
 * the click, as the card's render ended). That task renders synchronously rather than leaving it to React's scheduler.
 */
export function openVisitCard(appointmentId: string): void {
  if (lastAsked === appointmentId) {
    openVisit(appointmentId);
    return;
  }
  const asking = askForMessages(appointmentId);
  const db = openedDatabase();
  if (db && openedMessagesDatabase(db)) {
    afterThisTask(() => flushSync(() => openVisit(appointmentId)));
    return;
  }
  // The message collections open first (one round trip): the card waits for it, so that the jobs are still asked for
  // before it renders, not after.
  void asking.then(() => afterThisTask(() => flushSync(() => openVisit(appointmentId))));
}

/** Runs `task` in a task of its own, after the current one and its promise turns, without a timer's 1-4 ms delay. */
function afterThisTask(task: () => void): void {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    task();
  };
  channel.port2.postMessage(undefined);
}
