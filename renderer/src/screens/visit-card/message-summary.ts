/**
 * One message as the desk thinks of it: what it was, to whom, how it ended and which channel carried it — built from
 * the outbox job (when the screen has it) and the delivery-log entries of its channel attempts, which the screens
 * fold underneath the message instead of listing each attempt as a row of its own.
 */
import type { DeliveryLogEntry, DeliveryStatus } from '../../../../shared/domain/delivery-log.ts';
import type { Job, JobState } from '../../../../shared/domain/job.ts';
import type { Channel } from '../../../../shared/notifications/catalog.ts';
import type { ReasonFields } from '../../../../shared/notifications/reasons.ts';

export type MessageOutcome = JobState | DeliveryStatus;

export interface MessageSummary {
  /** The job id: one message. */
  id: string;
  type: string;
  outcome: MessageOutcome;
  /** The channel that delivered it (or took it in sandbox mode), if one did. */
  channel?: Channel;
  recipient?: string;
  /** When it went out, or is or was due. */
  at: number;
  /** For planned messages: still to come. */
  pending: boolean;
  sandboxed: boolean;
  /** The reason of the whole message (skipped, cancelled, expired…), not of a single channel. */
  reason?: ReasonFields;
  /** Channel attempts, newest verdict per channel, in cascade order of first appearance. */
  attempts: DeliveryLogEntry[];
  appointmentId?: string;
}

const CARRIED: ReadonlySet<string> = new Set(['delivered', 'sent', 'sandboxed']);
/** Which entry tells how a message ended, when there is no job: the best outcome wins. */
const RANK: readonly DeliveryStatus[] = ['sandboxed', 'delivered', 'sent', 'uncertain', 'failed', 'expired', 'cancelled', 'skipped', 'notTried', 'attempted'];

function reasonOf(fields: ReasonFields): ReasonFields | undefined {
  return fields.reason || fields.reasonCode ? fields : undefined;
}

/** The newest entry per channel (an attempt, then its verdict: the verdict is what counts). */
function latestPerChannel(entries: readonly DeliveryLogEntry[]): DeliveryLogEntry[] {
  const byChannel = new Map<Channel, DeliveryLogEntry>();
  for (const entry of [...entries].sort((a, b) => a.atMs - b.atMs)) byChannel.set(entry.channel, entry);
  return [...byChannel.values()];
}

export function summarizeJob(job: Job, entries: readonly DeliveryLogEntry[]): MessageSummary {
  const attempts = latestPerChannel(entries);
  const carrier = attempts.find((e) => CARRIED.has(e.status)) ?? attempts.find((e) => e.status === 'uncertain');
  const stepCarrier = job.cascade?.find((s) => s.state === 'delivered' || s.state === 'sent' || s.state === 'sandboxed');
  const channel = carrier?.channel ?? stepCarrier?.channel ?? (job.channel !== 'cascade' ? job.channel : undefined);
  const sandboxed = job.state === 'sandboxed' || attempts.some((e) => e.status === 'sandboxed');
  const closing = job.state === 'skipped' || job.state === 'cancelled' || job.state === 'expired' || job.state === 'failed' || job.state === 'uncertain';
  return {
    id: job.id,
    type: job.type,
    outcome: job.state,
    ...(channel ? { channel } : {}),
    ...((carrier?.recipient || job.recipient) ? { recipient: carrier?.recipient || job.recipient } : {}),
    at: carrier?.atMs ?? job.dueAt,
    pending: job.state === 'planned' || job.state === 'sending' || job.state === 'sent',
    sandboxed,
    ...(closing && reasonOf(job) ? { reason: reasonOf(job)! } : {}),
    attempts,
    ...(job.subjectKind === 'appointment' ? { appointmentId: job.subjectId } : {}),
  };
}

/** Messages from log entries alone (the client card reads the log, not the outbox), newest first. */
export function summarizeEntries(entries: readonly DeliveryLogEntry[]): MessageSummary[] {
  const byJob = new Map<string, DeliveryLogEntry[]>();
  for (const entry of entries) byJob.set(entry.jobId, [...(byJob.get(entry.jobId) ?? []), entry]);
  const out: MessageSummary[] = [];
  for (const [jobId, list] of byJob) {
    const attempts = latestPerChannel(list);
    const best = [...attempts].sort((a, b) => RANK.indexOf(a.status) - RANK.indexOf(b.status))[0]!;
    const carried = CARRIED.has(best.status) || best.status === 'uncertain';
    // A job-level verdict (cancelled, expired, a skip decided before any channel) is logged once, under one channel.
    const jobLevel = !carried && attempts.length === 1 ? best : undefined;
    out.push({
      id: jobId,
      type: best.type,
      outcome: best.status,
      ...(carried ? { channel: best.channel } : {}),
      ...(carried && best.recipient ? { recipient: best.recipient } : {}),
      at: Math.max(...list.map((e) => e.atMs)),
      pending: false,
      sandboxed: attempts.some((e) => e.status === 'sandboxed'),
      ...(jobLevel && reasonOf(jobLevel) ? { reason: reasonOf(jobLevel)! } : {}),
      attempts: jobLevel ? [] : attempts,
      ...(best.appointmentId ? { appointmentId: best.appointmentId } : {}),
    });
  }
  return out.sort((a, b) => b.at - a.at);
}
