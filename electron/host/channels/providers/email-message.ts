import type { SendMailOptions } from 'nodemailer';
import type { OutgoingMessage } from '../../../../shared/engine/provider.ts';
import type { SmtpSettings } from './smtp-settings.ts';

export const MESSAGE_ID_DOMAIN = 'frontdesk.local';

/**
 * The Message-ID derived from the idempotency key, so a resend after a crash carries the same id and a
 * mailbox or a downstream filter can recognize the duplicate. Characters outside a conservative subset
 * of RFC 5322 atext are written as =HH (UTF-8 bytes), which keeps the mapping deterministic and reversible.
 */
export function messageIdFor(idempotencyKey: string): string {
  let local = '';
  for (const byte of Buffer.from(idempotencyKey, 'utf8')) {
    const char = String.fromCharCode(byte);
    local += /[A-Za-z0-9!#$%&'*+\-/?^_`{|}~]/.test(char) ? char : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `<${local}@${MESSAGE_ID_DOMAIN}>`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** A plain rendering of the text body: paragraphs on blank lines, line breaks kept, nothing interpreted. */
export function htmlFromText(text: string): string {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>\n')}</p>`);
  return `<!doctype html>\n<html><head><meta charset="utf-8"></head><body>\n${paragraphs.join('\n')}\n</body></html>\n`;
}

/** Subject lines should never be empty; the first line of the body is the most honest stand-in. */
function subjectOf(message: OutgoingMessage): string {
  if (message.subject?.trim()) return message.subject.trim();
  const firstLine = message.body.trim().split('\n')[0] ?? '';
  return firstLine.length > 78 ? `${firstLine.slice(0, 77)}…` : firstLine;
}

export function mailOptions(message: OutgoingMessage, settings: SmtpSettings, email: string, date: Date): SendMailOptions {
  return {
    from: { name: settings.from.name, address: settings.from.address },
    to: message.recipient.name ? { name: message.recipient.name, address: email } : email,
    ...(settings.replyTo ? { replyTo: settings.replyTo } : {}),
    subject: subjectOf(message),
    text: message.body,
    html: htmlFromText(message.body),
    messageId: messageIdFor(message.idempotencyKey),
    date,
    headers: {
      // RFC 3834: tells auto-responders (vacation replies) not to answer a notification.
      'Auto-Submitted': 'auto-generated',
      'X-FrontDesk-Job': message.jobId,
    },
  };
}
