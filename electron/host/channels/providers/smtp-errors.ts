import type { NodemailerError } from 'nodemailer';
import { plainReason, type ReasonCode, type ReasonParams } from '../../../../shared/notifications/reasons.ts';
import { serverLabel, socketTimeoutMs, type SmtpSettings } from './smtp-settings.ts';

/** How a failed SMTP exchange is explained to a receptionist (a reason code with its parameters), and whether retrying could help. */
export interface SmtpFailure {
  kind: 'rejected' | 'auth' | 'tls' | 'dns' | 'connect' | 'timeout' | 'closed' | 'aborted' | 'other';
  code: SmtpReasonCode;
  params: ReasonParams;
  /** The English text of the code, the password removed. */
  message: string;
  permanent: boolean;
}

type SmtpReasonCode = Extract<ReasonCode, `smtp.${string}`>;

const TLS_PATTERN = /wrong version number|ssl|tls|certificate|handshake|self[- ]signed|unable to verify/i;

export function describeSmtpError(error: unknown, settings: SmtpSettings): SmtpFailure {
  const failure = classify(asNodemailerError(error), settings);
  // Parameters quote the server and the error; neither may carry the password back out.
  const params = Object.fromEntries(Object.entries(failure.params).map(([k, v]) => [k, typeof v === 'string' ? redactSecrets(v, settings) : v]));
  return { ...failure, params, message: redactSecrets(plainReason(failure.code, params).reason, settings) };
}

function classify(err: NodemailerError, settings: SmtpSettings): Omit<SmtpFailure, 'message'> {
  const server = serverLabel(settings);
  // A server that greeted and then went silent was waited for as long as the socket timeout, not the connect timeout.
  const waitedMs = err.timeoutType === 'SOCKET_TIMEOUT' ? socketTimeoutMs(settings) : (settings.connectionTimeoutMs ?? 15_000);
  const seconds = Math.round(waitedMs / 100) / 10;
  const originalCode = err.originalCode ?? err.code;
  const replyText = serverReply(err);

  if (err.code === 'EABORT' || err.name === 'AbortError') return { kind: 'aborted', code: 'smtp.aborted', params: {}, permanent: false };
  if (err.code === 'EAUTH') {
    const user = settings.auth?.user ?? '';
    return replyText
      ? { kind: 'auth', code: 'smtp.authSaid', params: { server, user, detail: replyText }, permanent: false }
      : { kind: 'auth', code: 'smtp.auth', params: { server, user }, permanent: false };
  }
  if (err.code === 'ENOAUTH') return { kind: 'auth', code: 'smtp.noAuth', params: { server }, permanent: false };
  if (err.code === 'ETLS' || (originalCode !== 'ECONNREFUSED' && TLS_PATTERN.test(err.message) && err.responseCode === undefined)) {
    // The password is only sent over TLS unless the manager allowed otherwise: say so, it is the usual fix's cause.
    const guarded = settings.auth !== undefined && !settings.secure && settings.allowInsecureAuth !== true && settings.requireStartTls !== true;
    return { kind: 'tls', code: guarded ? 'smtp.tlsGuarded' : 'smtp.tls', params: { server, detail: tlsDetail(err, settings) }, permanent: false };
  }
  if (err.code === 'EDNS' || originalCode === 'ENOTFOUND' || originalCode === 'EAI_AGAIN') {
    return { kind: 'dns', code: 'smtp.dns', params: { host: settings.host }, permanent: false };
  }
  if (originalCode === 'ECONNREFUSED' || originalCode === 'EHOSTUNREACH' || originalCode === 'ENETUNREACH') {
    return { kind: 'connect', code: 'smtp.connect', params: { server }, permanent: false };
  }
  if (err.code === 'ETIMEDOUT' || originalCode === 'ETIMEDOUT') {
    return { kind: 'timeout', code: err.timeoutType === 'GREETING_TIMEOUT' ? 'smtp.noGreeting' : 'smtp.timeout', params: { server, seconds }, permanent: false };
  }
  if (err.responseCode !== undefined) {
    const permanent = err.permanent ?? (err.responseCode >= 500 && err.responseCode < 600 && err.responseCode !== 503);
    const detail = replyText || `${err.responseCode}`;
    return err.code === 'EENVELOPE' && err.rejected?.length
      ? { kind: 'rejected', code: 'smtp.rejectedRecipients', params: { recipients: err.rejected.join(', '), detail }, permanent }
      : { kind: 'rejected', code: 'smtp.rejected', params: { detail }, permanent };
  }
  if (err.code === 'ECONNECTION' || err.code === 'ESOCKET') {
    return { kind: 'closed', code: 'smtp.closed', params: { server, detail: shortReason(err) }, permanent: false };
  }
  return { kind: 'other', code: 'smtp.failed', params: { server, detail: shortReason(err) }, permanent: false };
}

/** The reply line as the server sent it, e.g. "550 5.1.1 mailbox unavailable". */
function serverReply(err: NodemailerError): string {
  const first = err.rejectedErrors?.[0];
  const response = first?.response ?? err.response;
  return typeof response === 'string' ? response.replace(/\s+/g, ' ').trim() : '';
}

function tlsDetail(err: NodemailerError, settings: SmtpSettings): string {
  if (/wrong version number|packet length too long|unexpected eof/i.test(err.message) && settings.secure) {
    return 'the server does not speak SSL/TLS on this port';
  }
  if (err.command === 'STARTTLS' || /STARTTLS/i.test(err.message) || (!settings.secure && (settings.requireStartTls || settings.auth))) {
    return 'the server does not offer STARTTLS on this port';
  }
  if (/certificate|self[- ]signed|unable to verify/i.test(err.message)) return "the server's certificate is not trusted";
  return shortReason(err);
}

function shortReason(err: NodemailerError): string {
  return err.message.split('\n')[0]?.trim() || err.code || 'unknown error';
}

function asNodemailerError(error: unknown): NodemailerError {
  if (error instanceof Error) return error as NodemailerError;
  return new Error(String(error)) as NodemailerError;
}

/**
 * Removes the password (and the encodings AUTH PLAIN/LOGIN put on the wire) from any text that might
 * reach a log or the UI. A belt to the braces of never building messages from the password.
 */
export function redactSecrets(text: string, settings: Pick<SmtpSettings, 'auth'>): string {
  const auth = settings.auth;
  if (!auth?.pass) return text;
  const forms = [
    auth.pass,
    Buffer.from(auth.pass).toString('base64'),
    Buffer.from(`\u0000${auth.user}\u0000${auth.pass}`).toString('base64'),
  ].filter((form) => form.length >= 3);
  let out = text;
  for (const form of forms) out = out.split(form).join('•••');
  return out;
}
