import nodemailer from 'nodemailer';
import type { Transporter, SMTPPoolSentMessageInfo, SMTPTransportOptions } from 'nodemailer';
import type { ChannelProvider, CodedReason, OutgoingMessage, SendOutcome } from '../../../shared/engine/provider.ts';
import type { Clock } from '../../../shared/time/clock.ts';
import { mailOptions } from './email-message.ts';
import { describeSmtpError, redactSecrets } from './smtp-errors.ts';
import { serverLabel, settingsFingerprint, settingsProblem, transportOptions, type SmtpSettings } from './smtp-settings.ts';

export type { SmtpSettings } from './smtp-settings.ts';
export { messageIdFor } from './email-message.ts';

export const EMAIL_NOT_CONFIGURED = 'Email (SMTP) is not configured for this location';

export interface EmailProviderOptions {
  /** Read on every send, so edited settings apply to the next message without a restart. */
  resolveSettings(locationId: string): SmtpSettings | undefined;
  /** Stamps the Date header; injected so tests and the engine agree on "now". */
  clock?: Clock;
  /** Connections kept open per location; a desk sends little, so one or two are plenty. */
  maxConnections?: number;
}

export interface EmailProvider extends ChannelProvider {
  readonly channel: 'email';
  /** Closes every pooled connection; sends after this open new ones. */
  close(): void;
}

interface PoolEntry {
  fingerprint: string;
  transport: Transporter<SMTPPoolSentMessageInfo>;
  inFlight: number;
  retired: boolean;
}

export function createEmailProvider(options: EmailProviderOptions): EmailProvider {
  const clock = options.clock ?? { now: () => Date.now() };
  const pools = new Map<string, PoolEntry>();

  function retire(entry: PoolEntry): void {
    entry.retired = true;
    // Closing a pool mid-send would cut off a message the server may be accepting right now.
    if (entry.inFlight === 0) entry.transport.close();
  }

  function poolFor(locationId: string, settings: SmtpSettings): PoolEntry {
    const fingerprint = settingsFingerprint(settings);
    const current = pools.get(locationId);
    if (current && current.fingerprint === fingerprint) return current;
    if (current) retire(current);
    const transportConfig: SMTPTransportOptions & { pool: true; maxConnections: number } = {
      ...transportOptions(settings),
      pool: true,
      maxConnections: options.maxConnections ?? 2,
    };
    const entry: PoolEntry = {
      fingerprint,
      transport: nodemailer.createTransport(transportConfig),
      inFlight: 0,
      retired: false,
    };
    // A pool emits 'error' for connection trouble outside any send; without a listener that would crash the host.
    entry.transport.on('error', () => undefined);
    pools.set(locationId, entry);
    return entry;
  }

  function readiness(locationId: string): { ready: true } | ({ ready: false; reason: string } & CodedReason) {
    const settings = options.resolveSettings(locationId);
    if (!settings) return { ready: false, reason: EMAIL_NOT_CONFIGURED };
    const problem = settingsProblem(settings);
    // The one problem a desk can see coming: the password must be entered again (lost key, changed server).
    if (problem) return { ready: false, reason: `${EMAIL_NOT_CONFIGURED}: ${problem}`, ...(settings.passwordNeeded ? { reasonCode: 'smtp.password.needed' } : {}) };
    return { ready: true };
  }

  async function send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
    const email = message.recipient.email?.trim();
    if (!email) return { status: 'notTried', reason: 'The recipient has no email address' };
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) return { status: 'notTried', reason: `"${email}" is not a valid email address` };
    const ready = readiness(message.locationId);
    if (!ready.ready) return { status: 'notTried', reason: ready.reason, ...(ready.reasonCode ? { reasonCode: ready.reasonCode } : {}) };
    const settings = options.resolveSettings(message.locationId);
    if (!settings) return { status: 'notTried', reason: EMAIL_NOT_CONFIGURED };
    if (signal?.aborted) return { status: 'notTried', reason: 'Sending was cancelled before it started' };

    const entry = poolFor(message.locationId, settings);
    entry.inFlight += 1;
    try {
      const info = await entry.transport.sendMail({
        ...mailOptions(message, settings, email, new Date(clock.now())),
        ...(signal ? { signal } : {}),
      });
      if (info.rejected.length > 0 && info.accepted.length === 0) {
        return { status: 'failed', reason: `The mail server refused ${info.rejected.join(', ')}`, permanent: true };
      }
      return {
        status: 'delivered',
        providerMessageId: info.messageId,
        detail: redactSecrets(`Accepted by ${serverLabel(settings)}: ${info.response}`, settings),
      };
    } catch (error) {
      const failure = describeSmtpError(error, settings);
      return { status: 'failed', reason: failure.message, permanent: failure.permanent };
    } finally {
      entry.inFlight -= 1;
      if (entry.retired && entry.inFlight === 0) entry.transport.close();
    }
  }

  return {
    channel: 'email',
    readiness,
    send,
    close() {
      for (const entry of pools.values()) retire(entry);
      pools.clear();
    },
  };
}

export type SmtpTestResult = { ok: true } | { ok: false; message: string };

/**
 * "Test connection" in the settings screen: connects, negotiates TLS and logs in exactly as sending would,
 * without sending anything. Uses its own short-lived connection so it never disturbs a pool in use.
 */
export async function testSmtpConnection(settings: SmtpSettings): Promise<SmtpTestResult> {
  const problem = settingsProblem(settings);
  if (problem) return { ok: false, message: `The email settings are incomplete: ${problem}` };
  const transport = nodemailer.createTransport(transportOptions(settings));
  try {
    await transport.verify();
    return { ok: true };
  } catch (error) {
    return { ok: false, message: describeSmtpError(error, settings).message };
  } finally {
    transport.close();
  }
}
