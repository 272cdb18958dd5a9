import { createHash } from 'node:crypto';
import type { SMTPTransportOptions } from 'nodemailer';

/** One location's outgoing mail server. The password lives only here, in memory; it is never logged or echoed. */
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
  /** A user name is set but its saved password cannot be used (never saved, or unreadable): enter it again. */
  passwordNeeded?: boolean;
  from: { name: string; address: string };
  replyTo?: string;
  /** Connect and greeting timeout; the data phase gets a multiple of it. Default 15 s. */
  connectionTimeoutMs?: number;
}

const DEFAULT_CONNECTION_TIMEOUT_MS = 15_000;

export function serverLabel(settings: Pick<SmtpSettings, 'host' | 'port'>): string {
  return `${settings.host}:${settings.port}`;
}

/** What is missing for the settings to be usable, or undefined when they are complete. */
export function settingsProblem(settings: SmtpSettings): string | undefined {
  if (!settings.host.trim()) return 'the server name is missing';
  if (!Number.isInteger(settings.port) || settings.port < 1 || settings.port > 65_535) return `the port ${settings.port} is not valid`;
  if (!settings.from.address.includes('@')) return 'the sender address is missing';
  if (settings.auth && !settings.auth.user) return 'the user name is missing';
  if (settings.passwordNeeded) return PASSWORD_NEEDED;
  return undefined;
}

export const PASSWORD_NEEDED = 'the password must be entered again in Notification settings → Email (SMTP)';

/** Whether the connection will be encrypted before the password is sent (or there is no password to send). */
export function requiresTls(settings: SmtpSettings): boolean {
  return !settings.secure && (settings.requireStartTls === true || (settings.auth !== undefined && settings.allowInsecureAuth !== true));
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
    // A slow server may take a while to accept a message; only a stalled socket should end the attempt.
    socketTimeout: Math.max(timeout * 4, 30_000),
    // Loopback and LAN relays are legitimate salon setups (and what the tests use).
    allowInternalNetworkInterfaces: true,
    logger: false,
    debug: false,
  };
}

/**
 * Identifies a settings version so a cached transport is rebuilt when anything changes. Hashed, so the
 * password does not sit in a map key or show up in a heap dump as part of a readable string.
 */
export function settingsFingerprint(settings: SmtpSettings): string {
  const material = JSON.stringify([
    settings.host,
    settings.port,
    settings.secure,
    settings.requireStartTls === true,
    settings.allowInsecureAuth === true,
    settings.auth?.user ?? null,
    settings.auth?.pass ?? null,
    settings.connectionTimeoutMs ?? null,
  ]);
  return createHash('sha256').update(material).digest('hex');
}
