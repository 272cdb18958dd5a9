/**
 * SMS length in segments. A text that fits the GSM 03.38 alphabet (basic set, extension characters costing two
 * septets) is sent as GSM-7: 160 septets in one segment, 153 per segment when split (the rest is the concatenation
 * header). Anything else forces UCS-2 for the whole message: 70 UTF-16 units, 67 per segment when split. Split points
 * never cut an escape pair or a surrogate pair, as real encoders do, so a long message may need one more segment than
 * plain division suggests.
 */

export interface SmsLength {
  readonly encoding: 'GSM-7' | 'UCS-2';
  /** Units counted against the limit: septets for GSM-7, UTF-16 code units for UCS-2. */
  readonly characters: number;
  /** 0 for an empty text. */
  readonly segments: number;
  /** Capacity of one segment at this length: 160/153 (GSM-7) or 70/67 (UCS-2). */
  readonly perSegment: number;
}

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENSION.has(ch)) return false;
  return true;
}

export function smsSegments(text: string): SmsLength {
  const gsm = isGsm7(text);
  const costs: number[] = [];
  // for…of walks code points, so a surrogate pair is one unit of cost 2 in UCS-2.
  for (const ch of text) costs.push(gsm ? (EXTENSION.has(ch) ? 2 : 1) : ch.length);
  const characters = costs.reduce((a, b) => a + b, 0);
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  const encoding = gsm ? 'GSM-7' : 'UCS-2';
  if (characters === 0) return { encoding, characters, segments: 0, perSegment: single };
  if (characters <= single) return { encoding, characters, segments: 1, perSegment: single };
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > multi) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return { encoding, characters, segments, perSegment: multi };
}
