/** One location's outgoing mail server as the SMTP client uses it, built by the registry from the provider's settings. */
import type { SMTPTransportOptions } from 'nodemailer';

/** The password lives only here, in memory; it is never logged or echoed. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (usually port 465). */
  secure: boolean;
  /** Refuse to send unless the server upgrades with STARTTLS (usually port 587). Ignored when `secure`. */
  requireStartTls?: boolean;
  auth?: { user: string; pass: string };
  /**
   * The manager allowed sending the password to this server without TLS. Without it, a login over a connection that
   * is not `secure` always upgrades with STARTTLS first, and a server that does not offer it never sees the password.
   */
  allowInsecureAuth?: boolean;
  from: { name: string; address: string };
  replyTo?: string;
  /** Connect and greeting timeout; the data phase gets a multiple of it. Default 15 s. */
  connectionTimeoutMs?: number;
}

const DEFAULT_CONNECTION_TIMEOUT_MS = 15_000;

export function serverLabel(settings: Pick<SmtpSettings, 'host' | 'port'>): string {
  return `${settings.host}:${settings.port}`;
}

/** Whether the connection will be encrypted before the password is sent (or there is no password to send). */
export function requiresTls(settings: SmtpSettings): boolean {
  return !settings.secure && (settings.requireStartTls === true || (settings.auth !== undefined && settings.allowInsecureAuth !== true));
}

/** How long a stalled connection is waited for once the server has greeted: a slow server may take a while to accept a message. */
export function socketTimeoutMs(settings: Pick<SmtpSettings, 'connectionTimeoutMs'>): number {
  return Math.max((settings.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS) * 4, 30_000);
}

export function transportOptions(settings: SmtpSettings): SMTPTransportOptions {
  const timeout = settings.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS;
  return {
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: requiresTls(settings),
    ...(settings.auth ? { auth: { user: settings.auth.user, pass: settings.auth.pass } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    dnsTimeout: timeout,
    socketTimeout: socketTimeoutMs(settings),
    // Loopback and LAN relays are legitimate salon setups (and what the tests use).
    allowInternalNetworkInterfaces: true,
    logger: false,
    debug: false,
  };
}
