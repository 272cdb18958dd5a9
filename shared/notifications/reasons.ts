/**
 * Why a message was skipped, cancelled, expired, failed or not tried — as a stable code with parameters, so every
 * reader gets the reason in their own language at reading time (the desk's UI translates `reason.<code>`), and an
 * English text for logs, the CSV and readers that do not know the code yet.
 *
 * The shape on documents (jobs, cascade steps, delivery-log entries): `reasonCode` + `reasonParams`, plus `reason`,
 * the English text. Entries written before codes existed have `reason` only; readers show it as is.
 *
 * Parameter conventions (the renderer formats by name, so a reason never carries a pre-formatted date):
 * - a name ending in `At` is an instant in epoch ms, shown as a date and time in the salon's zone;
 * - `type` is a notification type, `channel` a channel, `status` an appointment status — shown by their labels;
 * - `detail` is free text from outside (a provider's answer), shown as is, never translated;
 * - anything else is shown as is (numbers, names).
 */
import { formatLocalDateTime, formattingLocale } from './zoned-time.ts';

export type ReasonParams = Record<string, string | number>;

/** The reason fields of a job, a cascade step or a log entry. */
export interface ReasonFields {
  /** English text: for logs, the CSV and old readers. */
  reason?: string;
  reasonCode?: string;
  reasonParams?: ReasonParams;
}

export interface Reason {
  code: ReasonCode;
  params?: ReasonParams;
}

/** English texts; `{name}` is filled from the parameters. The renderer's tables have `reason.<code>` for each. */
export const REASON_TEXTS_EN = {
  // The type, the client, the subject
  'type.off': '{type} is turned off in the notification settings',
  'client.gone': 'the client no longer exists',
  'client.optedOut': 'the client opted out of {type} messages',
  'client.noConsent': 'the client has not consented to promotional messages',
  'client.futureBooking': 'the client has a future booking on {startAt}',
  'location.gone': 'the location no longer exists',
  'subject.noLongerApplies': 'no longer applies after the latest change',
  // The appointment
  'appointment.gone': 'the appointment was deleted',
  'appointment.cancelled': 'the appointment was cancelled',
  'appointment.notCancelled': 'the appointment is no longer cancelled',
  'appointment.status': 'the appointment is {status}',
  'appointment.moved': 'the appointment moved to {startAt}',
  'appointment.started': 'the appointment started at {startAt} before this could be sent',
  'appointment.restored': 'the appointment was restored',
  'cancellation.notNotified': 'the desk chose not to notify the client of this cancellation',
  'changeAlert.superseded': 'replaced by one alert for the latest changes',
  'changeAlert.noNetChange': 'the visit is back as it was before the changes: nothing to tell the client',
  'reminder.settingsChanged': 'the reminder settings changed',
  'reminder.pastAtBooking': 'its time ({minutes} min before the start) had already passed when the visit was booked or moved',
  'reminder.notBeforeStart': 'a reminder {minutes} min before is not before the start',
  'reminder.duplicateOffset': 'this reminder time is configured twice; planned once',
  'reminder.invalidOffset': 'the reminder time is not a number of minutes',
  'reminder.superseded': 'it was due at {dueAt} and not sent then; the reminder {minutes} min before the visit, due at {nextAt}, goes instead, so the client does not get two at once',
  'review.alreadyLeft': 'the client already reviewed this visit',
  'review.allExcluded': 'every service of this visit is excluded from review requests',
  'repeatVisit.laterVisit': 'a later visit on {startAt} had the same service',
  'birthday.gone': 'the client no longer has a birthday on file',
  'discount.gone': 'the discount was deleted',
  'discount.used': 'the discount was already used',
  'due.tooLate': 'it was due at {dueAt} and is no longer meaningful (limit {limitAt})',
  // Channels of the cascade
  'channel.noEmail': 'no email: the client has no email address',
  'channel.noApp': 'no app push: the client app is not installed',
  'channel.noPushToken': "no push: the salon's app is not installed",
  'channel.noPhone': 'no SMS: the client has no phone number',
  'channel.optedOut': 'the client asked not to be contacted by {channel}',
  'channel.optedOutMarketing': 'the client asked for no promotional messages by {channel}',
  'channel.notConfigured': '{channel} is not set up for this salon',
  'channel.notApplicable': '{channel} cannot reach this recipient',
  'channel.earlierDelivered': 'an earlier channel delivered the message',
  'channel.earlierSandboxed': 'an earlier channel took the message in sandbox mode',
  'channel.tooLate': 'too late to try this channel',
  'cascade.noChannel': 'no channel could reach the client',
  'sandbox.notSent': 'sandbox mode: rendered and logged, not sent',
  'send.interrupted': 'FrontDesk stopped while handing this message to the provider; it may or may not have been sent, so it is not sent again automatically',
  'send.leaseLost': 'not sent: this desk lost the dispatch lease just before sending; the desk that holds it sends the message',
  'send.replayed': 'not sent again: the delivery log shows this message was already handed to the provider (this copy of the job, replayed by sync, did not know it)',
  'provider.failed': 'the provider refused the message: {detail}',
  'provider.error': 'the provider could not be reached: {detail}',
  'provider.notTried': 'the provider could not try it: {detail}',
  // Retries, delivery reports and routes (a provider's own words are the `detail`)
  'send.gaveUp': 'gave up after {tries} temporary failures: {detail}',
  'send.noTimeLeft': 'no time left to try again before the message would be too late: {detail}',
  'send.resent': 'FrontDesk stopped while handing this message to the provider; sent again with the same idempotency key, which the provider uses to drop a duplicate',
  'report.status': 'the provider reports "{detail}"',
  'report.assumed': 'no delivery report within {minutes} min (last status "{detail}"): counted as delivered',
  'report.assumedAtDeadline': 'no delivery report before the message was due (last status "{detail}"): counted as delivered',
  'report.noWait': 'accepted by the provider; no wait for a delivery report is set, so it counts as delivered',
  'retry.notNeeded': 'not sent again: {detail}',
  // Providers' own reasons
  'provider.auth': "{provider} refused the credentials: check {field} in the provider settings",
  'provider.rejected': "{provider} refused the message: {detail}",
  'provider.rateLimited': "{provider} asked to slow down (too many requests)",
  'provider.unavailable': "{provider} is temporarily unavailable: {detail}",
  'provider.heldBack': "held back by the rate limit set for {provider}",
  'provider.paused': '{provider} asked to wait (too many requests): nothing was sent to it',
  'provider.badAnswer': "{provider} gave an answer FrontDesk cannot read: {detail}",
  'provider.noVerdict': '{provider} received the whole message, then no answer came ({detail}); it may have been sent, so it is not sent again',
  'provider.answerLost': '{provider} took the message, but its answer was lost ({detail}); it is not sent again, so the client cannot get it twice',
  'provider.secretMissing': '{provider}: {field} is not saved on this desk; enter it again in the provider settings',
  'provider.secretOwnerChanged': '{provider}: the server or account changed since the secret was typed on this desk; enter it again in the provider settings',
  'provider.keyInvalid': 'the service-account key cannot be used: {detail}',
  'provider.undelivered': "{provider} reports it was not delivered: {detail}",
  // Email (SMTP): the mail server's answers in a receptionist's words
  'email.none': 'the recipient has no email address',
  'email.invalid': '"{email}" is not a valid email address',
  'smtp.password.needed': 'the SMTP password must be entered again in Settings → Email (SMTP)',
  'smtp.notStarted': 'sending was cancelled before it started',
  'smtp.refused': 'the mail server refused {recipients}',
  'smtp.noVerdict': 'The mail server {server} received the whole message, then its answer never came ({detail}); it may have been sent, so it is not sent again',
  'smtp.aborted': 'Sending was interrupted before the mail server confirmed it; the message may or may not have been sent',
  'smtp.auth': 'Authentication failed: the mail server {server} refused the login for "{user}" — check the user name and password',
  'smtp.authSaid': 'Authentication failed: the mail server {server} refused the login for "{user}" — check the user name and password (server said: {detail})',
  'smtp.noAuth': 'The mail server {server} requires a login — enter the user name and password',
  'smtp.tls': 'Secure connection (TLS) to {server} failed: {detail}; port 465 normally uses SSL/TLS, port 587 uses STARTTLS — check the security setting',
  'smtp.tlsGuarded':
    'Secure connection (TLS) to {server} failed: {detail}, so the password was not sent; port 465 normally uses SSL/TLS, port 587 uses STARTTLS — check the security setting. ' +
    'If this server is a relay in your own network that has no encryption, the manager can allow sending the password without it in Settings → Email (SMTP)',
  'smtp.dns': 'The mail server name "{host}" could not be found — check the server name and the internet connection',
  'smtp.connect': 'Could not connect to {server} — check the server name and port',
  'smtp.timeout': 'The mail server {server} did not answer within {seconds} s — check the server name, port and security setting, and the network',
  'smtp.noGreeting': 'The mail server {server} did not greet within {seconds} s — check the server name, port and security setting, and the network',
  'smtp.rejected': 'The mail server refused the message: {detail}',
  'smtp.rejectedRecipients': 'The mail server refused {recipients}: {detail}',
  'smtp.closed': 'The connection to {server} was lost ({detail}) — check the server name, port and security setting',
  'smtp.failed': 'Sending through {server} failed: {detail}',
  'phone.invalid': "{phone} is not a valid mobile number",
  'phone.unsubscribed': "the recipient has unsubscribed from these messages (replied STOP)",
  'phone.unreachable': "{phone} cannot receive messages: {detail}",
  'whatsapp.unavailable': "WhatsApp could not take it: {detail}",
  'telegram.notLinked': "no Telegram chat is linked for this client",
  'telegram.blocked': "the client blocked the salon's Telegram bot or deleted the chat",
  'telegram.botUnknown': "the Telegram bot's name is not known yet: turn Telegram on and run Test connection in the provider settings",
  'push.noDevice': "no device is registered for this app",
  'push.unregistered': "the app was removed from every device",
  'push.noTopic': "no ntfy topic for this staff member",
  // Team messages to staff
  'staff.gone': 'the staff member no longer exists or is inactive',
  'staff.channelOff': '{channel} is off for {type} in the notification settings',
  'staff.late': 'it could not go out within 6 hours and is no longer news',
  'staff.noEmail': 'no email: the staff member has no email address',
  'staff.noPhone': 'no SMS: the staff member has no phone number',
  'staff.otherDesk': '{name} does not work at this desk ({desk}): their toasts show on the desks where they work',
  'staff.noAdminPush': 'no staff-app push: no device and no ntfy topic for this staff member',
  // Jobs the engine's planning does not want (forged, or replicated in from outside): closed unsent
  'notPlanned.id': 'not sent: FrontDesk did not plan this message (its id does not match its type, subject, occasion and channel)',
  'notPlanned.subjectGone': 'not sent: FrontDesk did not plan this message (what it is about does not exist)',
  'notPlanned.otherLocation': 'not sent: FrontDesk did not plan this message (what it is about belongs to another location)',
  'notPlanned.channel': 'not sent: FrontDesk does not plan {type} messages over {channel}',
  'notPlanned.event': 'not sent: FrontDesk did not plan this message (its notification-center event is not a change of a visit in this salon)',
  'notPlanned.notWanted': 'not sent: the notification settings do not call for this {type} message now (it was not planned here, or a later change replaced it)',
} as const;

export type ReasonCode = keyof typeof REASON_TEXTS_EN;
export const REASON_CODES = Object.keys(REASON_TEXTS_EN) as ReasonCode[];

export function isReasonCode(code: string): code is ReasonCode {
  return Object.hasOwn(REASON_TEXTS_EN, code);
}

/** How English texts show instants: the salon's zone, English words, the salon region's clock (24-hour in Germany). */
export interface ReasonFormat {
  timeZone: string;
  /** The location's locale, e.g. "de-DE": contributes the region only; the words stay English. */
  locale?: string;
}

/** Fills `{name}` in a text; `at`-instants through `instant`, the rest as is. Unknown names stay visible. */
export function fillReasonText(text: string, params: ReasonParams | undefined, instant: (ms: number) => string): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params?.[name];
    if (value === undefined) return whole;
    return typeof value === 'number' && name.endsWith('At') ? instant(value) : String(value);
  });
}

export function englishReason(code: ReasonCode, params: ReasonParams | undefined, format: ReasonFormat): string {
  const locale = formattingLocale('en', format.locale);
  return fillReasonText(REASON_TEXTS_EN[code], params, (ms) => formatLocalDateTime(ms, { locale, timeZone: format.timeZone }));
}

/** The three reason fields of a document, from a code: what planning and dispatch write. */
export function reasonFields(code: ReasonCode, params: ReasonParams | undefined, format: ReasonFormat): Required<Pick<ReasonFields, 'reason' | 'reasonCode'>> & Pick<ReasonFields, 'reasonParams'> {
  return { reason: englishReason(code, params, format), reasonCode: code, ...(params && Object.keys(params).length > 0 ? { reasonParams: params } : {}) };
}

/** For codes without instants (channel and send reasons): no zone needed. */
export function plainReason(code: ReasonCode, params?: ReasonParams): Required<Pick<ReasonFields, 'reason' | 'reasonCode'>> & Pick<ReasonFields, 'reasonParams'> {
  return reasonFields(code, params, { timeZone: 'UTC' });
}

/** JSON schema of `reasonParams` on documents: a few short values. */
export const reasonParamsField = {
  type: 'object',
  maxProperties: 8,
  additionalProperties: { anyOf: [{ type: 'string', maxLength: 1000 }, { type: 'number' }] },
} as const;

export const reasonCodeField = { type: 'string', maxLength: 60 } as const;
