import { describe, expect, it } from 'vitest';
import { displayPhone, normalizePhone } from '../../../shared/domain/phone.ts';

describe('phone numbers as shown', () => {
  it('group a stored E.164 number as its country writes it, and leave anything else as it is', () => {
    expect(displayPhone('+4915123456789')).toBe('+49 1512 3456789');
    expect(displayPhone('+79123456789')).toBe('+7 912 345 67 89');
    expect(displayPhone('+12015550123')).toBe('+1 201 555 0123');
    expect(displayPhone('+447400123456')).toBe('+44 7400 123456');
    // Numbers typed before validation existed, or replicated from an older desk, are shown as stored.
    expect(displayPhone('0151 2345')).toBe('0151 2345');
    expect(displayPhone('12')).toBe('12');
    expect(displayPhone('')).toBe('');
  });

  it('read back as the same number when typed as shown', () => {
    for (const [e164, country] of [['+4915123456789', 'DE'], ['+79123456789', 'RU'], ['+12015550123', 'US']] as const) {
      expect(normalizePhone(displayPhone(e164), country)).toEqual({ ok: true, e164 });
    }
  });
});
