/**
 * A visit card's messages take two round trips to the host: the visit's jobs, then their delivery log entries. A press
 * on a visit asks for both, before the route changes and the card renders: the card's own queries (the same ones,
 * data/queries.ts) then show these answers in their first render (direct-read.ts) and bring anything newer after.
 */
import { flushSync } from 'react-dom';
import { openVisit } from '../../app/router.ts';
import { getDatabase, leaseMessageCollections } from '../../data/database.ts';
import { DIRECT_ANSWER_FRESH_MS, readDirectly } from '../../data/direct-read.ts';
import { jobIdsKey, jobsLogQuery, visitJobsQuery } from '../../data/queries.ts';

/**
 * How long a card waits for its messages before it shows without them. Both answers take a few ms when the host is
 * free; the card's render and its frame take some 40 ms more, and a card shown before its messages is drawn twice.
 */
export const MESSAGES_WAIT_MS = 30;

/** The visit whose messages were asked for last: which, when, and once its answers are in (or asking failed). */
let lastAsked: { appointmentId: string; at: number; answered: Promise<void> } | undefined;

export function prefetchVisit(appointmentId: string): void {
  void askForMessages(appointmentId);
}

/**
 * Reads the visit's jobs, then their log entries, directly (direct-read.ts: RxDB's own query would wait 20 ms after
 * every change the engine writes meanwhile) and resolves once both are in (or asking failed). The message collections
 * are opened first if no screen has them open (database.ts MESSAGE_COLLECTIONS); the lease ends with the reads, and
 * the card's own lease keeps them open (they close only after a while unused). Asked again while its answers are
 * fresh, a visit is not read twice.
 */
function askForMessages(appointmentId: string): Promise<void> {
  const now = performance.now();
  if (lastAsked?.appointmentId === appointmentId && now - lastAsked.at < DIRECT_ANSWER_FRESH_MS) return lastAsked.answered;
  const answered = getDatabase()
    .then((db) => {
      const lease = leaseMessageCollections(db);
      return lease.ready
        .then(async (messagesDb) => {
          const jobs = await readDirectly(visitJobsQuery(messagesDb, appointmentId));
          const log = jobsLogQuery(messagesDb, jobIdsKey(jobs.map((job) => job.id)));
          if (log) await readDirectly(log);
        })
        .finally(() => lease.release());
    })
    // Only a head start: the card runs these queries itself and shows what goes wrong.
    .catch(() => undefined);
  lastAsked = { appointmentId, at: now, answered };
  return answered;
}

/**
 * Opens a visit's card from a click on the visit. After a press (a pointer's click) its messages were asked for some
 * 100 ms ago and are usually in; without one (Enter or Space on a focused visit) they are asked for now. The card
 * renders, in a task of its own, once they are in or MESSAGES_WAIT_MS has passed: with them, it is drawn once, whole.
 * Rendered first, it held their answers back (the page handled them only after its render and frame, some 40 ms), and
 * drew itself a second time when they came. That task renders synchronously rather than leaving it to React's scheduler.
 */
export function openVisitCard(appointmentId: string): void {
  let shown = false;
  const show = () => {
    if (shown) return;
    shown = true;
    clearTimeout(timer);
    flushSync(() => openVisit(appointmentId));
  };
  const timer = setTimeout(show, MESSAGES_WAIT_MS);
  void askForMessages(appointmentId).then(() => afterThisTask(show));
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
