import type { NodemailerError } from 'nodemailer';
import { serverLabel, type SmtpSettings } from './smtp-settings.ts';

/** How a failed SMTP exchange is explained to a receptionist, and whether retrying could help. */
export interface SmtpFailure {
  kind: 'rejected' | 'auth' | 'tls' | 'dns' | 'connect' | 'timeout' | 'closed' | 'aborted' | 'other';
  message: string;
  permanent: boolean;
}

const TLS_HINT = 'port 465 normally uses SSL/TLS, port 587 uses STARTTLS — check the security setting';

const TLS_PATTERN = /wrong version number|ssl|tls|certificate|handshake|self[- ]signed|unable to verify/i;

export function describeSmtpError(error: unknown, settings: SmtpSettings): SmtpFailure {
  const failure = classify(asNodemailerError(error), settings);
  return { ...failure, message: redactSecrets(failure.message, settings) };
}

function classify(err: NodemailerError, settings: SmtpSettings): SmtpFailure {
  const server = serverLabel(settings);
  const seconds = Math.round((settings.connectionTimeoutMs ?? 15_000) / 100) / 10;
  const originalCode = err.originalCode ?? err.code;
  const replyText = serverReply(err);

  if (err.code === 'EABORT' || err.name === 'AbortError') {
    return {
      kind: 'aborted',
      message: 'Sending was interrupted before the mail server confirmed it; the message may or may not have been sent',
      permanent: false,
    };
  }
  if (err.code === 'EAUTH') {
    const user = settings.auth?.user ?? '';
    return {
      kind: 'auth',
      message: `Authentication failed: the mail server ${server} refused the login for "${user}" — check the user name and password${replyText ? ` (server said: ${replyText})` : ''}`,
      permanent: false,
    };
  }
  if (err.code === 'ENOAUTH') {
    return { kind: 'auth', message: `The mail server ${server} requires a login — enter the user name and password`, permanent: false };
  }
  if (err.code === 'ETLS' || (originalCode !== 'ECONNREFUSED' && TLS_PATTERN.test(err.message) && err.responseCode === undefined)) {
    // The password is only sent over TLS unless the manager allowed otherwise: say so, it is the usual fix's cause.
    const guarded = settings.auth !== undefined && !settings.secure && settings.allowInsecureAuth !== true && settings.requireStartTls !== true;
    return {
      kind: 'tls',
      message: guarded
        ? `Secure connection (TLS) to ${server} failed: ${tlsDetail(err, settings)}, so the password was not sent; ${TLS_HINT}. ` +
          'If this server is a relay in your own network that has no encryption, the manager can allow sending the password without it in Notification settings → Email (SMTP)'
        : `Secure connection (TLS) to ${server} failed: ${tlsDetail(err, settings)}; ${TLS_HINT}`,
      permanent: false,
    };
  }
  if (err.code === 'EDNS' || originalCode === 'ENOTFOUND' || originalCode === 'EAI_AGAIN') {
    return {
      kind: 'dns',
      message: `The mail server name "${settings.host}" could not be found — check the server name and the internet connection`,
      permanent: false,
    };
  }
  if (originalCode === 'ECONNREFUSED' || originalCode === 'EHOSTUNREACH' || originalCode === 'ENETUNREACH') {
    return { kind: 'connect', message: `Could not connect to ${server} — check the server name and port`, permanent: false };
  }
  if (err.code === 'ETIMEDOUT' || originalCode === 'ETIMEDOUT') {
    const what = err.timeoutType === 'GREETING_TIMEOUT' ? 'did not greet' : 'did not answer';
    return {
      kind: 'timeout',
      message: `The mail server ${server} ${what} within ${seconds} s — check the server name, port and security setting, and the network`,
      permanent: false,
    };
  }
  if (err.responseCode !== undefined) {
    const permanent = err.permanent ?? (err.responseCode >= 500 && err.responseCode < 600 && err.responseCode !== 503);
    const subject = err.code === 'EENVELOPE' && err.rejected?.length ? `refused ${err.rejected.join(', ')}` : 'refused the message';
    return {
      kind: 'rejected',
      message: `The mail server ${subject}: ${replyText || `${err.responseCode}`}`,
      permanent,
    };
  }
  if (err.code === 'ECONNECTION' || err.code === 'ESOCKET') {
    return {
      kind: 'closed',
      message: `The connection to ${server} was lost (${shortReason(err)}) — check the server name, port and security setting`,
      permanent: false,
    };
  }
  return { kind: 'other', message: `Sending through ${server} failed: ${shortReason(err)}`, permanent: false };
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
