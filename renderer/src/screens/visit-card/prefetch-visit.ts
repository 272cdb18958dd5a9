/**
 * A visit card's messages take two round trips to the host: the visit's jobs, then their delivery log entries. A visit
 * pointed at, focused or pressed asks for both, before the route changes and the card renders: the card's own queries
 * (the same ones, data/queries.ts) then show these answers in their first render (direct-read.ts) and bring anything
 * newer after.
 */
import { flushSync } from 'react-dom';
import { openVisit } from '../../app/router.ts';
import { getDatabase, leaseMessageCollections } from '../../data/database.ts';
import { DIRECT_ANSWER_FRESH_MS, directAnswer, readDirectly, type AnyQuery } from '../../data/direct-read.ts';
import { jobIdsKey, jobsLogQuery, visitJobsQuery } from '../../data/queries.ts';

/**
 * How long a card waits for its messages before it shows without them. Both answers take a few ms when the host is
 * free; the card's render and its frame take some 40 ms more, and a card shown before its messages is drawn twice.
 */
export const MESSAGES_WAIT_MS = 30;

/** The visit whose messages were asked for last, and when. */
let lastAsked: { appointmentId: string; at: number; asking: Asking } | undefined;

interface Asking {
  /** Resolves once the jobs are asked for (the message collections open), or asking failed. */
  asked: Promise<void>;
  /** Resolves once the jobs and their log entries are in, or asking failed. */
  answered: Promise<void>;
  /** Whether `answered` has resolved: a card opened after that renders in the click's own task. */
  isAnswered: boolean;
  /** Whether both answers came and are still fresh (direct-read.ts: young, and no change touched them since). */
  isFresh(): boolean;
}

export function prefetchVisit(appointmentId: string): void {
  askForMessages(appointmentId);
}

/**
 * Reads the visit's jobs, then their log entries, directly (direct-read.ts: RxDB's own query would wait 20 ms after
 * every change the engine writes meanwhile). The message collections are opened first if no screen has them open
 * (database.ts MESSAGE_COLLECTIONS); the lease ends with the reads, and the card's own lease keeps them open (they
 * close only after a while unused, sooner if no card came: PREFETCH_ONLY_IDLE_MS). Asked again while its answers are
 * fresh, a visit is not read twice; read while a change came that touches them (a reminder sent since the pointer
 * came over the visit), or read in vain, it is read again.
 */
function askForMessages(appointmentId: string): Asking {
  const now = performance.now();
  if (lastAsked?.appointmentId === appointmentId && now - lastAsked.at < DIRECT_ANSWER_FRESH_MS) {
    const asking = lastAsked.asking;
    if (!asking.isAnswered || asking.isFresh()) return asking;
  }
  const lease = getDatabase().then((db) => leaseMessageCollections(db, 'prefetch'));
  const opened = lease.then((held) => held.ready);
  let read: AnyQuery[] | undefined;
  const answered = opened
    .then(async (messagesDb) => {
      const jobsQuery = visitJobsQuery(messagesDb, appointmentId);
      const jobs = await readDirectly(jobsQuery);
      const log = jobsLogQuery(messagesDb, jobIdsKey(jobs.map((job) => job.id)));
      if (log) await readDirectly(log);
      read = log ? [jobsQuery, log] : [jobsQuery];
    })
    .finally(() => lease.then((held) => held.release()))
    // Only a head start: the card runs these queries itself and shows what goes wrong.
    .catch(() => undefined);
  const asking: Asking = {
    asked: opened.then(() => undefined, () => undefined),
    answered,
    isAnswered: false,
    isFresh: () => read !== undefined && read.every((query) => directAnswer(query) !== undefined),
  };
  void answered.then(() => (asking.isAnswered = true));
  lastAsked = { appointmentId, at: now, asking };
  return asking;
}

/**
 * Opens a visit's card from a click on the visit. Its messages were asked for when the pointer came over the visit or
 * the visit got the focus, and again at the press if that answer was no longer fresh; without either they are asked
 * for now. In by the click, the card renders in the click's own task: a task the click posts waits until the page's
 * next frame (Chromium runs the frame after an input first), 10–15 ms with nothing else to do. Not in yet, the card
 * renders in a task of its own once they are in or MESSAGES_WAIT_MS after they were asked for: with them, it is
 * drawn once, whole. Rendered first, it held their answers back (the page handled them only after its render and
 * frame, some 40 ms) and drew itself a second time when they came; rendered before they were asked for (the message
 * collections still opening), it held back the request itself. Either way it renders synchronously rather than
 * leaving it to React's scheduler.
 */
export function openVisitCard(appointmentId: string): void {
  const asking = askForMessages(appointmentId);
  const { asked, answered } = asking;
  let shown = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const show = () => {
    if (shown) return;
    shown = true;
    clearTimeout(timer);
    flushSync(() => openVisit(appointmentId));
  };
  if (asking.isAnswered) return show();
  void asked.then(() => {
    if (!shown) timer = setTimeout(show, MESSAGES_WAIT_MS);
  });
  void answered.then(() => afterThisTask(show));
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
