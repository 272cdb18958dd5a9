/**
 * Email through the location's mail server (SMTP), as one more provider of the registry: the `email` channel's only
 * route. One pooled transport per client; the hub builds a new client when the settings or the password change and
 * closes the old one, which lets a message already on the wire finish. The Message-ID comes from the idempotency key,
 * so a resend after a crash carries the same id; a 5xx reply is permanent; SMTP's "accepted" is the verdict
 * (`delivered`), as SMTP has no delivery report.
 */
import { Transform } from 'node:stream';
import type nodemailerModule from 'nodemailer';
import type { SMTPPoolSentMessageInfo, SMTPTransportOptions, Transporter } from 'nodemailer';
import type { OutgoingMessage, SendOutcome } from '../../../../shared/engine/provider.ts';
import { plainReason } from '../../../../shared/notifications/reasons.ts';
import { mailOptions } from './email-message.ts';
import type { ProviderClient, ProviderDeps, TestResult } from './provider-client.ts';
import { describeSmtpError, redactSecrets } from './smtp-errors.ts';
import { serverLabel, transportOptions, type SmtpSettings } from './smtp-settings.ts';

export type { SmtpSettings } from './smtp-settings.ts';
export { messageIdFor } from './email-message.ts';

/** The email channel's one route. */
export const EMAIL_ROUTE = 'email';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

type Nodemailer = typeof nodemailerModule;
let loadingNodemailer: Promise<Nodemailer> | undefined;

/**
 * nodemailer is loaded for the first email or connection test, not at the host's start: it is a large part of the
 * host's code (445 kB bundled), and its ES build imports node:http, which loads Node's undici too (see node-http.ts).
 */
function loadNodemailer(): Promise<Nodemailer> {
  loadingNodemailer ??= import('nodemailer').then((module) => module.default);
  loadingNodemailer.catch(() => {
    loadingNodemailer = undefined;
  });
  return loadingNodemailer;
}

export interface SmtpClientOptions {
  /** Connections kept open; a desk sends little, so one or two are plenty. */
  maxConnections?: number;
}

export function createSmtpClient(settings: SmtpSettings, deps: Pick<ProviderDeps, 'clock'>, options: SmtpClientOptions = {}): ProviderClient {
  let transport: Transporter<SMTPPoolSentMessageInfo> | undefined;
  let inFlight = 0;
  let closed = false;
  /**
   * Message-IDs whose whole text went onto the connection. An error after that (the server hung up or went silent
   * before its "250") leaves the message's fate unknown: the server may have taken it, so it is not sent again.
   */
  const wholeTextSent = new Set<string>();

  function pool(nodemailer: Nodemailer): Transporter<SMTPPoolSentMessageInfo> {
    if (transport) return transport;
    const config: SMTPTransportOptions & { pool: true; maxConnections: number } = { ...transportOptions(settings), pool: true, maxConnections: options.maxConnections ?? 2 };
    transport = nodemailer.createTransport(config);
    // A pool emits 'error' for connection trouble outside any send; without a listener that would crash the host.
    transport.on('error', () => undefined);
    transport.use('stream', (mail, done) => {
      const id = mail.message.messageId();
      mail.message.transform(() => new Transform({
        transform: (chunk, _encoding, next) => next(null, chunk),
        flush: (next) => {
          wholeTextSent.add(id);
          next();
        },
      }));
      done();
    });
    return transport;
  }

  function release(): void {
    // Closing a pool mid-send would cut off a message the server may be accepting right now.
    if (closed && inFlight === 0 && transport) {
      transport.close();
      transport = undefined;
    }
  }

  async function send(message: OutgoingMessage, _route: string, signal?: AbortSignal): Promise<SendOutcome> {
    const email = message.recipient.email?.trim();
    if (!email) return { status: 'notTried', ...plainReason('email.none') };
    if (!EMAIL.test(email)) return { status: 'notTried', ...plainReason('email.invalid', { email }) };
    const nodemailer = await loadNodemailer();
    if (signal?.aborted) return { status: 'notTried', ...plainReason('smtp.notStarted') };
    const wire = pool(nodemailer);
    const options = mailOptions(message, settings, email, new Date(deps.clock.now()));
    const messageId = `<${String(options.messageId).replace(/^<|>$/g, '')}>`;
    inFlight += 1;
    try {
      const info = await wire.sendMail({ ...options, ...(signal ? { signal } : {}) });
      if (info.rejected.length > 0 && info.accepted.length === 0) {
        return { status: 'failed', permanent: true, ...plainReason('smtp.refused', { recipients: info.rejected.join(', ') }) };
      }
      return { status: 'delivered', providerMessageId: info.messageId, detail: redactSecrets(`Accepted by ${serverLabel(settings)}: ${info.response}`, settings) };
    } catch (error) {
      const failure = describeSmtpError(error, settings);
      if (wholeTextSent.has(messageId) && (failure.kind === 'closed' || failure.kind === 'timeout' || failure.kind === 'other')) {
        const detail = typeof failure.params.detail === 'string' ? failure.params.detail : 'it went silent';
        return { status: 'uncertain', ...plainReason('smtp.noVerdict', { server: serverLabel(settings), detail }) };
      }
      return { status: 'failed', permanent: failure.permanent, reason: failure.message, reasonCode: failure.code, reasonParams: failure.params };
    } finally {
      wholeTextSent.delete(messageId);
      inFlight -= 1;
      release();
    }
  }

  /**
   * "Test connection": connects, negotiates TLS and logs in exactly as sending would, without sending anything, on a
   * short-lived connection of its own so it never disturbs the pool.
   */
  async function test(): Promise<TestResult> {
    const probe = (await loadNodemailer()).createTransport(transportOptions(settings));
    try {
      await probe.verify();
      return { ok: true, detail: `Connected to ${serverLabel(settings)}.` };
    } catch (error) {
      const failure = describeSmtpError(error, settings);
      return { ok: false, reason: failure.message, reasonCode: failure.code, reasonParams: failure.params };
    } finally {
      probe.close();
    }
  }

  return {
    label: `Email (${serverLabel(settings)})`,
    allRoutes: [EMAIL_ROUTE],
    routes: () => [EMAIL_ROUTE],
    send,
    test,
    // SMTP drops nothing by Message-ID: a message interrupted mid-send is not repeated (the crash rule decides).
    idempotent: false,
    close() {
      closed = true;
      release();
    },
  };
}
