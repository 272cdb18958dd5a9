/**
 * What "Send a test message" says, from the host's answer: a provider that accepted the message (Twilio, a gateway
 * with a status URL) is a success like one that delivered it, and an uncertain send says it may have arrived.
 */
import type { ResponseOf } from '../../../../shared/ipc/contract.ts';
import { reasonText } from '../../app/coded-text.ts';
import type { I18n } from '../../app/i18n.ts';

export interface SendTestOutcome {
  ok: boolean;
  text: string;
  detail?: string;
}

const TAKEN = new Set(['delivered', 'sent', 'accepted']);

export function sendTestOutcome(i18n: I18n, answer: ResponseOf<'providers.sendTest'>): SendTestOutcome {
  const ok = TAKEN.has(answer.status);
  const status = i18n.tryT(`provider.sendTest.${answer.status}`) ?? answer.status;
  const why = reasonText(i18n, answer);
  // A taken message explains itself only through FrontDesk's own words (its answer was lost); else the provider's.
  if (ok) return answer.reasonCode && why ? { ok, text: `${status} ${why}` } : { ok, text: status, ...(answer.detail ? { detail: answer.detail } : {}) };
  return { ok, text: why ? `${status} ${why}` : status };
}
